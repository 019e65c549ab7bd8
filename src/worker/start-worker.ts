/**
 * Runs the BullMQ worker for diagnosis jobs (docs/architecture.md "Worker"): `concurrency` jobs at a time, a job lock of
 * `lockMs` renewed while the job runs — if the process dies, the lock lapses and another worker's stalled-job
 * check, every `lockMs / 4`, hands the job on (BullMQ "stalled jobs"), where the delivery ledger lets it continue:
 * a dead worker's job runs again 1–1.5 lock periods after the crash. `worker.on('error')` is handled (an unhandled
 * one would crash the process), and `close(graceMs)` waits for running jobs that long, then hands them back.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import type { AuditLog } from '../audit.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import type { KvlabJob } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import { bullConnection, DIAGNOSIS_QUEUE, type RedisTarget } from '../queue/redis.ts';
import { createDiagnosisProcessor, type JobOutcome, type ProcessorDeps } from './diagnosis-processor.ts';
import { notifyFailure } from './failure-notice.ts';

export interface WorkerOptions {
  redisUrl: RedisTarget;
  prefix: string;
  concurrency: number;
  /** Lock duration; the stalled-job check runs four times per lock period. */
  lockMs: number;
}

export interface RunningWorker {
  worker: Worker<KvlabJob, JobOutcome>;
  /**
   * Stops taking jobs and waits for the running ones (graceful shutdown on SIGTERM); after `graceMs` the rest are
   * handed back to the queue for another worker.
   */
  close(graceMs?: number): Promise<void>;
}

export function startDiagnosisWorker(
  options: WorkerOptions,
  deps: ProcessorDeps & { poster: ChatPoster; ledger: DeliveryLedger; metrics?: Metrics; audit?: AuditLog },
): RunningWorker {
  const log: Logger = deps.log.child({ component: 'worker' });
  const { metrics, audit } = deps;
  const processor = createDiagnosisProcessor({
    ...deps,
    log,
    ...(metrics ? { onDelayed: (kind: string) => metrics.job(kind, 'delayed') } : {}),
  });
  const worker = new Worker<KvlabJob, JobOutcome>(DIAGNOSIS_QUEUE, processor, {
    connection: bullConnection(options.redisUrl),
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    // Checked often, so a dead worker's job moves on soon after its lock lapses (one Lua call per check).
    stalledInterval: Math.max(100, Math.round(options.lockMs / 4)),
    // A job whose worker died twice is failed rather than handed on forever.
    maxStalledCount: 2,
  });
  worker.on('error', (err) => log.error({ err }, 'worker error (Redis connection?)'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'a job stalled (its worker stopped); it will run again'));
  const seconds = (job: { processedOn?: number; finishedOn?: number }) =>
    job.processedOn && job.finishedOn ? (job.finishedOn - job.processedOn) / 1000 : undefined;
  const auditOf = (job: { id?: string; data: KvlabJob }) => ({
    user: job.data.requester?.user ?? 'unknown',
    action: job.data.kind === 'status' ? 'status' : job.data.origin === 'alert' ? 'alert' : 'diagnose',
    jobId: String(job.id),
    ...(job.data.kind === 'status'
      ? { class: job.data.class?.name }
      : { namespace: job.data.namespace, pod: job.data.pod }),
  });
  worker.on('completed', (job, outcome) => {
    metrics?.job(job.data?.kind ?? 'diagnose', 'completed', seconds(job));
    if (job.data?.kind === 'diagnose' && job.data.origin === 'alert') metrics?.alert('posted');
    if (job.data) void audit?.record({ ...auditOf(job), stage: 'answered', verdict: outcome?.verdict ?? 'done' });
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError';
    const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade;
    metrics?.job(job.data?.kind ?? 'diagnose', !final && attemptsLeft > 0 ? 'retried' : 'failed', seconds(job));
    if (!final && attemptsLeft > 0) return;
    if (job.data) void audit?.record({ ...auditOf(job), stage: 'failed' });
    log.error({ jobId: job.id, err, attempts: job.attemptsMade }, 'job failed for good');
    notifyFailure(deps, String(job.id), job.data).catch((e: unknown) =>
      log.warn({ jobId: job.id, err: e }, 'could not tell the user that the job failed'),
    );
  });
  return {
    worker,
    async close(graceMs) {
      const closing = worker.close();
      if (graceMs === undefined) return closing;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        closing.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (finished) return;
      log.warn({ graceMs }, 'shutdown grace is over: handing running jobs back to the queue');
      worker.cancelAllJobs('shutdown');
      await closing;
    },
  };
}
