/**
 * The worker's side of an alert (a diagnose job with `origin: 'alert'`): the same diagnosis `/kvlab diagnose`
 * runs, posted as the alert. The parent goes to the class's alert channel at once (without the verdict), its
 * place is recorded on the alert so the watcher can edit it, then the engine runs and the parent is edited to
 * show the verdict, category, lab row and fix; the failing event and the full explanation go in its thread.
 * Exactly-once across retries and worker crashes comes from the delivery ledger (answer-delivery.ts), the same
 * as for commands. A class whose roster entry opts in (`alertDmStudents`) also gets a DM to the student.
 */
import type { Job } from 'bullmq';
import type { GatherOptions, Ports } from '../../diagnostics/gather/gather-evidence.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import type { Logger } from '../logger.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import type { DiagnosisJob } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import { renderAlert, renderAlertDm, renderAlertEvent } from '../slack/render-alert.ts';
import { renderDiagnosis } from '../slack/render-diagnosis.ts';
import { openAnswerDelivery } from '../worker/answer-delivery.ts';
import type { AlertStore } from './alert-store.ts';

export interface AlertJobDeps {
  engine: { ports: Ports; gather: GatherOptions };
  poster: ChatPoster;
  ledger: DeliveryLedger;
  log: Logger;
  /** The alert store of a cluster. */
  alerts: (cluster: string) => AlertStore;
  now?: () => number;
}

export async function processAlertJob(
  deps: AlertJobDeps,
  job: Job<DiagnosisJob>,
  data: DiagnosisJob & { alert: { cluster: string; id: string } },
): Promise<{ verdict: string }> {
  const jobId = String(job.id);
  const now = deps.now ?? Date.now;
  const store = deps.alerts(data.alert.cluster);
  const log = deps.log.child({ alert: data.alert.id });
  const first = await store.load(data.alert.id);
  if (!first) {
    log.info('the alert is gone (expired or forgotten); nothing to post');
    return { verdict: 'gone' };
  }
  const delivery = await openAnswerDelivery(deps, jobId, {
    ...data,
    requester: { ...data.requester, channel: first.channel },
  });
  await delivery.start(renderAlert(first, { jobId, cluster: data.alert.cluster, now: now() }));
  const placed = delivery.record();
  await store.setDelivery(data.alert.id, {
    ...(placed.channel ? { channel: placed.channel } : {}),
    ...(placed.parentTs ? { ts: placed.parentTs } : {}),
    jobId,
  });

  let report = await deps.ledger.report(jobId);
  if (!report && first.kind !== 'summary') {
    ({ report } = await runDiagnosis(data.namespace, data.pod, deps.engine.ports, deps.engine.gather));
    await deps.ledger.saveReport(jobId, report);
    log.info({ verdict: report.verdict, top: report.problems[0]?.category }, 'alert diagnosed');
  }
  const alert = (await store.load(data.alert.id)) ?? first;
  const replies = report ? renderDiagnosis(report, { jobId }).replies : [];
  await delivery.finish(
    renderAlert(alert, { jobId, cluster: data.alert.cluster, now: now(), ...(report ? { report } : {}) }),
    [...(alert.kind === 'summary' ? [] : [renderAlertEvent(alert)]), ...replies],
  );
  await store.setDelivery(data.alert.id, { posted: true });

  if (alert.dmStudent && alert.student && alert.kind === 'pod' && alert.status !== 'resolved') {
    const sent = await store.delivery(data.alert.id);
    if (!sent.dmTs) {
      try {
        const dm = await deps.poster.openDm(alert.student);
        const posted = await deps.poster.post(dm, renderAlertDm(alert, report));
        await store.setDelivery(data.alert.id, { dmChannel: posted.channel, dmTs: posted.ts });
      } catch (err) {
        log.warn({ err }, 'could not DM the student about the alert');
      }
    }
  }
  return { verdict: report?.verdict ?? 'summary' };
}
