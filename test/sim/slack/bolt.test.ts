import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type SlashCommand } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackDriver, type SlackDriver } from '../../../sim/slack/driver.ts';
import { sendSlashCommand } from '../../../sim/slack/send-command.ts';
import { eventually, quietLogger, type SlackFixture, startSlackFixture } from './slack-fixture.ts';

let fx: SlackFixture;
let app: App;
let url: string;
let driver: SlackDriver;
const logLines: string[] = [];
const commands: SlashCommand[] = [];
const clicks: BlockAction[] = [];
const respondErrors: unknown[] = [];

const CLASS = 'C0CLASSA01';
const ALICE = 'U0STUDENTA';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  fx = await startSlackFixture();
  // What a composition root passes: the simulator's API URL, a short retry policy, the signing secret.
  app = new App({
    token: fx.workspace.bot.token,
    signingSecret: fx.workspace.signingSecret,
    clientOptions: { slackApiUrl: fx.server.apiUrl, retryConfig: { retries: 0 } },
    logger: quietLogger(logLines),
  });
  app.command('/kvlab', async ({ command, ack, respond }) => {
    commands.push(command);
    if (command.text === 'slow') await sleep(400);
    await ack({ response_type: 'ephemeral', text: `Checking ${command.text}…` });
    await respond({ response_type: 'in_channel', text: `Diagnosis for ${command.text}` });
  });
  app.action<BlockAction>('rerun', async ({ ack, body, respond, client }) => {
    await ack();
    clicks.push(body);
    await respond({ replace_original: true, text: 'Re-running…' });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Re-run options' }, blocks: [{ type: 'divider' }] },
    });
  });
  app.action('spam', async ({ ack, respond }) => {
    await ack();
    for (let i = 1; i <= 6; i++) await respond({ text: `note ${i}` }).catch((e: unknown) => respondErrors.push(e));
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  driver = createSlackDriver(fx.server);
});
afterAll(async () => {
  await app?.stop();
  await fx?.server.close();
});

async function postButtons() {
  const { ts } = await app.client.chat.postMessage({
    channel: CLASS,
    text: 'pod-keyvault is broken',
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: '*SECRET_NOT_FOUND*' } },
      {
        type: 'actions',
        block_id: 'report-actions',
        elements: [
          { type: 'button', action_id: 'rerun', value: 'pod-keyvault', text: { type: 'plain_text', text: 'Re-run' } },
          { type: 'button', action_id: 'spam', value: 'x', text: { type: 'plain_text', text: 'Notes' } },
        ],
      },
    ],
  });
  return ts ?? '';
}

