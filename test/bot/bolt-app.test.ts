/**
 * Receiver choice and start-up checks: Socket Mode when an app-level token is configured, Bolt's HTTP receiver
 * otherwise, and a bot token Slack rejects stops start-up with a configuration error naming the setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../diagnostics/errors.ts';
import { type SlackServer, startSlackServer } from '../../sim/slack/server.ts';
import { createWorkspace } from '../../sim/slack/workspace.ts';
import { loadBotEnv } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createBoltApp } from '../../src/slack-app/create-bolt-app.ts';

let slack: SlackServer;
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  slack = await startSlackServer({ workspace: createWorkspace(), rateLimits: false });
});
afterAll(() => slack?.close());

const settings = (extra: Record<string, string | undefined>) =>
  loadBotEnv(
    {
      SLACK_BOT_TOKEN: slack.workspace.bot.token,
      SLACK_SIGNING_SECRET: slack.workspace.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      KVLAB_CONFIG: 'sim/scenarios/classroom/roster.yaml',
      PORT: '0',
      ...extra,
    },
    'receiver',
  );

describe('the Bolt app', () => {
  it('uses the HTTP receiver with signature verification by default, and verifies the token with auth.test', async () => {
    const before = slack.requests.methods['auth.test'] ?? 0;
    const bolt = await createBoltApp(settings({}), log);
    expect(bolt.mode).toBe('http');
    expect(slack.requests.methods['auth.test']).toBe(before + 1);
    const { port } = await bolt.start('127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Fkvlab&text=help',
    });
    expect(res.status).toBe(401);
    await bolt.stop();
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed)', async () => {
    const bolt = await createBoltApp(
      settings({ SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-A1-1-x' }),
      log,
    );
    expect(bolt.mode).toBe('socket');
  });

  it('stops start-up with a ConfigError when Slack rejects the bot token', async () => {
    const attempt = createBoltApp(settings({ SLACK_BOT_TOKEN: 'xoxb-0-0-revoked' }), log);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/);
  });
});
