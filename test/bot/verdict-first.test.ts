/**
 * Verdicts first (issue 12): a diagnosis never waits for the channel's pace. A student alone in a quiet channel
 * sees what they always saw (the parent with the verdict, then its thread, nothing else); in a busy channel each
 * student whose parent cannot go out at once sees their verdict through the command's response_url, and the
 * delivery worker then posts every parent and thread in the channel's turn — each once, replies in order.
 * A pod that does not exist is answered to the asker alone. Slack's per-channel limit is on in the simulator here
 * (5 messages per second, burst 4, to keep the test short) and kvlab paces at 200 ms, burst 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../src/queue/channel-pacer.ts';
import { createDeliveryLedger } from '../../src/queue/delivery-ledger.ts';
import { redisKeys } from '../../src/queue/redis.ts';
import { renderDiagnosis } from '../../src/slack/render-diagnosis.ts';
import { type BotFixture, parentsFor, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';
const tsMs = (ts: string) => Number(ts) * 1000;
const ledger = () => createDeliveryLedger(fx.redis, redisKeys(fx.prefix));

beforeAll(async () => {
  fx = await startBotFixture({
    env: { KVLAB_SLACK_PACE_MS: '200', KVLAB_SLACK_PACE_BURST: '3' },
    slackRateLimits: { perChannel: { perSecond: 5, burst: 4 } },
  });
}, 30_000);
afterAll(() => fx?.close());

/** The student's one parent in the channel, and its thread is exactly the rendered replies, in order. */
async function expectThread(asked: { namespace: string; jobId: string }) {
  const parents = parentsFor(fx, CLASS, `${asked.namespace}/pod-keyvault`);
  expect(parents).toHaveLength(1);
  const report = await ledger().report(asked.jobId);
  if (!report) throw new Error(`no stored report for ${asked.jobId}`);
  const { parent, replies } = renderDiagnosis(report, { jobId: asked.jobId });
  const [shown, ...thread] = fx.classroom.slack.server.store.thread(CLASS, parents[0]?.ts ?? '');
  expect(shown?.text).toBe(parent.text);
  const texts = thread.map((m) => m.text);
  // On a failure, name the thread and what is in it (an extra message here would be a delivery posted twice).
  expect(texts, `thread of ${asked.namespace}/pod-keyvault: ${JSON.stringify(texts)}`).toEqual(
    replies.map((r) => r.text),
  );
  return { parent: shown, report };
}

describe('verdicts first', () => {
  it('shows a student alone in a quiet channel the parent and its thread, and nothing else', async () => {
    const asked = await fx.ask('student-01');
    expect(await fx.settled(asked.jobId)).toBe('completed');
    await expectThread(asked);
    expect(fx.classroom.slack.server.store.responses(asked.responseUrl)).toEqual([]);
  });

  it('answers a pod that does not exist to the asker alone, not in the channel', async () => {
    const asked = await fx.ask('student-02', 'diagnose no-such-pod');
    expect(await fx.settled(asked.jobId)).toBe('completed');
    const channelTexts = fx.classroom.slack.server.store.messages(CLASS).map((m) => m.text);
    expect(channelTexts.filter((t) => t.includes('no-such-pod'))).toEqual([]);
    const answers = fx.classroom.slack.server.store.responses(asked.responseUrl);
    expect(answers.length).toBeGreaterThan(1);
    expect(answers.map((r) => r.effect)).toEqual(answers.map(() => 'ephemeral'));
    expect(String(answers[0]?.payload.text)).toContain('student-02/no-such-pod');
  });

  it('in a busy channel shows every verdict at once and posts every thread after, each once and in order', async () => {
    const namespaces = ['student-03', 'student-04', 'student-05', 'student-06', 'student-07', 'student-08'];
    // Make the channel busy for 8 s first (40 reserved slots at kvlab's 200 ms pace), as a class burst does, so the
    // answers cannot go out at once however fast or slow this machine diagnoses.
    const pace = createChannelPacer(fx.redis, redisKeys(fx.prefix), 200, 3);
    const reserved = Promise.all(Array.from({ length: 40 }, () => pace(CLASS)));
    const asked = await Promise.all(namespaces.map((n) => fx.ask(n)));
    for (const a of asked) expect(await fx.settled(a.jobId, 60_000)).toBe('completed');
    let noticed = 0;
    for (const a of asked) {
      const { parent, report } = await expectThread(a);
      const notices = fx.classroom.slack.server.store.responses(a.responseUrl);
      expect(notices.length).toBeLessThanOrEqual(1);
      const record = await ledger().get(a.jobId);
      expect(record.verdictNoticed === true).toBe(notices.length === 1);
      if (notices.length === 0) continue;
      noticed++;
      // The notice says the verdict the parent says, and came before the parent did.
      expect(String(notices[0]?.payload.text)).toBe(renderDiagnosis(report, { jobId: a.jobId }).parent.text);
      const notice = fx.classroom.slack.server.store.ephemerals(a.user).find((e) => e.via === 'response_url');
      expect(tsMs(notice?.ts ?? '')).toBeLessThan(tsMs(parent?.ts ?? '0'));
    }
    await reserved;
    // The channel was busy when the verdicts were reached: the students were told first.
    expect(noticed).toBeGreaterThan(0);
  }, 90_000);
});
