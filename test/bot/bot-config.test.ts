import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../diagnostics/errors.ts';
import { loadBotEnv } from '../../src/config.ts';

const VALID = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'sign-me-please',
  KVLAB_CONFIG: 'sim/scenarios/classroom/roster.yaml',
};

describe('bot settings', () => {
  it('applies defaults: Redis on loopback, port 3000, prefix kvlab, Slack’s pace', () => {
    const config = loadBotEnv(VALID, 'all');
    expect(config).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      KVLAB_REDIS_PREFIX: 'kvlab',
      KVLAB_SLACK_PACE_MS: 1000,
      KVLAB_WORKER_CONCURRENCY: 8,
      role: 'all',
    });
  });

  it('names the setting that is wrong and never prints its value', () => {
    const secret = 'xoxp-user-token-that-must-not-be-printed';
    let error: unknown;
    try {
      loadBotEnv({ ...VALID, SLACK_BOT_TOKEN: secret, KVLAB_WORKER_CONCURRENCY: 'many' }, 'all');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('SLACK_BOT_TOKEN');
    expect(message).toContain('KVLAB_WORKER_CONCURRENCY');
    expect(message).not.toContain(secret);
  });

  it('needs the roster and a signing secret for the receiver, but not for a worker', () => {
    expect(() => loadBotEnv({ ...VALID, KVLAB_CONFIG: undefined }, 'receiver')).toThrow(/KVLAB_CONFIG/);
    expect(() => loadBotEnv({ ...VALID, SLACK_SIGNING_SECRET: undefined }, 'all')).toThrow(/SLACK_SIGNING_SECRET/);
    expect(loadBotEnv({ SLACK_BOT_TOKEN: VALID.SLACK_BOT_TOKEN }, 'worker').role).toBe('worker');
  });

  it('accepts Socket Mode (an xapp- token) instead of a signing secret', () => {
    const config = loadBotEnv({ ...VALID, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-A1-2-x' }, 'all');
    expect(config.SLACK_APP_TOKEN).toBe('xapp-1-A1-2-x');
    expect(() => loadBotEnv({ ...VALID, SLACK_APP_TOKEN: 'xoxb-wrong-kind' }, 'all')).toThrow(/SLACK_APP_TOKEN/);
  });
});