describe('a real Bolt app against the Slack simulator and driver', () => {
  it('verifies its token with auth.test against the simulator', async () => {
    await eventually(() => fx.server.requests.methods['auth.test']);
  });

  it('receives a signed slash command with Slack’s fields, acks within 3 s, and its respond() lands', async () => {
    const res = await driver.slashCommand({
      url,
      user: 'alice',
      channel: 'kvlab-class-a',
      text: 'diagnose pod-keyvault',
    });
    expect(res.status).toBe(200);
    expect(res.ackMs).toBeLessThan(3000);
    expect(res.sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(JSON.parse(res.body)).toEqual({ response_type: 'ephemeral', text: 'Checking diagnose pod-keyvault…' });
    expect(commands.at(-1)).toMatchObject({
      command: '/kvlab',
      text: 'diagnose pod-keyvault',
      user_id: ALICE,
      user_name: 'alice',
      channel_id: CLASS,
      channel_name: 'kvlab-class-a',
      team_id: fx.workspace.team.id,
      team_domain: fx.workspace.team.domain,
      api_app_id: fx.workspace.bot.appId,
      is_enterprise_install: 'false',
      response_url: res.responseUrl,
      trigger_id: res.triggerId,
    });
    expect(fx.server.store.ephemerals(ALICE).at(-1)).toMatchObject({
      text: 'Checking diagnose pod-keyvault…',
      via: 'ack',
    });
    const [response] = await eventually(() => {
      const r = fx.server.store.responses(res.responseUrl);
      return r.length ? r : undefined;
    });
    expect(response).toMatchObject({ status: 200, effect: 'in_channel' });
    expect(fx.server.store.messages(CLASS).find((m) => m.ts === response?.ts)?.text).toBe(
      'Diagnosis for diagnose pod-keyvault',
    );
  });

  it.each([
    ['a wrong signing secret', { signingSecret: 'not-the-secret' }, 'signature mismatch'],
    ['a timestamp older than 5 minutes', { timestampSeconds: Math.floor(Date.now() / 1000) - 301 }, 'stale'],
    ['no signature header', { omitHeaders: ['x-slack-signature' as const] }, 'x-slack-signature did not have'],
    ['no timestamp header', { omitHeaders: ['x-slack-request-timestamp' as const] }, 'x-slack-request-timestamp'],
    ['an unknown signature version', { signatureVersion: 'v1' }, 'unknown signature version'],
  ])('refuses %s with 401 and never runs the handler', async (_what, forge, reason) => {
    const before = commands.length;
    const res = await driver.slashCommand({ url, user: 'alice', channel: CLASS, text: 'forged', forge });
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    expect(commands.length).toBe(before);
    expect(logLines.at(-1)).toContain(reason);
  });

  it('answers 400 when the content type carries a charset, as Bolt compares it exactly', async () => {
    const before = commands.length;
    const forge = { contentType: 'application/x-www-form-urlencoded; charset=utf-8' };
    const res = await driver.slashCommand({ url, user: 'alice', channel: CLASS, text: 'x', forge });
    expect(res.status).toBe(400);
    expect(commands.length).toBe(before);
  });

  it('reports a late ack as Slack’s timeout while the handler still runs', async () => {
    const late = createSlackDriver(fx.server, { ackTimeoutMs: 150 });
    const res = await late.slashCommand({ url, user: 'bob', channel: CLASS, text: 'slow' });
    expect(res).toMatchObject({ status: 0, timedOut: true });
    await eventually(() => commands.some((c) => c.text === 'slow' && c.user_id === 'U0STUDENTB'));
  });

  it('delivers a button click as block_actions; respond() replaces the message and the trigger opens a modal', async () => {
    const ts = await postButtons();
    const res = await driver.blockAction({ url, user: 'alice', channel: CLASS, messageTs: ts, actionId: 'rerun' });
    expect(res.status).toBe(200);
    const click = clicks.at(-1);
    expect(click?.actions[0]).toMatchObject({
      action_id: 'rerun',
      block_id: 'report-actions',
      value: 'pod-keyvault',
      type: 'button',
    });
    expect(click).toMatchObject({
      container: { type: 'message', message_ts: ts, channel_id: CLASS, is_ephemeral: false },
      channel: { id: CLASS },
      user: { id: ALICE },
      message: { ts },
    });
    await eventually(() => fx.server.store.views(ALICE).find((v) => v.triggerId === res.triggerId));
    expect(fx.server.store.messages(CLASS).find((m) => m.ts === ts)?.text).toBe('Re-running…');
    expect(fx.server.store.responses(res.responseUrl)).toMatchObject([{ effect: 'replaced', ts }]);
  });

  it('lets a response_url be used 5 times, then respond() fails', async () => {
    const ts = await postButtons();
    const res = await driver.blockAction({ url, user: 'carol', channel: CLASS, messageTs: ts, actionId: 'spam' });
    await eventually(() => respondErrors.length === 1);
    expect(respondErrors[0]).toMatchObject({ message: 'Failed to respond to the response_url: 404 Not Found' });
    const records = fx.server.store.responses(res.responseUrl);
    expect(records.filter((r) => r.status === 200)).toHaveLength(5);
    expect(fx.server.store.ephemerals('U0STUDENTC').map((m) => m.text)).toEqual([
      'note 1',
      'note 2',
      'note 3',
      'note 4',
      'note 5',
    ]);
  });

  it('sends a command from another process’s view via the /sim control surface (kvlab slack-send)', async () => {
    const result = await sendSlashCommand({
      simUrl: fx.server.baseUrl,
      botUrl: url,
      signingSecret: fx.workspace.signingSecret,
      as: '@bob',
      channel: '#kvlab-class-a',
      commandLine: '/kvlab status class-a',
      waitMs: 200,
    });
    expect(result.delivery.status).toBe(200);
    expect(commands.at(-1)).toMatchObject({ text: 'status class-a', user_id: 'U0STUDENTB' });
    expect(result.ephemerals.map((m) => m.text)).toEqual(['Checking status class-a…']);
    expect(result.responses).toMatchObject([{ effect: 'in_channel', status: 200 }]);
  });
});
