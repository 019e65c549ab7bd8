import { ErrorCode, type WebAPIRateLimitedError, WebClientEvent } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { failure, type SlackFixture, startSlackFixture } from './slack-fixture.ts';

let fx: SlackFixture | undefined;
afterEach(async () => {
  await fx?.server.close();
  fx = undefined;
});

const CLASS = 'C0CLASSA01';
/** A short retry policy, as the product's worker uses: retries quickly, and 429s wait for Retry-After. */
const shortRetries = { retries: 5, minTimeout: 10, maxTimeout: 50 };

describe('Slack simulator rate limits', () => {
  it('answers a forced 429 storm with Retry-After; WebClient retries and delivers in order without duplicates', async () => {
    fx = await startSlackFixture();
    const client = fx.client({ retryConfig: shortRetries });
    const waits: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    fx.server.faults.rateLimit({ method: 'chat.postMessage', times: 2, retryAfterSeconds: 1 });
    for (const text of ['root', 'reply 1', 'reply 2']) await client.chat.postMessage({ channel: CLASS, text });
    expect(waits).toEqual([1, 1]);
    expect(fx.server.store.messages(CLASS).map((m) => m.text)).toEqual(['root', 'reply 1', 'reply 2']);
    const statuses = fx.server.requests.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status);
    expect(statuses).toEqual([429, 429, 200, 200, 200]);
    expect(fx.server.requests.errors.ratelimited).toBe(2);
  }, 10_000);

  it('sends the 429 body and Retry-After header Slack sends', async () => {
    fx = await startSlackFixture();
    fx.server.faults.rateLimit({ retryAfterSeconds: 7 });
    const res = await fetch(`${fx.server.apiUrl}auth.test`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fx.workspace.bot.token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('limits chat.postMessage per channel after a short burst, not across channels', async () => {
    fx = await startSlackFixture({ perChannel: { perSecond: 1, burst: 2 } });
    const client = fx.client({ rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: CLASS, text: '1' });
    await client.chat.postMessage({ channel: CLASS, text: '2' });
    const err = (await failure(client.chat.postMessage({ channel: CLASS, text: '3' }))) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(1);
    await expect(client.chat.postMessage({ channel: 'C0ALERTS01', text: 'elsewhere' })).resolves.toMatchObject({
      ok: true,
    });
    fx.advance(1000);
    await expect(client.chat.postMessage({ channel: CLASS, text: '3' })).resolves.toMatchObject({ ok: true });
    expect(fx.server.store.messages(CLASS).map((m) => m.text)).toEqual(['1', '2', '3']);
  });

  it('lets the default WebClient wait out a per-channel limit and deliver every message once', async () => {
    fx = await startSlackFixture({ perChannel: { perSecond: 1, burst: 2 } });
    const client = fx.client({ retryConfig: shortRetries });
    for (const text of ['a', 'b', 'c']) await client.chat.postMessage({ channel: CLASS, text });
    expect(fx.server.store.messages(CLASS).map((m) => m.text)).toEqual(['a', 'b', 'c']);
    expect(fx.server.requests.errors.ratelimited).toBe(1);
  }, 10_000);

  it('applies a method tier per minute with the wait until the next call is allowed', async () => {
    fx = await startSlackFixture({ tiers: { 'conversations.history': 3 } });
    const client = fx.client({ rejectRateLimitedCalls: true });
    for (let i = 0; i < 3; i++) await client.conversations.history({ channel: CLASS });
    const err = (await failure(client.conversations.history({ channel: CLASS }))) as WebAPIRateLimitedError;
    expect(err.retryAfter).toBe(20);
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });
});
