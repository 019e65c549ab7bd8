import { ErrorCode, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, quietLogger, type SlackFixture, startSlackFixture } from './slack-fixture.ts';

let fx: SlackFixture;
beforeAll(async () => {
  fx = await startSlackFixture();
});
afterAll(async () => {
  await fx?.server.close();
});

const CLASS = 'C0CLASSA01';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The platform error code and Slack's explanations, as the SDK surfaces them. */
async function platformError(promise: Promise<unknown>) {
  const err = await failure(promise);
  expect(err.code).toBe(ErrorCode.PlatformError);
  const data = err.data as { error?: string; response_metadata?: { messages?: string[] } };
  return { error: data.error, messages: data.response_metadata?.messages };
}

describe('Slack Web API simulator errors, as the real WebClient reports them', () => {
  it('answers not_authed without a token and invalid_auth with a wrong one', async () => {
    const anonymous = new WebClient(undefined, {
      slackApiUrl: fx.server.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietLogger(),
    });
    expect((await platformError(anonymous.auth.test())).error).toBe('not_authed');
    expect((await platformError(fx.client({}, 'xoxb-1-2-wrong').auth.test())).error).toBe('invalid_auth');
  });

  it('tells channel_not_found (unknown or private) from not_in_channel (public, bot not invited)', async () => {
    const client = fx.client();
    expect((await platformError(client.chat.postMessage({ channel: 'C0NOSUCH01', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await platformError(client.chat.postMessage({ channel: 'C0INSTRS01', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await platformError(client.chat.postMessage({ channel: 'C0RANDOM01', text: 'x' }))).error).toBe(
      'not_in_channel',
    );
    expect((await platformError(client.conversations.history({ channel: 'C0RANDOM01' }))).error).toBe('not_in_channel');
  });

  it('rejects a malformed thread_ts with invalid_thread_ts and an explanation', async () => {
    const res = await platformError(fx.client().chat.postMessage({ channel: CLASS, text: 'x', thread_ts: '0' }));
    expect(res).toEqual({ error: 'invalid_thread_ts', messages: ['[ERROR] 0 is not a valid thread_ts'] });
  });

  it('answers no_text without text or blocks and msg_too_long above 40,000 characters', async () => {
    const client = fx.client();
    expect((await platformError(client.chat.postMessage({ channel: CLASS, text: '' }))).error).toBe('no_text');
    expect((await platformError(client.chat.postMessage({ channel: CLASS, text: 'x'.repeat(40_001) }))).error).toBe(
      'msg_too_long',
    );
    await expect(client.chat.postMessage({ channel: CLASS, text: 'x'.repeat(40_000) })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('explains invalid_blocks with json-pointers for each Block Kit limit', async () => {
    const post = (blocks: unknown[]) =>
      platformError(fx.client().chat.postMessage({ channel: CLASS, text: 'fallback', blocks: blocks as never }));
    expect(await post(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual({
      error: 'invalid_blocks',
      messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
    });
    expect((await post([{ type: 'divider' }, section('y'.repeat(3001))])).messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]',
    ]);
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    expect((await post([header])).messages).toEqual([
      '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect((await post([{ type: 'sections' }])).messages).toEqual([
      '[ERROR] unsupported type: sections [json-pointer:/blocks/0/type]',
    ]);
    expect((await post([{ type: 'section' }])).messages).toEqual([
      '[ERROR] must define either `text` or `fields` [json-pointer:/blocks/0]',
    ]);
    expect((await post([{ type: 'header' }])).messages).toEqual([
      '[ERROR] missing required field: text [json-pointer:/blocks/0]',
    ]);
    await expect(
      fx.client().chat.postMessage({ channel: CLASS, text: 'ok', blocks: [section('y'.repeat(3000))] }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('answers invalid_blocks_format when blocks are not a JSON array', async () => {
    const res = await platformError(
      fx.client().apiCall('chat.postMessage', { channel: CLASS, text: 'x', blocks: '{"type":' }),
    );
    expect(res.error).toBe('invalid_blocks_format');
  });

  it('answers message_not_found for an unknown ts and cant_update_message for a person’s message', async () => {
    const client = fx.client();
    expect(
      (await platformError(client.chat.update({ channel: CLASS, ts: '1600000000.000001', text: 'x' }))).error,
    ).toBe('message_not_found');
    const question = fx.server.userSays(CLASS, 'U0STUDENTA', 'why is my pod stuck?');
    expect((await platformError(client.chat.update({ channel: CLASS, ts: question.ts, text: 'x' }))).error).toBe(
      'cant_update_message',
    );
  });

  it('answers thread_not_found for replies of a ts that is no message', async () => {
    const res = await platformError(fx.client().conversations.replies({ channel: CLASS, ts: '1600000000.000002' }));
    expect(res.error).toBe('thread_not_found');
  });

  it('answers user_not_in_channel for an ephemeral to someone outside the channel', async () => {
    const res = await platformError(
      fx.client().chat.postEphemeral({ channel: 'C0ALERTS01', user: 'U0STUDENTA', text: 'x' }),
    );
    expect(res.error).toBe('user_not_in_channel');
  });

  it('refuses an unknown trigger_id and an invalid view with invalid_arguments and explanations', async () => {
    const client = fx.client();
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Lint' }, blocks: [] };
    expect(await platformError(client.views.open({ trigger_id: '1.2.nope', view }))).toEqual({
      error: 'invalid_arguments',
      messages: ['invalid `trigger_id`'],
    });
    const { triggerId } = fx.server.openInteraction({ kind: 'command', user: 'U0STUDENTA', channel: CLASS });
    const longTitle = { ...view, title: { type: 'plain_text' as const, text: 'A title longer than 24 chars' } };
    expect((await platformError(client.views.open({ trigger_id: triggerId, view: longTitle }))).messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
  });

  it('applies injected failures once: an API error at HTTP 200, then an outage as an HTTP error', async () => {
    const client = fx.client();
    fx.server.faults.fail({ method: 'chat.postMessage', error: 'token_revoked' });
    expect((await platformError(client.chat.postMessage({ channel: CLASS, text: 'x' }))).error).toBe('token_revoked');
    fx.server.faults.fail({ error: 'service_unavailable', status: 503 });
    const outage = await failure(client.auth.test());
    expect(outage.code).toBe(ErrorCode.HTTPError);
    expect(fx.server.faults.pending).toBe(0);
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });
});
