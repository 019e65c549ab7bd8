/**
 * Socket Mode against the unmodified Bolt `App` (`socketMode: true`): it opens its connection through the
 * simulator's `apps.connections.open` with the app-level token, receives slash commands and clicks as envelopes,
 * and its acks come back as what the user sees; bad tokens are refused as Slack refuses them, and a `disconnect`
 * makes Bolt reconnect without losing the next command.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { App, type BlockAction, type SlashCommand } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackServer } from '../../../sim/slack/server.ts';
import { createSocketDriver, type SocketDriver } from '../../../sim/slack/socket-driver.ts';
import { createWorkspace } from '../../../sim/slack/workspace.ts';
import { eventually, failure, quietLogger, type SlackFixture, startSlackFixture } from './slack-fixture.ts';

let fx: SlackFixture;
let app: App;
let driver: SocketDriver;
const logLines: string[] = [];
const commands: SlashCommand[] = [];
const clicks: BlockAction[] = [];
const CLASS = 'C0CLASSA01';
const ALICE = 'U0STUDENTA';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Bolt app as a composition root builds one for Socket Mode: app-level token, the simulator's API URL. */
function socketApp(appToken: string): App {
  return new App({
    token: fx.workspace.bot.token,
    appToken,
    socketMode: true,
    clientOptions: { slackApiUrl: fx.server.apiUrl, retryConfig: { retries: 0 } },
    logger: quietLogger(logLines),
  });
}

beforeAll(async () => {
  fx = await startSlackFixture();
  app = socketApp(fx.workspace.appToken);
  app.command('/kvlab', async ({ command, ack, respond }) => {
    commands.push(command);
    if (command.text === 'never') return;
    if (command.text === 'late') {
      await sleep(300);
      return ack('too late');
    }
    if (command.text === 'quiet') return ack();
    await ack({ response_type: 'ephemeral', text: `Checking ${command.text}…` });
    await respond({ response_type: 'in_channel', text: `Diagnosis for ${command.text}` });
  });
  app.action<BlockAction>('rerun', async ({ ack, body, respond }) => {
    await ack();
    clicks.push(body);
    await respond({ replace_original: true, text: 'Re-running…' });
  });
  await app.start();
  driver = createSocketDriver(fx.server);
});
afterAll(async () => {
  await app?.stop();
  await fx?.server.close();
});

describe('connecting', () => {
  it('opens the connection with the app-level token and is greeted with hello', async () => {
    await driver.waitForApp();
    expect(fx.server.requests.methods['apps.connections.open']).toBe(1);
    expect(fx.server.socketMode.stats).toMatchObject({ opened: 1, open: 1, refused: 0 });
  });

  it('refuses an unknown app-level token with invalid_auth, so Bolt does not start', async () => {
    const intruder = socketApp(`xapp-1-A0KVLABAPP-1234567890123-${'0'.repeat(64)}`);
    const err = await failure(intruder.start());
    expect(err.code).toBe('slack_webapi_platform_error');
    expect(err.data?.error).toBe('invalid_auth');
    expect(fx.server.socketMode.stats.opened).toBe(1);
  });

  it('answers not_authed without a token and not_allowed_token_type for a token of the wrong kind', async () => {
    const open = (token: string) => fx.client({}, token).apps.connections.open();
    expect((await failure(open(''))).data?.error).toBe('not_authed');
    expect((await failure(open(fx.workspace.bot.token))).data?.error).toBe('not_allowed_token_type');
    const post = fx.client({}, fx.workspace.appToken).chat.postMessage({ channel: CLASS, text: 'hi' });
    expect((await failure(post)).data?.error).toBe('not_allowed_token_type');
  });

  it('gives a single-use WebSocket URL: a second connection with the same ticket is refused', async () => {
    const { url } = await fx.client({}, fx.workspace.appToken).apps.connections.open();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f-]{36}&app_id=[0-9a-f]+$/);
    const first = new WebSocket(url as string);
    const hello = await new Promise<Record<string, unknown>>((resolve) => {
      first.addEventListener('message', (e) => resolve(JSON.parse(String(e.data))), { once: true });
    });
    expect(hello).toMatchObject({ type: 'hello', num_connections: 2, connection_info: { app_id: 'A0KVLABAPP' } });
    const second = new WebSocket(url as string);
    const secondGot: unknown[] = [];
    second.addEventListener('message', (e) => secondGot.push(e.data));
    await new Promise((resolve) => second.addEventListener('close', resolve, { once: true }));
    expect(secondGot).toEqual([]);
    expect(fx.server.socketMode.stats.refused).toBeGreaterThanOrEqual(1);
    expect(fx.server.socketMode.stats.opened).toBe(2);
    first.close();
    await eventually(() => fx.server.socketMode.stats.open === 1);
  });
});

