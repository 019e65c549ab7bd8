/**
 * A Slack 429 whose Retry-After is longer than the poster's patience (KVLAB_SLACK_MAX_WAIT_MS): the job waits in
 * BullMQ's delayed set for that long instead of spending its attempts on retries after 2, 4, 8 s, and still answers
 * exactly once; a job rate-limited past KVLAB_SLACK_GIVE_UP_MS gives up and tells the asker.
 * The diagnosis itself never waits (issue 12): its own tries to post at once meet the first two 429s, so the
 * student sees the verdict through the response_url, and the delivery job, which posts the thread, is the one
 * that waits out the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryJobId } from '../../src/worker/delivery-processor.ts';
import { type BotFixture, parentsFor, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';

beforeAll(async () => {
  fx = await startBotFixture({
    env: { KVLAB_SLACK_MAX_WAIT_MS: '200', KVLAB_JOB_ATTEMPTS: '1', KVLAB_SLACK_GIVE_UP_MS: '4000' },
  });
});
afterAll(() => fx?.close());

describe('Slack rate limits longer than the poster waits', () => {
  it('delays the job until Retry-After, spends no attempt, and answers once', async () => {
    const { faults } = fx.classroom.slack.server;
    // 1: the progress parent, 2: the verdict parent (both only if free: not retried), 3–4: the delivery's parent.
    faults.rateLimit({ method: 'chat.postMessage', times: 4, retryAfterSeconds: 1 });
    const started = Date.now();
    const { jobId, responseUrl } = await fx.ask('student-02');
    expect(await fx.settled(jobId, 15_000)).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000); // waited both Retry-Afters
    const job = await fx.queue.getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    const delivery = await fx.deliveries.getJob(deliveryJobId(jobId));
    expect(delivery?.attemptsMade).toBe(1); // only the attempt that succeeded: the waits spent none of the single one
    expect(parentsFor(fx, CLASS, 'student-02/pod-keyvault')).toHaveLength(1);
    const notices = fx.classroom.slack.server.store.responses(responseUrl);
    expect(notices.map((r) => r.effect)).toEqual(['ephemeral']);
    expect(String(notices[0]?.payload.text)).toMatch(/^✅ student-02\/pod-keyvault is healthy/);
    const metrics = await (await fetch(fx.url.replace('/slack/events', '/metrics'))).text();
    expect(metrics).toMatch(/kvlab_jobs_total\{kind="deliver",outcome="delayed"\} 2/);
    expect(metrics).not.toMatch(/kvlab_jobs_total\{kind="diagnose",outcome="delayed"\}/);
    expect(metrics).toMatch(/kvlab_slack_rate_limited_total\{method="chat.postMessage"\} 4/);
  });

  it('gives up after KVLAB_SLACK_GIVE_UP_MS and tells the asker through the response_url', async () => {
    const { faults, store } = fx.classroom.slack.server;
    faults.rateLimit({ method: 'chat.postMessage', times: 20, retryAfterSeconds: 3 });
    const { jobId, responseUrl } = await fx.ask('student-03');
    expect(await fx.settled(jobId, 15_000)).toBe('failed');
    await new Promise((r) => setTimeout(r, 300));
    const told = store.responses(responseUrl).map((r) => String(r.payload.text));
    // First the verdict, at once; then, when the thread could not be posted, why.
    expect(told[0]).toMatch(/^❌ .*student-03\/pod-keyvault/);
    expect(told.slice(1)).toEqual([expect.stringContaining('could not post your full answer')]);
    // It waited (delayed) before giving up, rather than failing on the first 429.
    const metrics = await (await fetch(fx.url.replace('/slack/events', '/metrics'))).text();
    expect(Number(/kvlab_jobs_total\{kind="deliver",outcome="delayed"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(2);
    faults.rateLimit({ method: 'chat.postMessage', times: 0, retryAfterSeconds: 0 });
  });
});
