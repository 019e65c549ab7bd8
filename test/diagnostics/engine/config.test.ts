import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../diagnostics/errors.ts';
import { loadBotEnv, loadEnv } from '../../../src/config.ts';

describe('settings', () => {
  it('treats empty variables as unset, as compose and env files write them', () => {
    const config = loadBotEnv(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: '', KVLAB_CONFIG: '/r.yaml', PORT: '' },
      'all',
    );
    expect(config.SLACK_APP_TOKEN).toBeUndefined();
    expect(config.PORT).toBe(3000);
  });

  it('names a bad setting but never echoes its value', () => {
    const secret = 'not-a-bot-token-9f8e7d';
    let error: unknown;
    try {
      loadBotEnv({ SLACK_BOT_TOKEN: secret, KVLAB_CONFIG: '/r.yaml', SLACK_SIGNING_SECRET: 's' }, 'all');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('SLACK_BOT_TOKEN');
    expect((error as Error).message).not.toContain(secret);
  });

  it('asks the receiver for a roster and a way to verify Slack', () => {
    expect(() => loadBotEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, 'receiver')).toThrow(
      /KVLAB_CONFIG/,
    );
    expect(() => loadBotEnv({ SLACK_BOT_TOKEN: 'xoxb-1', KVLAB_CONFIG: '/r' }, 'receiver')).toThrow(
      /SLACK_SIGNING_SECRET/,
    );
    expect(loadBotEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'worker').role).toBe('worker');
  });

  it('rejects an unreadable CA file with its path', () => {
    expect(() => loadEnv({ KVLAB_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/KVLAB_CA_FILE .*\/nonexistent\/ca\.pem/);
    expect(loadEnv({}).KVLAB_REPLAY).toBe('replay');
  });
});
