/**
 * The delivery worker's processor (issue 12): posts a diagnosis's threaded answer — the parent if the diagnosis
 * could not post it at once, then the replies in order — in the channel's turn. Waiting for the turn is a timer on
 * the channel's Redis token bucket (src/queue/channel-pacer.ts), so many deliveries wait at once for the cost of a
 * promise each, while the diagnosis slots go on diagnosing. Jobs are taken in the order their verdicts were
 * reached, and each reserves its parent's slot first, so a busy channel gets every parent before the replies behind
 * them. Exactly once, as before: the delivery ledger of the diagnosis job says what is already in Slack, so a
 * retried or stalled delivery (its worker died) continues where it stopped; 429s beyond the poster's patience move
 * the job to the delayed set until Slack's Retry-After ({@link withQueueSignals}).
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { DeliveryJobV1 } from '../ports/diagnosis-queue.ts';
import { renderDiagnosis, renderPrivateParent } from '../slack/render-diagnosis.ts';
import { openAnswerDelivery } from './answer-delivery.ts';
import {
  asJobError,
  type JobOutcome,
  type ProcessorDeps,
  readJobData,
  withQueueSignals,
} from './diagnosis-processor.ts';

export type DeliveryDeps = Pick<ProcessorDeps, 'poster' | 'ledger' | 'log' | 'onDelayed' | 'giveUpMs'>;

/** BullMQ's id of a diagnosis job's delivery: one per diagnosis, so a retried diagnosis never queues a second. */
export const deliveryJobId = (diagnosisJobId: string) => `deliver-${diagnosisJobId}`;

export function createDeliveryProcessor(deps: DeliveryDeps) {
  return withQueueSignals(deps, async (job: Job<DeliveryJobV1>): Promise<JobOutcome> => {
    const data = readDeliveryJob(job.data);
    const log = deps.log.child({ jobId: data.jobId, kind: 'deliver', attempt: job.attemptsMade + 1 });
    try {
      const report = await deps.ledger.report(data.jobId);
      if (!report) {
        throw new UnrecoverableError(
          `the report of job ${data.jobId} is no longer in Redis (kept 3 days); nothing to post. Ask again.`,
        );
      }
      const { parent, replies } = renderDiagnosis(report, { jobId: data.jobId });
      const privateParent = renderPrivateParent(report, { jobId: data.jobId });
      const delivery = await openAnswerDelivery({ ...deps, log }, data.jobId, data.job);
      await delivery.start(parent, { final: true });
      await delivery.finish(parent, replies, privateParent);
      log.info({ replies: replies.length, route: delivery.record().route }, 'answer delivered');
      return { verdict: report.verdict };
    } catch (err) {
      throw asJobError(err, log);
    }
  });
}

function readDeliveryJob(data: unknown): DeliveryJobV1 {
  const d = data as Partial<DeliveryJobV1> | null;
  if (d?.v !== 1 || d.kind !== 'deliver' || typeof d.jobId !== 'string') {
    throw new UnrecoverableError(
      `job data is not a version-1 delivery job (v=${String(d?.v)}); it was written by another kvlab version.`,
    );
  }
  return { ...d, job: readJobData(d.job) } as DeliveryJobV1;
}