describe('keep-alive', () => {
  it('pings every connection, which is what @slack/socket-mode watches to tell the link is alive', async () => {
    const workspace = createWorkspace();
    const server = await startSlackServer({ workspace, rateLimits: false, socketMode: { pingIntervalMs: 40 } });
    const pings: unknown[] = [];
    // undici's WebSocket (Node's and @slack/socket-mode's) answers pings itself and reports them on this channel.
    const onPing = (message: unknown) => pings.push(message);
    subscribe('undici:websocket:ping', onPing);
    try {
      const { url } = await fx.client({ slackApiUrl: server.apiUrl }, workspace.appToken).apps.connections.open();
      const ws = new WebSocket(url as string);
      await server.socketMode.waitForConnection();
      await eventually(() => pings.length >= 2);
      ws.close();
    } finally {
      unsubscribe('undici:websocket:ping', onPing);
      await server.close();
    }
  });
});

describe('slash commands over the socket', () => {
  it('delivers the command fields to app.command and shows the ack payload to the user', async () => {
    const before = fx.server.store.ephemerals(ALICE).length;
    const res = await driver.slashCommandOverSocket({ user: 'alice', channel: CLASS, text: 'diagnose pod-keyvault' });
    expect(res).toMatchObject({ delivered: true, timedOut: false });
    expect(res.sent).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });
    expect(res.payload).toEqual({ response_type: 'ephemeral', text: 'Checking diagnose pod-keyvault…' });
    expect(res.ackMs).toBeLessThan(3000);
    expect(commands.at(-1)).toMatchObject({
      command: '/kvlab',
      text: 'diagnose pod-keyvault',
      user_id: ALICE,
      user_name: 'alice',
      channel_id: CLASS,
      api_app_id: 'A0KVLABAPP',
      response_url: res.responseUrl,
      trigger_id: res.triggerId,
    });
    expect(fx.server.store.ephemerals(ALICE).slice(before)).toMatchObject([
      { text: 'Checking diagnose pod-keyvault…', via: 'ack' },
    ]);
    // respond() goes to the response_url exactly as over HTTP.
    const shown = await eventually(() => fx.server.store.responses(res.responseUrl)[0]);
    expect(shown).toMatchObject({ effect: 'in_channel', payload: { text: 'Diagnosis for diagnose pod-keyvault' } });
  });

  it('shows nothing for a bare ack()', async () => {
    const before = fx.server.store.ephemerals(ALICE).length;
    const res = await driver.slashCommandOverSocket({ user: ALICE, channel: CLASS, text: 'quiet' });
    expect(res.payload).toEqual({});
    expect(fx.server.store.ephemerals(ALICE)).toHaveLength(before);
  });

  it('reports a missing ack as timed out and records an ack that comes too late as stray', async () => {
    const impatient = createSocketDriver(fx.server, { ackTimeoutMs: 150 });
    const never = await impatient.slashCommandOverSocket({ user: ALICE, channel: CLASS, text: 'never' });
    expect(never).toMatchObject({ delivered: true, timedOut: true });
    expect(never.payload).toBeUndefined();
    expect(never.ackMs).toBeGreaterThanOrEqual(140);
    const late = await impatient.slashCommandOverSocket({ user: ALICE, channel: CLASS, text: 'late' });
    expect(late.timedOut).toBe(true);
    const stray = await eventually(() => fx.server.socketMode.stats.stray.find((s) => s.frame.includes('too late')));
    expect(stray.why).toContain('timed-out envelope_id');
    expect(JSON.parse(stray.frame)).toEqual({ envelope_id: late.envelopeId, payload: { text: 'too late' } });
  });
});

