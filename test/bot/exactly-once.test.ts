/**
 * Every way one reply could be posted twice, each reproduced on purpose (issue: a thread once showed 4 messages
 * for 3 replies on a loaded machine):
 * - Slack posted the message but its answer was lost (a 5xx after the write): the poster's own next try looks for
 *   it first instead of posting again;
 * - the post went through but the ledger write after it failed (Redis error, or the worker died in between): the
 *   job's next run finds the claim never settled and looks in Slack first;
 * - two runs of one job at once (a stalled job handed on while its first run still lives, e.g. a lock not renewed
 *   in time): they take turns per message through the ledger's claims.
 * The simulator's `after` fault lets a call take effect and then answers an error, as a lost answer does; messages
 * carry their `{job, step}` key as Slack message metadata, which is how the thread is searched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChatPoster } from '../../src/adapters/slack-chat-poster.ts';
import { createLogger } from '../../src/logger.ts';
import type { DiagnosisJob } from '../../src/ports/diagnosis-queue.ts';
import { createDeliveryLedger, type DeliveryLedger } from '../../src/queue/delivery-ledger.ts';
import { redisKeys } from '../../src/queue/redis.ts';
import type { SlackMessage } from '../../src/slack/messages.ts';
import { renderDiagnosis } from '../../src/slack/render-diagnosis.ts';
import { openAnswerDelivery } from '../../src/worker/answer-delivery.ts';
import { type BotFixture, parentsFor, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';

beforeAll(async () => {
  fx = await startBotFixture();
}, 30_000);
afterAll(() => fx?.close());

const texts = (channel: string, ts: string) =>
  fx.classroom.slack.server.store
    .thread(channel, ts)
    .slice(1)
    .map((m) => m.text);

/** A small answer of our own: a parent and three replies, told apart by their text. */
function answer(tag: string): { parent: SlackMessage; replies: SlackMessage[] } {
  const msg = (text: string): SlackMessage => ({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
  return {
    parent: msg(`${tag} parent`),
    replies: [msg(`${tag} reply 1`), msg(`${tag} reply 2`), msg(`${tag} reply 3`)],
  };
}

function jobOf(namespace: string): DiagnosisJob {
  return {
    v: 1,
    kind: 'diagnose',
    namespace,
    pod: 'pod-keyvault',
    origin: 'command',
    requester: { user: fx.studentOf(namespace), team: 'T0', channel: CLASS },
    requestedAt: new Date().toISOString(),
  };
}

function posterWith(pace: NonNullable<Parameters<typeof createSlackChatPoster>[0]['pace']>) {
  const log = createLogger({ level: 'silent' });
  return createSlackChatPoster({
    token: fx.config.SLACK_BOT_TOKEN,
    slackApiUrl: fx.classroom.slack.server.apiUrl,
    log,
    pace,
  });
}

function deliveryDeps(ledger?: DeliveryLedger) {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  const poster = createSlackChatPoster({
    token: fx.config.SLACK_BOT_TOKEN,
    slackApiUrl: fx.classroom.slack.server.apiUrl,
    log,
  });
  return { poster, ledger: ledger ?? createDeliveryLedger(fx.redis, redisKeys(fx.prefix)), log, lines };
}

describe('each reply once', () => {
  it('does not post a reply again when Slack posted it but answered 503 (the poster looks first)', async () => {
    const { faults } = fx.classroom.slack.server;
    // The checks table (the last reply, fallback text "<ns>/<pod> — <counts>") is posted, then answered with a 503.
    faults.fail({
      method: 'chat.postMessage',
      textIncludes: 'student-05/pod-keyvault — ',
      error: 'internal_error',
      status: 503,
      after: true,
    });
    const asked = await fx.ask('student-05');
    expect(await fx.settled(asked.jobId)).toBe('completed');
    expect(faults.pending).toBe(0);
    const parents = parentsFor(fx, CLASS, 'student-05/pod-keyvault');
    expect(parents).toHaveLength(1);
    const report = await createDeliveryLedger(fx.redis, redisKeys(fx.prefix)).report(asked.jobId);
    if (!report) throw new Error('no stored report');
    const { replies } = renderDiagnosis(report, { jobId: asked.jobId });
    const thread = texts(CLASS, parents[0]?.ts ?? '');
    expect(thread, JSON.stringify(thread)).toEqual(replies.map((r) => r.text));
    expect(fx.logLines.some((l) => l.includes('already in Slack; not posting it again'))).toBe(true);
  });

  it('does not post a reply again after the ledger write that follows it failed (the next run looks first)', async () => {
    const real = createDeliveryLedger(fx.redis, redisKeys(fx.prefix));
    let failed = false;
    // Slack accepted reply 2, then Redis failed the write that records it: the attempt fails after the post.
    const flaky: DeliveryLedger = {
      ...real,
      async settle(jobId, owner, patch) {
        if (patch.replies === 2 && !failed) {
          failed = true;
          throw new Error('Connection is closed.');
        }
        return real.settle(jobId, owner, patch);
      },
    };
    const { parent, replies } = answer('ledger-lost');
    const job = jobOf('student-06');
    const first = await openAnswerDelivery(deliveryDeps(flaky), 'job-ledger-lost', job);
    await first.start(parent, { final: true });
    await expect(first.finish(parent, replies)).rejects.toThrow('Connection is closed.');
    expect(failed).toBe(true);
    // BullMQ runs the job again: a new run, the ledger says 1 reply out and a claim on reply 2 never settled.
    const deps = deliveryDeps();
    const retry = await openAnswerDelivery(deps, 'job-ledger-lost', job);
    await retry.finish(parent, replies);
    const record = await real.get('job-ledger-lost');
    expect(record.replies).toBe(3);
    expect(texts(CLASS, record.parentTs ?? '')).toEqual([
      'ledger-lost reply 1',
      'ledger-lost reply 2',
      'ledger-lost reply 3',
    ]);
    expect(deps.lines.some((l) => l.includes('already in Slack'))).toBe(true);
  });

  it('posts each reply once when two runs of one job deliver at the same time (a stalled job re-run)', async () => {
    const { parent, replies } = answer('two-runs');
    const job = jobOf('student-07');
    const first = await openAnswerDelivery(deliveryDeps(), 'job-two-runs', job);
    await first.start(parent, { final: true });
    // The stalled-job check hands the job to a second run while the first still runs: both read the same record.
    const [a, b] = await Promise.all([
      openAnswerDelivery(deliveryDeps(), 'job-two-runs', job),
      openAnswerDelivery(deliveryDeps(), 'job-two-runs', job),
    ]);
    await Promise.all([a.finish(parent, replies), b.finish(parent, replies), first.finish(parent, replies)]);
    const record = await createDeliveryLedger(fx.redis, redisKeys(fx.prefix)).get('job-two-runs');
    expect(record.replies).toBe(3);
    const thread = texts(CLASS, record.parentTs ?? '');
    expect(thread, JSON.stringify(thread)).toEqual(['two-runs reply 1', 'two-runs reply 2', 'two-runs reply 3']);
    expect(parentsFor(fx, CLASS, 'two-runs parent')).toHaveLength(1);
  });

  it('posts the parent once when two runs start the same answer at the same time', async () => {
    const { parent, replies } = answer('two-parents');
    const job = jobOf('student-08');
    const runs = await Promise.all([0, 1, 2].map(() => openAnswerDelivery(deliveryDeps(), 'job-two-parents', job)));
    await Promise.all(runs.map((r) => r.start(parent, { final: true })));
    await Promise.all(runs.map((r) => r.finish(parent, replies)));
    expect(parentsFor(fx, CLASS, 'two-parents parent')).toHaveLength(1);
    const record = await createDeliveryLedger(fx.redis, redisKeys(fx.prefix)).get('job-two-parents');
    expect(texts(CLASS, record.parentTs ?? '')).toEqual([
      'two-parents reply 1',
      'two-parents reply 2',
      'two-parents reply 3',
    ]);
  });

  it('shows the verdict through the response_url once when three runs reach it at the same time', async () => {
    const { parent } = answer('notice');
    const user = fx.studentOf('student-09');
    const { responseUrl } = fx.classroom.slack.server.openInteraction({ kind: 'command', user, channel: CLASS });
    const job = { ...jobOf('student-09'), requester: { user, team: 'T0', channel: CLASS, responseUrl } };
    // A channel with no free slot now: each run notices the asker instead of posting the parent.
    const busy = Object.assign(async () => {}, { tryNow: async () => false });
    const deps = () => ({ ...deliveryDeps(), poster: posterWith(busy) });
    const runs = await Promise.all([0, 1, 2].map(() => openAnswerDelivery(deps(), 'job-notice', job)));
    const shown = await Promise.all(
      runs.map((r) => r.showVerdict(parent, () => answer('notice').replies[0] as SlackMessage)),
    );
    expect(shown).toEqual(['notice', 'notice', 'notice']);
    expect(fx.classroom.slack.server.store.responses(responseUrl)).toHaveLength(1);
    expect((await createDeliveryLedger(fx.redis, redisKeys(fx.prefix)).get('job-notice')).verdictNoticed).toBe(true);
  });
});
