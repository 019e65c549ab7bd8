import { describe, expect, it } from 'vitest';
import { parseSlackSendArgs, splitCommandLine } from '../../../sim/slack/send-command.ts';

const defaults = { simUrl: 'http://127.0.0.1:1', botUrl: 'http://127.0.0.1:2/slack/events', signingSecret: 's3cret' };

describe('kvlab slack-send argument parsing', () => {
  it('reads --as, --channel and the command line, taking URLs and the secret from the defaults', () => {
    const parsed = parseSlackSendArgs(
      ['--as', 'alice', '--channel=#kvlab-class-a', '/kvlab', 'diagnose', 'pod-keyvault'],
      defaults,
    );
    expect(parsed).toEqual({
      ok: true,
      value: { ...defaults, as: 'alice', channel: '#kvlab-class-a', commandLine: '/kvlab diagnose pod-keyvault' },
    });
  });

  it('lets flags override the defaults and accepts --wait in milliseconds', () => {
    const parsed = parseSlackSendArgs(
      ['--as', 'U1', '--channel', 'C1', '--url', 'http://x/e', '--wait', '0', '/kvlab lint'],
      defaults,
    );
    expect(parsed.ok && parsed.value).toMatchObject({ botUrl: 'http://x/e', waitMs: 0, commandLine: '/kvlab lint' });
  });

  it.each([
    [['--channel', 'C1', '/kvlab'], 'missing --as <user>'],
    [['--as', 'alice', '--channel', 'C1'], 'missing the command'],
    [['--as', 'alice', '--channel', 'C1', 'kvlab diagnose'], 'is not a slash command'],
    [['--as', 'alice', '--channel', 'C1', '--bogus', '/kvlab'], 'unknown option --bogus'],
    [['--as'], '--as needs a value'],
    [['--as', 'a', '--channel', 'C1', '--wait', 'soon', '/kvlab'], '--wait must be a whole number'],
  ])('rejects %j with a message saying what to fix', (argv, message) => {
    const parsed = parseSlackSendArgs(argv, defaults);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });

  it('needs the signing secret from the environment, never from argv', () => {
    const parsed = parseSlackSendArgs(['--as', 'a', '--channel', 'C1', '/kvlab'], {
      ...defaults,
      signingSecret: undefined,
    });
    expect(!parsed.ok && parsed.message).toContain('SLACK_SIGNING_SECRET');
  });

  it('splits a command line into Slack’s command and text', () => {
    expect(splitCommandLine('/kvlab  diagnose pod-keyvault -n lab ')).toEqual({
      command: '/kvlab',
      text: 'diagnose pod-keyvault -n lab',
    });
    expect(splitCommandLine('/kvlab')).toEqual({ command: '/kvlab', text: '' });
  });
});
