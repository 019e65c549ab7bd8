import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackFixture, startSlackFixture } from './slack-fixture.ts';

let fx: SlackFixture;
beforeAll(async () => {
  fx = await startSlackFixture();
});
afterAll(async () => {
  await fx?.server.close();
});

const CLASS = 'C0CLASSA01';
const ALICE = 'U0STUDENTA';
const button = (actionId: string, value: string) => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: actionId, value, text: { type: 'plain_text', text: 'Re-run' } }],
});

describe('Slack Web API simulator with the real WebClient', () => {
  it('answers auth.test with the workspace and bot identity', async () => {
    const res = await fx.client().auth.test();
    expect(res).toMatchObject({
      ok: true,
      team_id: fx.workspace.team.id,
      user_id: fx.workspace.bot.userId,
      bot_id: fx.workspace.bot.botId,
      url: `https://${fx.workspace.team.domain}.slack.com/`,
    });
  });

  it('posts form-encoded blocks, gives them block ids, and shows them in history with increasing ts', async () => {
    const client = fx.client();
    const first = await client.chat.postMessage({
      channel: CLASS,
      text: 'Diagnosis for pod-keyvault',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*broken*: SECRET_NOT_FOUND' } }, button('rerun', 'x')],
    });
    const second = await client.chat.postMessage({ channel: '#kvlab-class-a', text: 'second' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ bot_id: fx.workspace.bot.botId, user: fx.workspace.bot.userId });
    expect(first.message?.blocks?.every((b) => typeof b.block_id === 'string')).toBe(true);
    const history = await client.conversations.history({ channel: CLASS });
    expect(history.messages?.slice(0, 2).map((m) => m.text)).toEqual(['second', 'Diagnosis for pod-keyvault']);
    expect(fx.server.store.messages(CLASS).at(-2)?.blocks?.[1]).toMatchObject({ type: 'actions' });
  });

  it('threads replies under a parent, counts them, and keeps them out of history unless broadcast', async () => {
    const client = fx.client();
    const parent = await client.chat.postMessage({ channel: CLASS, text: 'root' });
    const root = parent.ts ?? '';
    const r1 = await client.chat.postMessage({ channel: CLASS, text: 'evidence', thread_ts: root });
    const r2 = await client.chat.postMessage({
      channel: CLASS,
      text: 'fixed!',
      thread_ts: root,
      reply_broadcast: true,
    });
    const replies = await client.conversations.replies({ channel: CLASS, ts: parent.ts ?? '' });
    expect(replies.messages?.map((m) => m.text)).toEqual(['root', 'evidence', 'fixed!']);
    expect(replies.messages?.[0]).toMatchObject({ reply_count: 2, latest_reply: r2.ts, thread_ts: parent.ts });
    expect(replies.messages?.[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: fx.workspace.bot.userId });
    const fromReply = await client.conversations.replies({ channel: CLASS, ts: r1.ts ?? '' });
    expect(fromReply.messages).toHaveLength(3);
    const texts = (await client.conversations.history({ channel: CLASS, limit: 3 })).messages?.map((m) => m.text);
    expect(texts).toEqual(['fixed!', 'root', 'second']);
    expect(fx.server.store.thread(CLASS, parent.ts ?? '')).toHaveLength(3);
  });

  it('accepts a well-formed thread_ts of no message but shows the reply nowhere', async () => {
    const client = fx.client();
    const res = await client.chat.postMessage({ channel: CLASS, text: 'lost', thread_ts: '1600000000.000100' });
    expect(res.ok).toBe(true);
    expect(fx.server.store.orphans(CLASS).map((m) => m.text)).toContain('lost');
    expect(fx.server.store.messages(CLASS).some((m) => m.text === 'lost')).toBe(false);
  });

  it('edits the bot’s message with chat.update and marks it edited', async () => {
    const client = fx.client();
    const posted = await client.chat.postMessage({ channel: CLASS, text: 'Checking…', blocks: [button('rerun', 'a')] });
    const updated = await client.chat.update({ channel: CLASS, ts: posted.ts ?? '', text: 'Healthy' });
    expect(updated).toMatchObject({ ok: true, channel: CLASS, ts: posted.ts, text: 'Healthy' });
    const stored = fx.server.store.messages(CLASS).find((m) => m.ts === posted.ts);
    expect(stored).toMatchObject({ text: 'Healthy', edited: { user: fx.workspace.bot.userId } });
    expect(stored?.blocks).toBeUndefined();
  });

  it('opens one DM per user and delivers to it, also when posting to the user id', async () => {
    const client = fx.client();
    const opened = await client.conversations.open({ users: ALICE });
    const dm = opened.channel?.id ?? '';
    expect(dm).toMatch(/^D[0-9A-F]+$/);
    expect(await client.conversations.open({ users: ALICE })).toMatchObject({
      already_open: true,
      channel: { id: dm },
    });
    await client.chat.postMessage({ channel: dm, text: 'your diagnosis' });
    await client.chat.postMessage({ channel: ALICE, text: 'and a follow-up' });
    expect(fx.server.store.messages(dm).map((m) => m.text)).toEqual(['your diagnosis', 'and a follow-up']);
    expect(fx.server.store.dmWith(ALICE)).toBe(dm);
  });

  it('keeps ephemeral messages per user, out of history and out of chat.update’s reach', async () => {
    const client = fx.client();
    const res = await client.chat.postEphemeral({ channel: CLASS, user: ALICE, text: 'only you can see this' });
    expect(res.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fx.server.store.ephemerals(ALICE).at(-1)).toMatchObject({ text: 'only you can see this', channel: CLASS });
    expect(fx.server.store.messages(CLASS).some((m) => m.ts === res.message_ts)).toBe(false);
    const err = await client.chat.update({ channel: CLASS, ts: res.message_ts ?? '', text: 'x' }).catch((e) => e);
    expect(err.data?.error).toBe('message_not_found');
  });

  it('opens a modal once per trigger_id, for the user who triggered it', async () => {
    const client = fx.client();
    const { triggerId } = fx.server.openInteraction({ kind: 'command', user: ALICE, channel: CLASS });
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Lint an SPC' },
      submit: { type: 'plain_text' as const, text: 'Lint' },
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'YAML' },
          element: { type: 'plain_text_input', multiline: true },
        },
      ],
    };
    const res = await client.views.open({ trigger_id: triggerId, view });
    expect(res.view).toMatchObject({ type: 'modal', app_id: fx.workspace.bot.appId, title: view.title });
    expect(fx.server.store.views(ALICE).map((v) => v.id)).toEqual([res.view?.id]);
    const again = await client.views.open({ trigger_id: triggerId, view }).catch((e) => e);
    expect(again.data?.error).toBe('exchanged_trigger_id');
  });

  it('refuses a trigger_id older than 3 seconds', async () => {
    const { triggerId } = fx.server.openInteraction({ kind: 'command', user: ALICE, channel: CLASS });
    fx.advance(3500);
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Late' }, blocks: [] };
    const err = await fx
      .client()
      .views.open({ trigger_id: triggerId, view })
      .catch((e) => e);
    expect(err.data?.error).toBe('expired_trigger_id');
  });

  it('pages history with limit and Slack-style cursors', async () => {
    const client = fx.client();
    const { channel } = await client.conversations.open({ users: 'U0STUDENTB' });
    const id = channel?.id ?? '';
    for (const text of ['m1', 'm2', 'm3']) await client.chat.postMessage({ channel: id, text });
    const page1 = await client.conversations.history({ channel: id, limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['m3', 'm2']);
    expect(page1.has_more).toBe(true);
    const cursor = page1.response_metadata?.next_cursor ?? '';
    expect(Buffer.from(cursor, 'base64').toString()).toMatch(/^next_ts:\d{16}$/);
    const page2 = await client.conversations.history({ channel: id, limit: 2, cursor });
    expect(page2.messages?.map((m) => m.text)).toEqual(['m1']);
    expect(page2.has_more).toBe(false);
  });

  it('accepts a JSON body with a bearer token and warns when the charset is missing', async () => {
    const res = await fetch(`${fx.server.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.workspace.bot.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: CLASS, text: 'via json', blocks: [{ type: 'divider' }] }),
    });
    const body = await res.json();
    expect(body).toMatchObject({
      ok: true,
      warning: 'missing_charset',
      response_metadata: { warnings: ['missing_charset'] },
    });
    const noBearer = await fetch(`${fx.server.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: CLASS, text: 'x', token: fx.workspace.bot.token }),
    });
    expect(await noBearer.json()).toEqual({ ok: false, error: 'not_authed' });
  });
});
