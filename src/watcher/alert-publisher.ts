/**
 * The effects side of the watcher: turns alert state into Slack. A newly open alert becomes a BullMQ diagnose
 * job (`origin: 'alert'`, job id `alert-<id>`, so a second leader's attempt to queue it is a no-op) that the
 * worker posts (alert-job.ts). Once the worker has recorded the posted parent, the publisher edits it — state
 * changes (resolved, re-opened, new category, mute) at once, count and "last seen" at most every
 * `updateEveryMs` — and posts the queued notes as thread replies. Slack failures leave the work queued for the
 * next tick; a parent someone deleted (`gone`) is not retried.
 */
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import type { Logger } from '../logger.ts';
import { ChatDeliveryError, type ChatPoster } from '../ports/chat-poster.ts';
import type { DiagnosisQueue } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import { renderAlert, renderAlertNote } from '../slack/render-alert.ts';
import type { AlertSettings, AlertState, WatchState } from './alert-model.ts';
import type { AlertDelivery, AlertStore } from './alert-store.ts';

export interface PublisherDeps {
  queue: DiagnosisQueue;
  poster: ChatPoster;
  store: AlertStore;
  ledger: Pick<DeliveryLedger, 'report'>;
  cluster: string;
  /** Who an alert's job is "from" (its DM fallback when the bot cannot post in the channel): an instructor. */
  requesterOf(alert: AlertState): string;
  log: Logger;
}

export interface Publisher {
  /** Does the Slack work `state` calls for; returns the ids whose state it changed (to persist). */
  publish(state: WatchState, now: number, s: AlertSettings): Promise<Set<string>>;
  /** Messages posted and edited so far (for the benchmark and logs). */
  stats(): { jobs: number; edits: number; notes: number };
}

export function createPublisher(deps: PublisherDeps): Publisher {
  const deliveries = new Map<string, AlertDelivery>();
  const reports = new Map<string, DiagnosisReport | undefined>();
  const counts = { jobs: 0, edits: 0, notes: 0 };

  async function deliveryOf(id: string): Promise<AlertDelivery> {
    const known = deliveries.get(id);
    if (known?.posted) return known;
    const d = await deps.store.delivery(id);
    deliveries.set(id, d);
    return d;
  }

  async function reportOf(jobId: string | undefined): Promise<DiagnosisReport | undefined> {
    if (!jobId) return undefined;
    if (!reports.has(jobId)) reports.set(jobId, await deps.ledger.report(jobId));
    return reports.get(jobId);
  }

  async function enqueue(alert: AlertState, now: number): Promise<void> {
    const id = `alert-${alert.id}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 200);
    await deps.queue.enqueue(
      {
        v: 1,
        kind: 'diagnose',
        namespace: alert.namespace,
        pod: alert.pod,
        requester: { user: deps.requesterOf(alert), team: '', channel: alert.channel },
        origin: 'alert',
        alert: { cluster: deps.cluster, id: alert.id },
        requestedAt: new Date(now).toISOString(),
      },
      { jobId: id, dedupeKey: `alert/${deps.cluster}/${alert.id}` },
    );
    counts.jobs++;
  }

  async function sync(alert: AlertState, now: number, s: AlertSettings): Promise<boolean> {
    const d = await deliveryOf(alert.id);
    if (!d.posted || !d.ts || !d.channel) return false;
    let changed = false;
    while (alert.notes.length) {
      const note = alert.notes[0];
      if (!note) break;
      await deps.poster.post(d.channel, renderAlertNote(alert, note), { threadTs: d.ts });
      alert.notes.shift();
      counts.notes++;
      changed = true;
    }
    const paced = (alert.syncedAt ?? 0) + s.updateEveryMs <= now;
    const muted = alert.mutedUntil !== undefined && alert.mutedUntil > now;
    if (alert.dirty && (alert.urgent || (paced && !muted))) {
      const report = await reportOf(d.jobId);
      const message = renderAlert(alert, {
        jobId: d.jobId ?? '',
        cluster: deps.cluster,
        now,
        ...(report ? { report } : {}),
      });
      await deps.poster.update(d.channel, d.ts, message);
      counts.edits++;
      if (alert.status === 'resolved' && d.dmChannel && d.dmTs) {
        const note = alert.resolution === 'deleted' ? 'deleted' : 'mounted';
        await deps.poster
          .update(
            d.dmChannel,
            d.dmTs,
            renderAlertNote(alert, {
              kind: 'resolved',
              resolution: note,
              afterMs: (alert.resolvedAt ?? now) - alert.firstSeen,
            }),
          )
          .catch((err: unknown) => deps.log.debug({ err }, 'could not edit the student DM'));
      }
      alert.dirty = false;
      alert.urgent = false;
      alert.syncedAt = now;
      changed = true;
    }
    return changed;
  }

  return {
    stats: () => ({ ...counts }),
    async publish(state, now, s) {
      const changed = new Set<string>();
      for (const alert of state.alerts.values()) {
        // Pending: nothing to say yet. A pod counted in a class-wide alert or summary (`parent`) has no message of
        // its own, also once it is resolved: its parent shows it.
        if (alert.status === 'pending' || alert.status === 'folded' || alert.parent) continue;
        try {
          if (!alert.queued) {
            await enqueue(alert, now);
            alert.queued = true;
            changed.add(alert.id);
          }
          if ((alert.dirty || alert.notes.length) && (await sync(alert, now, s))) changed.add(alert.id);
        } catch (err) {
          if (err instanceof ChatDeliveryError && err.failure !== 'transient') {
            deps.log.warn({ alert: alert.id, slackError: err.slackError }, 'Slack refused an alert edit; dropping it');
            alert.notes = [];
            alert.dirty = false;
            changed.add(alert.id);
          } else {
            deps.log.warn({ alert: alert.id, err }, 'alert publishing failed; retrying at the next tick');
          }
        }
      }
      return changed;
    },
  };
}