describe('button clicks over the socket', () => {
  it('delivers block_actions as an interactive envelope that app.action receives', async () => {
    const { ts } = await app.client.chat.postMessage({
      channel: CLASS,
      text: 'pod-keyvault is broken',
      blocks: [
        {
          type: 'actions',
          block_id: 'report-actions',
          elements: [
            { type: 'button', action_id: 'rerun', value: 'pod-keyvault', text: { type: 'plain_text', text: 'Re-run' } },
          ],
        },
      ],
    });
    const res = await driver.blockActionOverSocket({
      user: 'alice',
      channel: CLASS,
      messageTs: ts ?? '',
      actionId: 'rerun',
    });
    expect(res).toMatchObject({ delivered: true, timedOut: false, payload: {} });
    expect(res.sent).toMatchObject({ type: 'interactive', accepts_response_payload: false });
    expect(clicks.at(-1)).toMatchObject({
      type: 'block_actions',
      user: { id: ALICE },
      channel: { id: CLASS },
      container: { message_ts: ts, is_ephemeral: false },
      actions: [{ action_id: 'rerun', block_id: 'report-actions', value: 'pod-keyvault' }],
      trigger_id: res.triggerId,
    });
    await eventually(() => fx.server.store.messages(CLASS).find((m) => m.ts === ts && m.text === 'Re-running…'));
  });
});

describe('disconnect', () => {
  it('closes a connection the app leaves open after a warning, once closeAfterMs has passed', async () => {
    const workspace = createWorkspace();
    const server = await startSlackServer({ workspace, rateLimits: false });
    try {
      const { url } = await fx.client({ slackApiUrl: server.apiUrl }, workspace.appToken).apps.connections.open();
      const ws = new WebSocket(url as string);
      const frames: Array<Record<string, unknown>> = [];
      ws.addEventListener('message', (e) => frames.push(JSON.parse(String(e.data))));
      await server.socketMode.waitForConnection();
      const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
      expect(server.socketMode.disconnect('warning', { closeAfterMs: 50 })).toBe(1);
      expect(await closed).toBe(1001);
      expect(frames.map((f) => f.type)).toEqual(['hello', 'disconnect']);
      expect(frames[1]).toMatchObject({ reason: 'warning' });
    } finally {
      await server.close();
    }
  });

  it('makes Bolt reconnect; a command in the gap is not delivered, the next one after reconnecting is', async () => {
    const before = fx.server.socketMode.stats.opened;
    expect(fx.server.socketMode.disconnect('refresh_requested')).toBe(1);
    const gap = await driver.slashCommandOverSocket({ user: ALICE, channel: CLASS, text: 'in the gap' });
    expect(gap).toMatchObject({ delivered: false, timedOut: false });
    // @slack/socket-mode waits clientPingTimeout (5 s by default) before reconnecting.
    await driver.waitForApp({ after: before, timeoutMs: 10_000 });
    expect(fx.server.requests.methods['apps.connections.open']).toBeGreaterThanOrEqual(2);
    const after = await driver.slashCommandOverSocket({ user: ALICE, channel: CLASS, text: 'after reconnect' });
    expect(after).toMatchObject({ delivered: true, timedOut: false, payload: { text: 'Checking after reconnect…' } });
    expect(commands.map((c) => c.text)).not.toContain('in the gap');
    expect(fx.server.socketMode.stats.disconnects).toMatchObject([{ reason: 'refresh_requested' }]);
    await eventually(() => fx.server.socketMode.stats.open === 1);
  }, 15_000);
});
