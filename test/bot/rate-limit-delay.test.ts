/**
 * A Slack 429 whose Retry-After is longer than the poster's patience (KVLAB_SLACK_MAX_WAIT_MS): the job waits in
 * BullMQ's delayed set for that long instead of spending its attempts on retries after 2, 4, 8 s, and still answers
 * exactly once; a job rate-limited past KVLAB_SLACK_GIVE_UP_MS gives up and tells the asker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    faults.rateLimit({ method: 'chat.postMessage', times: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    const res = await fx.driver.slashCommand({
      url: fx.url,
      user: fx.studentOf('student-02'),
      channel: CLASS,
      text: 'diagnose pod-keyvault',
    });
    const jobId = fx.jobIdOfCommand(res.triggerId);
    expect(await fx.settled(jobId, 15_000)).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000); // waited both Retry-Afters
    const job = await fx.queue.getJob(jobId);
    expect(job?.attemptsMade).toBe(1); // only the attempt that succeeded: the waits spent none of the single one
    expect(parentsFor(fx, CLASS, 'student-02/pod-keyvault')).toHaveLength(1);
    const metrics = await (await fetch(fx.url.replace('/slack/events', '/metrics'))).text();
    expect(metrics).toMatch(/kvlab_jobs_total\{kind="diagnose",outcome="delayed"\} 2/);
    expect(metrics).toMatch(/kvlab_slack_rate_limited_total\{method="chat.postMessage"\} 2/);
  });

  it('gives up after KVLAB_SLACK_GIVE_UP_MS and tells the asker through the response_url', async () => {
    const { faults, store } = fx.classroom.slack.server;
    faults.rateLimit({ method: 'chat.postMessage', times: 20, retryAfterSeconds: 3 });
    const res = await fx.driver.slashCommand({
      url: fx.url,
      user: fx.studentOf('student-03'),
      channel: CLASS,
      text: 'diagnose pod-keyvault',
    });
    expect(await fx.settled(fx.jobIdOfCommand(res.triggerId), 15_000)).toBe('failed');
    await new Promise((r) => setTimeout(r, 300));
    const told = store.responses(res.responseUrl).map((r) => String(r.payload.text));
    expect(told.some((t) => t.includes('could not finish diagnosing'))).toBe(true);
    // It waited (delayed) before giving up, rather than failing on the first 429.
    const metrics = await (await fetch(fx.url.replace('/slack/events', '/metrics'))).text();
    expect(Number(/kvlab_jobs_total\{kind="diagnose",outcome="delayed"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(2);
    faults.rateLimit({ method: 'chat.postMessage', times: 0, retryAfterSeconds: 0 });
  });
});
