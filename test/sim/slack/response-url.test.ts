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
const post = (responseUrl: string, body: unknown) =>
  fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('response_url endpoints of the Slack simulator', () => {
  it('posts ephemeral by default and in the thread when in_channel with thread_ts', async () => {
    const parent = await fx.client().chat.postMessage({ channel: CLASS, text: 'root' });
    const { responseUrl } = fx.server.openInteraction({ kind: 'command', user: ALICE, channel: CLASS });
    expect((await post(responseUrl, { text: 'just you' })).status).toBe(200);
    const res = await post(responseUrl, { response_type: 'in_channel', thread_ts: parent.ts, text: 'in thread' });
    expect(await res.json()).toEqual({ ok: true });
    expect(fx.server.store.ephemerals(ALICE).at(-1)).toMatchObject({ text: 'just you', via: 'response_url' });
    expect(fx.server.store.thread(CLASS, parent.ts ?? '').map((m) => m.text)).toEqual(['root', 'in thread']);
    expect(fx.server.store.responses(responseUrl).map((r) => r.effect)).toEqual(['ephemeral', 'in_channel']);
  });

  it('deletes the original message of a button click with delete_original', async () => {
    const { ts = '' } = await fx.client().chat.postMessage({ channel: CLASS, text: 'click me' });
    const source = { channel: CLASS, ts, ephemeral: false };
    const { responseUrl } = fx.server.openInteraction({ kind: 'block_actions', user: ALICE, channel: CLASS, source });
    expect((await post(responseUrl, { delete_original: true })).status).toBe(200);
    expect(fx.server.store.messages(CLASS).some((m) => m.ts === ts)).toBe(false);
  });

  it('replaces an ephemeral original in place', async () => {
    const { message_ts: ts = '' } = await fx.client().chat.postEphemeral({ channel: CLASS, user: ALICE, text: 'v1' });
    const source = { channel: CLASS, ts, ephemeral: true };
    const { responseUrl } = fx.server.openInteraction({ kind: 'block_actions', user: ALICE, channel: CLASS, source });
    await post(responseUrl, { replace_original: true, text: 'v2' });
    expect(fx.server.store.ephemerals(ALICE).find((m) => m.ts === ts)?.text).toBe('v2');
  });

  it('refuses malformed, empty, unknown and expired posts', async () => {
    const { responseUrl } = fx.server.openInteraction({ kind: 'command', user: ALICE, channel: CLASS });
    const malformed = await fetch(responseUrl, { method: 'POST', body: 'text=hi' });
    expect(malformed.status).toBe(400);
    expect((await post(responseUrl, {})).status).toBe(400);
    expect((await post(`${fx.server.baseUrl}/response/nope`, { text: 'x' })).status).toBe(404);
    fx.advance(30 * 60 * 1000 + 1);
    const late = await post(responseUrl, { text: 'too late' });
    expect(late.status).toBe(404);
    expect(await late.json()).toEqual({ ok: false, error: 'expired_url' });
  });
});
