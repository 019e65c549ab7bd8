/**
 * The BullMQ processor of a diagnosis job (docs/architecture.md "Worker"): check the job data, show progress if that
 * costs no wait, run the engine, render, show the verdict at once (the parent, or the response_url when the channel
 * is busy), and hand the threaded answer to the delivery queue, which posts it in the channel's turn: a slot never
 * sleeps on Slack's pace. Errors are signals: bad job data, an invalid target or a message Slack refuses throw
 * `UnrecoverableError` (no retry); Slack or Redis being unavailable propagates, so BullMQ retries with
 * exponential backoff, and the delivery ledger makes the retry continue where the last attempt stopped.
 * The finished report is kept (it holds names and statuses, never a secret value) so a retry re-renders the same
 * answer instead of diagnosing again, and "Show all checks" can show it later.
 */
import { DelayedError, type Job, UnrecoverableError, WaitingError } from 'bullmq';
import { UserInputError } from '../../diagnostics/errors.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import type { Logger } from '../logger.ts';
import { ChatDeliveryError, type ChatPoster } from '../ports/chat-poster.ts';
import type { DiagnosisJob, KvlabJob, StatusJobV1 } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import { renderDiagnosis, renderPrivateParent, renderProgress } from '../slack/render-diagnosis.ts';
import { renderVerdictNotice } from '../slack/render-verdict.ts';
import { type AlertJobDeps, processAlertJob } from '../watcher/alert-job.ts';
import { openAnswerDelivery } from './answer-delivery.ts';
import { processStatusJob, type StatusDeps } from './status-processor.ts';

export interface ProcessorDeps {
  engine: StatusDeps['engine'];
  poster: ChatPoster;
  ledger: DeliveryLedger;
  log: Logger;
  /** The watcher's alert store per cluster; jobs with `origin: 'alert'` are posted as alerts through it. */
  alerts?: AlertJobDeps['alerts'];
  /** Redis for class status (its short-lived cache and reply lists); status jobs need it. */
  status?: Pick<StatusDeps, 'redis' | 'keys'>;
  /** Told when a job waits for Slack's Retry-After (metrics). */
  onDelayed?: (kind: string) => void;
  /**
   * Longest a job may wait for Slack's rate limits, counted from when it was queued (default
   * {@link MAX_RATE_LIMIT_WAIT_MS}): beyond it the job fails and the asker is told.
   */
  giveUpMs?: number;
  /**
   * Where a threaded answer waits for its channel's turn (the delivery queue, src/worker/delivery-processor.ts).
   * Without it the diagnosis slot posts the whole answer itself, waiting for the pace.
   */
  deliveries?: { add(jobId: string, job: DiagnosisJob): Promise<void> };
}

/** Default of {@link ProcessorDeps.giveUpMs}: 30 minutes, when a response_url expires too. */
export const MAX_RATE_LIMIT_WAIT_MS = 30 * 60_000;

export interface JobOutcome {
  verdict: string;
}

/**
 * The processor BullMQ runs for diagnosis jobs (and, through {@link withQueueSignals}, the delivery worker's).
 */
export function createDiagnosisProcessor(deps: ProcessorDeps) {
  return withQueueSignals(deps, processJob(deps));
}

/**
 * Around a job: a Slack 429 whose Retry-After the poster would not wait out
 * moves the job to the delayed set until then (`moveToDelayed` + `DelayedError`: no attempt is spent, unlike a retry
 * after 2, 4, 8 s), until `giveUpMs` has passed since it was queued; and a shutdown whose grace
 * ran out (`worker.cancelAllJobs`, the abort `signal`) hands the job back to the waiting list (`moveToWait` +
 * `WaitingError`), where another worker continues it from the delivery ledger.
 */
