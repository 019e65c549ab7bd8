/**
 * Slack misbehaving while kvlab answers: 429 storms (waited out per Retry-After, replies still all there, in
 * order, once), Slack 5xx beyond the client's short retries (the job is retried by BullMQ and continues where it
 * stopped instead of posting again), and the per-channel pace shared through Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../src/queue/channel-pacer.ts';
import { createDeliveryLedger } from '../../src/queue/delivery-ledger.ts';
import { redisKeys } from '../../src/queue/redis.ts';
import { renderDiagnosis } from '../../src/slack/render-diagnosis.ts';
import { deliveryJobId } from '../../src/worker/delivery-processor.ts';
import { type BotFixture, parentsFor, readable, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';

beforeAll(async () => {
  fx = await startBotFixture({ env: { KVLAB_SLACK_PACE_MS: '50' } });
});
afterAll(() => fx?.close());

/** Sends the student's diagnose, waits for the job, and returns its id. */
async function diagnose(namespace: string): Promise<string> {
  const { jobId } = await fx.ask(namespace);
  expect(await fx.settled(jobId)).toBe('completed');
  return jobId;
}

/** Exactly one parent for the target, and its thread is exactly the rendered replies, in order. */
async function expectExactlyOnce(jobId: string, namespace: string) {
  const parents = parentsFor(fx, CLASS, `${namespace}/pod-keyvault`);
  expect(parents).toHaveLength(1);
  const report = await createDeliveryLedger(fx.redis, redisKeys(fx.prefix)).report(jobId);
  if (!report) throw new Error(`no stored report for ${jobId}`);
  const { parent, replies } = renderDiagnosis(report, { jobId });
  expect(replies.length).toBeGreaterThan(1);
  expect(parents[0]?.text).toBe(parent.text);
  const thread = fx.classroom.slack.server.store.thread(CLASS, parents[0]?.ts ?? '').slice(1);
  expect(thread.map((m) => m.text)).toEqual(replies.map((r) => r.text));
  expect(readable(thread.at(-1) ?? {})).toContain('checks');
}

describe('Slack failures while answering', () => {
  it('waits out a 429 storm and still delivers every reply once, in order', async () => {
    const { faults, requests } = fx.classroom.slack.server;
    const before = requests.errors.ratelimited ?? 0;
    // The first two meet the diagnosis's posts-if-free (progress, then verdict parent): it does not wait, the
    // student sees the verdict through the response_url, and the delivery worker waits out the other five.
    faults.rateLimit({ method: 'chat.postMessage', times: 6, retryAfterSeconds: 0 });
    faults.rateLimit({ method: 'chat.postMessage', times: 1, retryAfterSeconds: 1 });
    const { jobId, responseUrl } = await fx.ask('student-17');
    expect(await fx.settled(jobId)).toBe('completed');
    expect((requests.errors.ratelimited ?? 0) - before).toBe(7);
    await expectExactlyOnce(jobId, 'student-17');
    expect(fx.classroom.slack.server.store.responses(responseUrl).map((r) => r.effect)).toEqual(['ephemeral']);
  });

  it('retries the job after Slack errors outlast the client retries, without posting the parent twice', async () => {
    const { faults } = fx.classroom.slack.server;
    // The final parent fails 5 times (one call's 4 tries, then once more) however it goes out: as the edit of the
    // progress message or as a new post (when the channel had no free slot, by the delivery job). Only calls with
    // the verdict's text fail, so progress edits on a slow machine cannot use the faults up.
    for (const method of ['chat.update', 'chat.postMessage']) {
      faults.fail({
        method,
        textIncludes: 'student-18/pod-keyvault is broken',
        error: 'internal_error',
        status: 503,
        times: 5,
      });
    }
    const jobId = await diagnose('student-18');
    const job = await fx.queue.getJob(jobId);
    const delivery = await fx.deliveries.getJob(deliveryJobId(jobId));
    // The job that met the faults (the diagnosis, its delivery, or both in turn) was retried, not failed.
    const retries = (job?.attemptsMade ?? 0) - 1 + (delivery ? delivery.attemptsMade - 1 : 0);
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(faults.pending).toBeLessThanOrEqual(5);
    faults.clear();
    await expectExactlyOnce(jobId, 'student-18');
  });

  it('spaces messages to one channel across workers, and leaves other channels alone', async () => {
    const keys = redisKeys(fx.prefix);
    const pace = [createChannelPacer(fx.redis, keys, 150), createChannelPacer(fx.redis, keys, 150)];
    const started = performance.now();
    const done: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        await pace[i % 2]?.('C0PACED');
        done.push(performance.now() - started);
      }),
    );
    await pace[0]?.('C0OTHER');
    const other = performance.now() - started;
    done.sort((a, b) => a - b);
    expect(done[3]).toBeGreaterThanOrEqual(430);
    for (let i = 1; i < done.length; i++) expect((done[i] ?? 0) - (done[i - 1] ?? 0)).toBeGreaterThan(120);
    expect(other - (done[3] ?? 0)).toBeLessThan(60);
  });

  it('takes a slot at once only while one is free, never ahead of messages already waiting', async () => {
    const pace = createChannelPacer(fx.redis, redisKeys(fx.prefix), 200, 2);
    expect([await pace.tryNow('C0TRY'), await pace.tryNow('C0TRY'), await pace.tryNow('C0TRY')]).toEqual([
      true,
      true,
      false, // the burst of 2 is spent
    ]);
    const waiting = pace('C0TRY'); // reserves the next slot, 200 ms out
    expect(await pace.tryNow('C0TRY')).toBe(false);
    await waiting;
    expect(await pace.tryNow('C0TRY')).toBe(false); // the waiting message took the slot that came free
    expect(await pace.tryNow('C0TRYOTHER')).toBe(true);
  });

  it('lets a short burst through at once, then keeps the pace', async () => {
    const pace = createChannelPacer(fx.redis, redisKeys(fx.prefix), 200, 3);
    const started = performance.now();
    const done = await Promise.all(
      [0, 1, 2, 3, 4].map(async () => {
        await pace('C0BURST');
        return performance.now() - started;
      }),
    );
    done.sort((a, b) => a - b);
    expect(done[2]).toBeLessThan(80);
    expect(done[3]).toBeGreaterThanOrEqual(180);
    expect(done[4]).toBeGreaterThanOrEqual(380);
  });
});
