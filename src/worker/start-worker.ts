/**
 * Runs the BullMQ worker for diagnosis jobs (docs/architecture.md "Worker"): `concurrency` jobs at a time, a job lock of
 * `lockMs` renewed while the job runs — if the process dies, the lock lapses and another worker's stalled-job
 * check hands the job on (BullMQ "stalled jobs"), where the delivery ledger lets it continue. `worker.on('error')`
 * is handled (an unhandled one would crash the process), and `close()` waits for running jobs to finish.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from '../logger.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import type { KvlabJob } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import { bullConnection, DIAGNOSIS_QUEUE } from '../queue/redis.ts';
import { createDiagnosisProcessor, type JobOutcome, type ProcessorDeps } from './diagnosis-processor.ts';
import { notifyFailure } from './failure-notice.ts';

export interface WorkerOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** Lock duration; the stalled-job check runs at the same interval. */
  lockMs: number;
}

export interface RunningWorker {
  worker: Worker<KvlabJob, JobOutcome>;
  /** Stops taking jobs and waits for the running ones (graceful shutdown on SIGTERM). */
  close(): Promise<void>;
}

export function startDiagnosisWorker(
  options: WorkerOptions,
  deps: ProcessorDeps & { poster: ChatPoster; ledger: DeliveryLedger },
): RunningWorker {
  const log: Logger = deps.log.child({ component: 'worker' });
  const worker = new Worker<KvlabJob, JobOutcome>(DIAGNOSIS_QUEUE, createDiagnosisProcessor({ ...deps, log }), {
    connection: bullConnection(options.redisUrl),
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // A job whose worker died twice is failed rather than handed on forever.
    maxStalledCount: 2,
  });
  worker.on('error', (err) => log.error({ err }, 'worker error (Redis connection?)'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'a job stalled (its worker stopped); it will run again'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError';
    const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade;
    if (!final && attemptsLeft > 0) return;
    log.error({ jobId: job.id, err, attempts: job.attemptsMade }, 'job failed for good');
    notifyFailure(deps, String(job.id), job.data).catch((e: unknown) =>
      log.warn({ jobId: job.id, err: e }, 'could not tell the user that the job failed'),
    );
  });
  return {
    worker,
    close: () => worker.close(),
  };
}
