/**
 * Slack misbehaving while kvlab answers: 429 storms (waited out per Retry-After, replies still all there, in
 * order, once), Slack 5xx beyond the client's short retries (the job is retried by BullMQ and continues where it
 * stopped instead of posting again), and the per-channel pace shared through Redis.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../src/queue/channel-pacer.ts';
import { createDeliveryLedger } from '../../src/queue/delivery-ledger.ts';
import { redisKeys } from '../../src/queue/redis.ts';
import { renderDiagnosis } from '../../src/slack/render-diagnosis.ts';
import { deliveryJobId } from '../../src/worker/delivery-processor.ts';
import { type BotFixture, parentsFor, readable, redisUrl, startBotFixture } from './bot-fixture.ts';
import { pacerConnections, redisNow } from './pace-log.ts';

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
    // Two workers, each with its own Redis connection. What is asserted is what the pacer decided on Redis's clock
    // (pace-log.ts), not how long this machine took, so a busy CI machine cannot fail it.
    const keys = redisKeys(fx.prefix);
    const connections = [new Redis(redisUrl()), new Redis(redisUrl())];
    try {
      const { log, recording } = pacerConnections(connections);
      const pace = recording.map((conn) => createChannelPacer(conn, keys, 150));
      const went: number[] = [];
      await Promise.all([
        ...[0, 1, 2, 3].map(async (i) => {
          await pace[i % 2]?.('C0PACED');
          went.push(await redisNow(fx.redis));
        }),
        pace[0]?.('C0OTHER'),
      ]);
      const paced = log.filter((r) => r.key === keys.pace('C0PACED'));
      expect(paced.map((r) => r.by).sort()).toEqual([0, 0, 1, 1]);
      const slots = paced.map((r) => r.slot ?? Number.NaN).sort((a, b) => a - b);
      // One slot per 150 ms whichever worker asked: each a full gap after the one before (1 ms: see Reservation.slot).
      for (let i = 1; i < slots.length; i++) expect((slots[i] ?? 0) - (slots[i - 1] ?? 0)).toBeGreaterThanOrEqual(149);
      // And each waited for its slot: the k-th message to go went no earlier than the k-th slot (1 ms: a timer may
      // fire within the millisecond Redis rounds down to).
      went.sort((a, b) => a - b);
      for (const [i, slot] of slots.entries()) expect(went[i]).toBeGreaterThanOrEqual(slot - 1);
      // Asked while C0PACED had three messages queued, another channel was not made to wait behind them.
      expect(log.filter((r) => r.key === keys.pace('C0OTHER')).map((r) => r.wait)).toEqual([0]);
    } finally {
      for (const c of connections) c.disconnect();
    }
  });

  it('takes a slot at once only while one is free, never ahead of messages already waiting', async () => {
    const keys = redisKeys(fx.prefix);
    const { log, recording } = pacerConnections([fx.redis]);
    const pace = createChannelPacer(recording[0] as Redis, keys, 200, 2);
    // Sent together, so Redis answers them within the same moment (not 200 ms apart however slow this machine is).
    const burst = [pace.tryNow('C0TRY'), pace.tryNow('C0TRY'), pace.tryNow('C0TRY')]; // the third finds it spent
    const waiting = pace('C0TRY'); // reserves the next slot, 200 ms out
    const behind = pace.tryNow('C0TRY'); // not ahead of the waiting message
    expect(await Promise.all([...burst, behind])).toEqual([true, true, false, false]);
    await waiting;
    const reserved = log.find((r) => r.mode === 'wait');
    expect(reserved?.wait).toBeGreaterThan(0);
    // The burst went at once and the waiting message has the slot 200 ms later, so the next free one comes 400 ms
    // after the first was asked: a free slot before that would be one taken ahead of the waiting message. Judged on
    // Redis's clock at the call, since a slow machine may really get that late before asking (1 ms: TIME is read
    // just before the script reads its own).
    const nextFree = Math.min(...log.map((r) => r.at)) + 400;
    if (await pace.tryNow('C0TRY')) expect(log.at(-1)?.at).toBeGreaterThanOrEqual(nextFree - 1);
    expect(await pace.tryNow('C0TRYOTHER')).toBe(true);
  });

  it('lets a short burst through at once, then keeps the pace', async () => {
    const keys = redisKeys(fx.prefix);
    const { log, recording } = pacerConnections([fx.redis]);
    const pace = createChannelPacer(recording[0] as Redis, keys, 200, 3);
    const went = await Promise.all(
      [0, 1, 2, 3, 4].map(async () => {
        await pace('C0BURST');
        return redisNow(fx.redis);
      }),
    );
    const sorted = [...log].sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0));
    const slots = sorted.map((r) => r.slot ?? Number.NaN);
    // The pacer's decisions (1 ms: see Reservation.slot): three at once, then the pace — any four in a row span a
    // full gap, and two that both had to wait are a gap apart.
    expect(sorted.slice(0, 3).map((r) => r.wait)).toEqual([0, 0, 0]);
    for (let i = 3; i < slots.length; i++) expect((slots[i] ?? 0) - (slots[i - 3] ?? 0)).toBeGreaterThanOrEqual(199);
    const waited = slots.filter((_, i) => (sorted[i]?.wait ?? 0) > 0);
    for (let i = 1; i < waited.length; i++) expect((waited[i] ?? 0) - (waited[i - 1] ?? 0)).toBeGreaterThanOrEqual(199);
    // The waiting ones went no earlier than their slots (1 ms: timer vs Redis's rounded-down clock).
    went.sort((a, b) => a - b);
    for (const [i, slot] of slots.entries()) expect(went[i]).toBeGreaterThanOrEqual(slot - 1);
  });
});
