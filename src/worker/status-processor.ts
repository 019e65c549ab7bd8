/**
 * The worker's side of `/kvlab status`: validate the job, take the class status from the short-lived cache or
 * compute it (one cluster snapshot), then answer. An instructor's class status goes to their DM — a parent with the
 * summary and the row pages threaded under it, posted exactly once across retries (delivery ledger + the list of
 * reply ts), and edited in place on Refresh. A student's own row is an ephemeral message where they asked.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GatherOptions, Ports } from '../../diagnostics/gather/gather-evidence.ts';
import type { ClassReader } from '../../diagnostics/ports/class-reader.ts';
import { runClassStatus } from '../../diagnostics/status/class-status.ts';
import { isDns1123Label } from '../../diagnostics/target.ts';
import type { Logger } from '../logger.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import type { StatusJobV1 } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import type { RedisKeys } from '../queue/redis.ts';
import { cachedClassStatus } from '../queue/status-cache.ts';
import { finishMessage } from '../slack/budget.ts';
import { type SlackMessage, section } from '../slack/messages.ts';
import { renderClassStatus, renderOwnStatus, renderStatusProgress } from '../slack/render-status.ts';

export interface StatusDeps {
  engine: { ports: Ports; gather: GatherOptions; classes?: ClassReader };
  poster: ChatPoster;
  ledger: DeliveryLedger;
  redis: Redis;
  keys: RedisKeys;
  log: Logger;
  now?: () => Date;
}

/** Largest class a status job may carry (far above any classroom; bounds the job and the snapshot work). */
export const MAX_STATUS_STUDENTS = 2_000;
/** How long the reply list of a status message is kept for Refresh (as long as the ledger keeps a job). */
const REPLIES_TTL_SECONDS = 3 * 24 * 3600;

export async function processStatusJob(deps: StatusDeps, job: Job<StatusJobV1>): Promise<{ verdict: string }> {
  const data = readStatusJob(job.data);
  const { classes } = deps.engine;
  if (!classes) throw new UnrecoverableError('this worker was started without the class reader');
  const now = deps.now ?? (() => new Date());
  const report = await cachedClassStatus(deps.redis, deps.keys, data.class.name, () =>
    runClassStatus(data.class, { cluster: deps.engine.ports.cluster, classes }, deps.engine.gather, now),
  );
  const log = deps.log.child({ jobId: job.id, class: data.class.name, scope: data.scope });
  if (data.scope === 'own') {
    await answerOwn(deps, data, renderOwnStatus(report, data.requester.user, now()));
    log.info('own status delivered');
    return { verdict: 'status' };
  }
  const { parent, replies } = renderClassStatus(report, now());
  if (data.messageTs) await refresh(deps, data.requester.channel, data.messageTs, parent, replies);
  else await firstDelivery(deps, String(job.id), data, parent, replies);
  log.info({ students: report.summary.students, replies: replies.length }, 'class status delivered');
  return { verdict: 'status' };
}

async function answerOwn(deps: StatusDeps, data: StatusJobV1, message: SlackMessage): Promise<void> {
  const { channel, user, responseUrl } = data.requester;
  try {
    await deps.poster.postEphemeral(channel, user, message);
  } catch (err) {
    if (!responseUrl) throw err;
    await deps.poster.respond(responseUrl, message);
  }
}

/** DM → progress parent → final parent → row pages, each step recorded so a retry continues, never repeats. */
async function firstDelivery(
  deps: StatusDeps,
  jobId: string,
  data: StatusJobV1,
  parent: SlackMessage,
  replies: SlackMessage[],
): Promise<void> {
  let record = await deps.ledger.get(jobId);
  if (!record.parentTs) {
    const dm = await deps.poster.openDm(data.requester.user);
    const posted = await deps.poster.post(dm, renderStatusProgress(data.class.name));
    await deps.ledger.set(jobId, { route: 'dm', channel: posted.channel, parentTs: posted.ts, threadTs: posted.ts });
    record = await deps.ledger.get(jobId);
  }
  const channel = record.channel as string;
  const parentTs = record.parentTs as string;
  if (!record.final) {
    await deps.poster.update(channel, parentTs, parent);
    await deps.ledger.set(jobId, { final: true });
  }
  await syncReplies(deps, channel, parentTs, replies);
}

/** Refresh: the same parent and the same replies, edited in place; new pages appended, surplus ones emptied. */
async function refresh(
  deps: StatusDeps,
  channel: string,
  parentTs: string,
  parent: SlackMessage,
  replies: SlackMessage[],
): Promise<void> {
  await deps.poster.update(channel, parentTs, parent);
  await syncReplies(deps, channel, parentTs, replies, true);
}

async function syncReplies(
  deps: StatusDeps,
  channel: string,
  parentTs: string,
  replies: SlackMessage[],
  editExisting = false,
): Promise<void> {
  const key = deps.keys.statusReplies(channel, parentTs);
  const posted = await deps.redis.lrange(key, 0, -1);
  for (const [i, reply] of replies.entries()) {
    const ts = posted[i];
    if (ts) {
      if (editExisting) await deps.poster.update(channel, ts, reply);
      continue;
    }
    const sent = await deps.poster.post(channel, reply, { threadTs: parentTs });
    await deps.redis.multi().rpush(key, sent.ts).expire(key, REPLIES_TTL_SECONDS).exec();
  }
  if (editExisting) {
    for (const ts of posted.slice(replies.length)) {
      await deps.poster.update(channel, ts, finishMessage('No more students.', [section('_No more students._')]));
    }
  }
}

/** Job data as the receiver wrote it; names validated again (BullMQ data is only as trusted as Redis). */
export function readStatusJob(data: unknown): StatusJobV1 {
  const d = data as Partial<StatusJobV1> | null;
  const students = d?.class?.students;
  const ok =
    d?.v === 1 &&
    d.kind === 'status' &&
    (d.scope === 'class' || d.scope === 'own') &&
    typeof d.class?.name === 'string' &&
    isDns1123Label(d.class.name) &&
    Array.isArray(students) &&
    students.length <= MAX_STATUS_STUDENTS &&
    students.every((s) => typeof s?.user === 'string' && isDns1123Label(String(s.namespace))) &&
    typeof d.requester?.user === 'string' &&
    typeof d.requester.channel === 'string';
  if (!ok)
    throw new UnrecoverableError('job data is not a version-1 status job; it was written by another kvlab version.');
  return d as StatusJobV1;
}
