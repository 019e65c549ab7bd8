/**
 * {@link DiagnosisQueue} on BullMQ. Every job gets kvlab's retry policy (attempts with exponential backoff; the
 * worker throws `UnrecoverableError` for what no retry can fix), is deduplicated by "same user, same pod" while
 * pending (BullMQ `deduplication`: a second `add` returns the pending job instead of queueing one), and is
 * removed from Redis some time after it finishes so the queue does not grow without bound.
 */
import { Queue } from 'bullmq';
import type { DiagnosisQueue, EnqueueResult, KvlabJob } from '../ports/diagnosis-queue.ts';
import { bullConnection, DIAGNOSIS_QUEUE, type RedisTarget } from './redis.ts';

export interface BullQueueOptions {
  redisUrl: RedisTarget;
  prefix: string;
  attempts: number;
  backoffMs: number;
}

/** The naming rules live with the port (src/ports/job-ids.ts); re-exported for existing callers. */
export { dedupeKeyFor, jobIdFor } from '../ports/job-ids.ts';

export function createBullDiagnosisQueue(options: BullQueueOptions): DiagnosisQueue & { bull: Queue<KvlabJob> } {
  const queue = new Queue<KvlabJob>(DIAGNOSIS_QUEUE, {
    connection: bullConnection(options.redisUrl),
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 1_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  const add = async (
    job: KvlabJob,
    { dedupeKey, jobId }: { dedupeKey: string; jobId: string },
  ): Promise<EnqueueResult> => {
    const added = await queue.add(job.kind, job, { jobId, deduplication: { id: dedupeKey } });
    const id = String(added.id);
    return { jobId: id, joined: id !== jobId };
  };
  return {
    bull: queue,
    enqueue: add,
    enqueueStatus: add,
    close: () => queue.close(),
  };
}
