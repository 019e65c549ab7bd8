/**
 * Which Kubernetes Events are mount failures, and what they say (pure). Kubelet's `FailedMount` (per volume
 * `MountVolume.SetUp failed …` and the pod-level `Unable to attach or mount volumes …`) and the Secrets Store
 * driver's sync controller's `FailedToCreateSecret` (docs/wire-notes.md §7.3–7.4), each classified by the engine's own
 * classifier — the one `/kvlab diagnose` and `/kvlab explain` use — so an alert and a diagnosis never disagree
 * on what a message means. "Last seen" is `lastTimestamp || series.lastObservedTime || eventTime` (07 §3).
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { classifyMessage } from '../../diagnostics/knowledge/classify/index.ts';
import type { Failure } from './alert-model.ts';

/** Warning reasons that mean "the secrets did not mount (or sync)". */
export const FAILING_REASONS: ReadonlySet<string> = new Set([
  'FailedMount',
  'FailedToCreateSecret',
  'FailedToMountSecretsStore',
]);

/** The failure an Event reports, or undefined when it is not a failing mount event about a pod. */
export function failureOf(ev: CoreV1Event): Failure | undefined {
  if (ev.type !== 'Warning' || !FAILING_REASONS.has(ev.reason ?? '')) return undefined;
  const obj = ev.involvedObject;
  if (obj?.kind !== 'Pod' || !obj.name || !obj.uid || !ev.metadata?.uid) return undefined;
  const message = ev.message ?? '';
  const c = classifyMessage(message);
  const last = time(ev.lastTimestamp) ?? time(ev.series?.lastObservedTime) ?? time(ev.eventTime);
  const first = time(ev.firstTimestamp) ?? time(ev.eventTime) ?? time(ev.metadata.creationTimestamp) ?? last;
  if (last === undefined || first === undefined) return undefined;
  return {
    namespace: obj.namespace ?? ev.metadata.namespace ?? '',
    pod: obj.name,
    podUid: obj.uid,
    eventUid: ev.metadata.uid,
    reason: ev.reason ?? '',
    message,
    category: c.category,
    specificity: c.specificity,
    count: Math.max(1, ev.count ?? ev.series?.count ?? 1),
    firstSeen: Math.min(first, last),
    lastSeen: last,
  };
}

function time(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : new Date(String(value)).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
