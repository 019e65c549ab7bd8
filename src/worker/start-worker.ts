/**
 * Runs the BullMQ worker for diagnosis jobs (docs/architecture.md "Worker"): `concurrency` jobs at a time, a job lock of
 * `lockMs` renewed while the job runs — if the process dies, the lock lapses and another worker's stalled-job
 * check, every `lockMs / 4`, hands the job on (BullMQ "stalled jobs"), where the delivery ledger lets it continue:
 * a dead worker's job runs again 1–1.5 lock periods after the crash. `worker.on('error')` is handled (an unhandled
 * one would crash the process), and `close(graceMs)` waits for running jobs that long, then hands them back.
 * Next to it, the delivery worker (same process, same rules): it posts threaded answers in their channel's turn,
 * up to {@link DELIVERY_CONCURRENCY} at once, each waiting on a timer rather than holding a diagnosis slot.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { AuditLog } from '../audit.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import type { DeliveryJobV1, DiagnosisJob, KvlabJob } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import { bullConnection, DELIVERY_QUEUE, DIAGNOSIS_QUEUE, type RedisTarget } from '../queue/redis.ts';
import { createDeliveryProcessor, deliveryJobId } from './delivery-processor.ts';
import { createDiagnosisProcessor, type JobOutcome, type ProcessorDeps } from './diagnosis-processor.ts';
import { notifyFailure } from './failure-notice.ts';

export interface WorkerOptions {
  redisUrl: RedisTarget;
  prefix: string;
  concurrency: number;
  /** Lock duration; the stalled-job check runs four times per lock period. */
  lockMs: number;
  /** Attempts and backoff of the delivery jobs this worker queues (the diagnosis queue's policy). */
  attempts?: number;
  backoffMs?: number;
}

/**
 * Deliveries in flight per worker process. Each mostly waits for its channel's slot (a timer), so this is about
 * how far ahead a busy channel's parents are reserved: above a class's size, every parent is reserved before
 * any reply behind it.
 */
export const DELIVERY_CONCURRENCY = 256;

export interface RunningWorker {
  worker: Worker<KvlabJob, JobOutcome>;
  deliveryWorker: Worker<DeliveryJobV1, JobOutcome>;
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
  const deliveryQueue = new Queue<DeliveryJobV1>(DELIVERY_QUEUE, {
    connection: bullConnection(options.redisUrl),
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 1_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  deliveryQueue.on('error', (err) => log.error({ err }, 'delivery queue error (Redis connection?)'));
  const processor = createDiagnosisProcessor({
    ...deps,
    log,
    ...(metrics ? { onDelayed: (kind: string) => metrics.job(kind, 'delayed') } : {}),
    deliveries: {
      async add(jobId: string, job: DiagnosisJob) {
        await deliveryQueue.add('deliver', { v: 1, kind: 'deliver', jobId, job }, { jobId: deliveryJobId(jobId) });
      },
    },
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
  const deliveryLog = log.child({ role: 'delivery' });
  const deliveryWorker = new Worker<DeliveryJobV1, JobOutcome>(
    DELIVERY_QUEUE,
    createDeliveryProcessor({
      ...deps,
      log: deliveryLog,
      ...(metrics ? { onDelayed: (kind: string) => metrics.job(kind, 'delayed') } : {}),
    }),
    {
      connection: bullConnection(options.redisUrl),
      prefix: options.prefix,
      concurrency: DELIVERY_CONCURRENCY,
      lockDuration: options.lockMs,
      stalledInterval: Math.max(100, Math.round(options.lockMs / 4)),
      maxStalledCount: 2,
    },
  );
  deliveryWorker.on('error', (err) => deliveryLog.error({ err }, 'delivery worker error (Redis connection?)'));
  deliveryWorker.on('stalled', (jobId) => deliveryLog.warn({ jobId }, 'a delivery stalled; it will run again'));
  deliveryWorker.on('completed', (job) => metrics?.job('deliver', 'completed', seconds(job)));
  deliveryWorker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError';
    const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade;
    metrics?.job('deliver', !final && attemptsLeft > 0 ? 'retried' : 'failed', seconds(job));
    if (!final && attemptsLeft > 0) return;
    deliveryLog.error({ jobId: job.data?.jobId, err, attempts: job.attemptsMade }, 'delivery failed for good');
    if (!job.data?.job) return;
    notifyFailure(deps, job.data.jobId, job.data.job).catch((e: unknown) =>
      deliveryLog.warn({ jobId: job.data.jobId, err: e }, 'could not tell the user that the answer failed'),
    );
  });
  const closeAll = () => Promise.all([worker.close(), deliveryWorker.close()]).then(() => deliveryQueue.close());
  return {
    worker,
    deliveryWorker,
    async close(graceMs) {
      const closing = closeAll();
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
      deliveryWorker.cancelAllJobs('shutdown');
      await closing;
    },
  };
}