export function withQueueSignals<T extends { kind?: string } | undefined>(
  deps: Pick<ProcessorDeps, 'log' | 'onDelayed' | 'giveUpMs'>,
  run: (job: Job<T>) => Promise<JobOutcome>,
) {
  return async (job: Job<T>, token?: string, signal?: AbortSignal): Promise<JobOutcome> => {
    const log = deps.log.child({ jobId: job.id });
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const outcome = await Promise.race([run(job), aborted]);
      if (outcome !== 'aborted') return outcome;
      await job.moveToWait(token);
      log.info('shutting down: job handed back to the queue');
      throw new WaitingError();
    } catch (err) {
      const retryAfterMs = rateLimitOf(err);
      if (retryAfterMs === undefined || token === undefined) throw err;
      const until = Date.now() + retryAfterMs + Math.round(Math.random() * 250);
      if (until - job.timestamp > (deps.giveUpMs ?? MAX_RATE_LIMIT_WAIT_MS)) {
        log.error({ retryAfterMs }, 'Slack kept rate-limiting this answer for too long; giving up');
        throw new UnrecoverableError('Slack rate-limited the answer for too long.');
      }
      await job.moveToDelayed(until, token);
      deps.onDelayed?.(job.data?.kind ?? 'diagnose');
      log.info({ retryAfterMs }, 'Slack rate limit: the job waits for its Retry-After');
      throw new DelayedError();
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** Slack's Retry-After of a rate limit the poster gave up waiting for, anywhere in the error's cause chain. */
function rateLimitOf(err: unknown): number | undefined {
  for (let e = err as { retryAfterMs?: number; cause?: unknown } | undefined, i = 0; e && i < 5; i++) {
    if (e instanceof ChatDeliveryError && e.retryAfterMs !== undefined) return e.retryAfterMs;
    e = e.cause as typeof e;
  }
  return undefined;
}

function processJob(deps: ProcessorDeps) {
  return async (job: Job<KvlabJob>): Promise<JobOutcome> => {
    if (job.data?.kind === 'status') {
      if (!deps.status) throw new UnrecoverableError('this worker was started without Redis for class status');
      return processStatusJob({ ...deps, ...deps.status }, job as Job<StatusJobV1>).catch((err: unknown) => {
        throw asJobError(err, deps.log.child({ jobId: job.id, kind: 'status' }));
      });
    }
    const jobId = String(job.id);
    const data = readJobData(job.data);
    const log = deps.log.child({
      jobId,
      target: `${data.namespace}/${data.pod}`,
      origin: data.origin,
      attempt: job.attemptsMade + 1,
    });
    try {
      if (data.origin === 'alert' && data.alert && deps.alerts) {
        return await processAlertJob({ ...deps, alerts: deps.alerts, log }, job as Job<DiagnosisJob>, {
          ...data,
          alert: data.alert,
        });
      }
      const delivery = await openAnswerDelivery({ ...deps, log }, jobId, data);
      const resumed = delivery.record().parentTs !== undefined;
      if (resumed) log.info({ replies: delivery.record().replies }, 'resuming a job that already posted');
      await delivery.startIfFree(renderProgress({ namespace: data.namespace, pod: data.pod }));

      let report = await deps.ledger.report(jobId);
      if (!report) {
        const started = performance.now();
        const progress = progressUpdater((done) =>
          delivery.progress(renderProgress({ namespace: data.namespace, pod: data.pod }, done)),
        );
        const result = await runDiagnosis(
          data.namespace,
          data.pod,
          deps.engine.ports,
          deps.engine.gather,
          undefined,
          progress.step,
        );
        report = result.report;
        await progress.settled();
        log.info(
          {
            verdict: report.verdict,
            problems: report.problems.length,
            top: report.problems[0]?.category,
            ms: Math.round(performance.now() - started),
          },
          'diagnosis done',
        );
        // No such pod: a student's typo is answered to them alone, not in front of the class.
        if (result.podMissing) await delivery.answerPrivately();
        await deps.ledger.saveReport(jobId, report);
      }
      const { parent, replies } = renderDiagnosis(report, { jobId });
      const privateParent = renderPrivateParent(report, { jobId });
      const shown =
        delivery.record().route === 'response_url'
          ? 'none'
          : await delivery.showVerdict(parent, (where) => renderVerdictNotice(parent, where));
      if (delivery.record().route === 'response_url' || !deps.deliveries) {
        // Answers by response_url are not paced by any channel, and without a delivery queue the slot posts itself.
        await delivery.start(parent, { final: true });
        await delivery.finish(parent, replies, privateParent);
        log.info({ replies: replies.length, route: delivery.record().route }, 'answer delivered');
      } else {
        await deps.deliveries.add(jobId, data);
        log.info({ shown, route: delivery.record().route }, "verdict shown; the thread follows in the channel's turn");
      }
      return { verdict: report.verdict };
    } catch (err) {
      throw asJobError(err, log);
    }
  };
}

/** Shows progress at most every PROGRESS_EVERY_MS (Slack's chat.update is rate limited), in order, never failing the job. */
const PROGRESS_EVERY_MS = 1_500;

function progressUpdater(show: (done: string[]) => Promise<void>) {
  const done: string[] = [];
  let last = performance.now();
  let chain = Promise.resolve();
  return {
    step(name: string) {
      done.push(name);
      if (performance.now() - last < PROGRESS_EVERY_MS) return;
      last = performance.now();
      const snapshot = [...done];
      chain = chain.then(() => show(snapshot)).catch(() => {});
    },
    settled: () => chain,
  };
}

/** Job data as the receiver wrote it; anything else cannot be processed by this version. */
export function readJobData(data: unknown): DiagnosisJob {
  const d = data as Partial<DiagnosisJob> | null;
  const ok =
    d?.v === 1 &&
    d.kind === 'diagnose' &&
    typeof d.namespace === 'string' &&
    typeof d.pod === 'string' &&
    typeof d.requester?.user === 'string' &&
    typeof d.requester.channel === 'string';
  if (!ok) {
    throw new UnrecoverableError(
      `job data is not a version-1 diagnose job (v=${String(d?.v)}); it was written by another kvlab version.`,
    );
  }
  return d as DiagnosisJob;
}

/** Decides retry or not: input and content errors are final, dependency errors are retried. */
export function asJobError(err: unknown, log: Logger): Error {
  if (err instanceof UnrecoverableError) return err;
  if (err instanceof UserInputError) {
    log.warn({ err }, 'invalid diagnosis target');
    return new UnrecoverableError(err.message);
  }
  if (err instanceof ChatDeliveryError && err.failure !== 'transient') {
    log.error({ err, slackError: err.slackError }, 'Slack refused the answer; not retrying');
    return new UnrecoverableError(err.message);
  }
  log.warn({ err }, 'attempt failed; BullMQ will retry with backoff');
  return err instanceof Error ? err : new Error(String(err));
}
