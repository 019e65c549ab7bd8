import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';

describe('the service logger', () => {
  it('writes JSON lines with the object first and redacts credentials wherever they sit', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    log.child({ jobId: 'cmd-1' }).info(
      {
        token: 'xoxb-secret-1',
        config: { botToken: 'xoxb-secret-2', signingSecret: 'sign-3', appToken: 'xapp-4' },
        headers: { authorization: 'Bearer secret-5' },
        requester: { user: 'U1', responseUrl: 'https://hooks.slack.com/commands/T/1/secret-6' },
        target: 'student-07/pod-keyvault',
      },
      'diagnosis queued',
    );
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ msg: 'diagnosis queued', jobId: 'cmd-1', target: 'student-07/pod-keyvault' });
    expect(line.requester.user).toBe('U1');
    for (const secret of ['secret-1', 'secret-2', 'sign-3', 'xapp-4', 'secret-5', 'secret-6']) {
      expect(lines[0]).not.toContain(secret);
    }
    expect(lines[0]).toContain('[Redacted]');
  });
});
