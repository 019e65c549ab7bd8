/**
 * Everything after the first answer: `explain` answered in the ack, the `lint` modal and its result, the
 * "Re-run" and "Show all checks" buttons (authorized like commands), and where answers go when kvlab may not
 * post in the channel (a DM, else the response_url).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../sim/slack/signing.ts';
import type { SlackMessage as StoredMessage } from '../../sim/slack/store.ts';
import { RERUN_ACTION_ID, SHOW_CHECKS_ACTION_ID } from '../../src/slack/interaction-ids.ts';
import { type BotFixture, parentsFor, readable, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';
const RANDOM = 'C0RANDOM01';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  fx = await startBotFixture();
});
afterAll(() => fx?.close());

async function diagnose(namespace: string, channel = CLASS) {
  const res = await fx.ask(namespace, 'diagnose pod-keyvault', { channel });
  expect(await fx.settled(res.jobId)).toBe('completed');
  return res;
}

describe('explain and lint', () => {
  it('answers `/kvlab explain` in the acknowledgement with the classified cause, queueing nothing', async () => {
    const message =
      'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:db-passwd, objectVersion:: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=404 -- Original Error: autorest/azure: Service returned an error. Status=404 Code="SecretNotFound" Message="A secret with (name/id) db-passwd was not found in this key vault."';
    const res = await fx.ask('student-01', `explain ${message}`);
    const ack = JSON.parse(res.body);
    expect(ack.response_type).toBe('ephemeral');
    expect(JSON.stringify(ack.blocks)).toContain('`SECRET_NOT_FOUND`');
    expect(JSON.stringify(ack.blocks)).toContain('db-passwd');
    expect(await fx.queue.getJobCounts()).toMatchObject({ waiting: 0, active: 0 });
  });

  it('opens the lint modal and sends the findings for the pasted YAML to the student only', async () => {
    const user = fx.studentOf('student-02');
    const res = await fx.command(user, 'lint');
    expect(res.status).toBe(200);
    const opened = await waitFor(() => fx.classroom.slack.server.store.views(user).at(-1));
    const yaml = [
      'apiVersion: secrets-store.csi.x-k8s.io/v1',
      'kind: SecretProviderClass',
      'metadata: {name: azure-kv-secrets}',
      'spec:',
      '  provider: azurekeyvault',
      '  parameters: {keyvaultName: kv-kvlab-lab, tenantId: 72f1a7c4-3b9e-4d2a-8f60-5c1e9b7d2a14}',
    ].join('\n');
    const empty = await submitView(user, opened.view, '   ');
    expect(JSON.parse(empty.body)).toMatchObject({ response_action: 'errors' });
    const ok = await submitView(user, opened.view, yaml);
    expect(ok.status).toBe(200);
    const answer = await waitFor(() =>
      fx.classroom.slack.server.store.ephemerals(user).find((m) => m.via === 'chat.postEphemeral'),
    );
    expect(answer.channel).toBe(CLASS);
    expect(readable(answer)).toContain('spc/provider-name');
  });
});

describe('buttons on a diagnosis', () => {
  it('re-runs in the same thread when the student clicks Re-run', async () => {
    await diagnose('student-12');
    const [parent] = parentsFor(fx, CLASS, 'student-12/pod-keyvault');
    const before = threadOf(parent);
    const click = await fx.driver.blockAction({
      url: fx.url,
      user: fx.studentOf('student-12'),
      channel: CLASS,
      messageTs: parent?.ts ?? '',
      actionId: RERUN_ACTION_ID,
    });
    expect(click.status).toBe(200);
    const jobId = `rerun-${click.triggerId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
    expect(await fx.settled(jobId)).toBe('completed');
    const after = threadOf(parent);
    expect(parentsFor(fx, CLASS, 'student-12/pod-keyvault')).toHaveLength(1);
    expect(after.length).toBe(before.length * 2 + 1);
    expect(readable(after[before.length] ?? {})).toMatch(/^❌/);
  });

  it('shows all checks to the clicker only, and refuses a student of another namespace', async () => {
    const [parent] = parentsFor(fx, CLASS, 'student-12/pod-keyvault');
    const show = await fx.driver.blockAction({
      url: fx.url,
      user: 'U0INSTRUCT',
      channel: CLASS,
      messageTs: parent?.ts ?? '',
      actionId: SHOW_CHECKS_ACTION_ID,
    });
    const shown = await waitFor(() => fx.classroom.slack.server.store.responses(show.responseUrl)[0]);
    expect(shown.effect).toBe('ephemeral');
    expect(JSON.stringify(shown.payload)).toContain('Key Vault access');

    const jobsBefore = await fx.queue.getJobCounts();
    const other = await fx.driver.blockAction({
      url: fx.url,
      user: fx.studentOf('student-13'),
      channel: CLASS,
      messageTs: parent?.ts ?? '',
      actionId: RERUN_ACTION_ID,
    });
    const refusal = await waitFor(() => fx.classroom.slack.server.store.responses(other.responseUrl)[0]);
    expect(String(refusal.payload.text)).toContain('only your own namespace');
    await sleep(100);
    expect(await fx.queue.getJobCounts()).toEqual(jobsBefore);
  });
});

describe('when kvlab may not post in the channel', () => {
  it('answers by DM when the bot is not in the channel (not_in_channel)', async () => {
    await diagnose('student-14', RANDOM);
    const { store } = fx.classroom.slack.server;
    expect(store.messages(RANDOM).filter((m) => m.bot_id)).toHaveLength(0);
    const dm = store.dmWith(fx.studentOf('student-14')) ?? '';
    const [parent] = parentsFor(fx, dm, 'student-14/pod-keyvault');
    expect(readable(parent ?? {})).toMatch(/^❌/);
    expect(threadOf(parent, dm).length).toBeGreaterThan(1);
  });

  it('falls back to the response_url when no DM can be opened either', async () => {
    fx.classroom.slack.server.faults.fail({ method: 'conversations.open', error: 'cannot_dm_bot' });
    const res = await diagnose('student-15', RANDOM);
    const posts = fx.classroom.slack.server.store.responses(res.responseUrl);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts.every((p) => p.effect === 'ephemeral')).toBe(true);
    expect(String(posts[0]?.payload.text)).toMatch(/^❌ student-15\/pod-keyvault/);
  });
});

function threadOf(parent: StoredMessage | undefined, channel = CLASS): StoredMessage[] {
  return fx.classroom.slack.server.store.thread(channel, parent?.ts ?? '').slice(1);
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/** A signed `view_submission` as Slack sends it when the student presses "Lint". */
async function submitView(user: string, view: Record<string, unknown>, yaml: string) {
  const ws = fx.classroom.slack.server.workspace;
  const payload = {
    type: 'view_submission',
    team: { id: ws.team.id, domain: ws.team.domain },
    user: { id: user, username: user, name: user, team_id: ws.team.id },
    api_app_id: ws.bot.appId,
    token: ws.verificationToken,
    trigger_id: `${Date.now()}.1.abc`,
    view: {
      ...view,
      id: 'V0LINT',
      team_id: ws.team.id,
      state: { values: { kvlab_lint_yaml: { kvlab_lint_yaml: { type: 'plain_text_input', value: yaml } } } },
      hash: '1.abc',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(fx.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(ws.signingSecret, ts, body),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}
