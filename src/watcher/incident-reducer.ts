/**
 * The incident state machine (docs/architecture.md "Watcher"): failing events and
 * what the pod informer shows go in, with `now`; the alerts in `state` change and the ids that changed come out.
 * No Slack, Redis or timers in here — the watcher persists what changed and the publisher posts it, so tests
 * drive time by calling {@link tick} with later `now`s. Opening decisions (grace, storms, budget) are in
 * storm-control.ts.
 *
 * - A failing event for a pod with no alert starts a `pending` one (if the event is recent: `adoptMs`).
 * - Repeats (a higher Event `count`, or another Event) only add to `count` and `lastSeen`; per-Event counts are
 *   remembered, so a relist or a new leader never counts an occurrence twice.
 * - A more (or equally) specific category for an open alert is a threaded "now: …" note, not a new alert.
 * - The pod mounts or goes: a pending alert is forgotten (never posted); an open one is resolved (✅ + note).
 * - A failure after resolution within `reopenMs` re-opens the same alert — also for a re-created pod of the same
 *   name (a student deleting and re-applying `pod-keyvault`).
 */
import {
  type AlertMember,
  type AlertSettings,
  type AlertState,
  type ClassRoute,
  type Failure,
  type PodView,
  podAlertId,
  type Resolution,
  type WatchState,
} from './alert-model.ts';
import { decideOpenings } from './storm-control.ts';

/** What a reducer call changed: alerts to persist, alerts to forget. */
export interface Changes {
  changed: Set<string>;
  deleted: Set<string>;
}

export const noChanges = (): Changes => ({ changed: new Set(), deleted: new Set() });

export function emptyState(): WatchState {
  return { alerts: new Map() };
}

/** Longest event text kept on an alert (the classifier's evidence is at the head; the thread quotes it). */
const MESSAGE_MAX = 2_000;

/** A failing event seen by the informer (add or update of an Event object). */
export function observeFailure(
  state: WatchState,
  f: Failure,
  route: ClassRoute,
  view: PodView,
  now: number,
  s: AlertSettings,
  out: Changes,
): void {
  if (!route.channel) return;
  const alert = findByUid(state, f.podUid) ?? findReopenable(state, f, now, s);
  const seenBefore = alert?.eventCounts[f.eventUid] ?? 0;
  const delta = Math.max(0, f.count - seenBefore);
  const recent = f.lastSeen >= now - s.adoptMs;
  if (!alert) {
    if (!recent || delta === 0 || view === 'mounted' || view === 'gone') return;
    const created = newPodAlert(f, route, now);
    state.alerts.set(created.id, created);
    out.changed.add(created.id);
    return;
  }
  if (delta === 0) return;
  alert.eventCounts[f.eventUid] = f.count;
  out.changed.add(alert.id);
  if (!recent) return;
  if (alert.podUid !== f.podUid) rebind(alert, f);
  alert.count += delta;
  alert.lastSeen = Math.max(alert.lastSeen, Math.min(f.lastSeen, now));
  if (alert.status === 'resolved') {
    if (view === 'mounted') return;
    reopen(state, alert, f, now, out);
  }
  recategorize(state, alert, f, out);
  const parent = alert.parent ? state.alerts.get(alert.parent) : undefined;
  if (alert.status === 'folded' && parent) {
    parent.count += delta;
    parent.lastSeen = Math.max(parent.lastSeen, alert.lastSeen);
    parent.dirty = true;
    out.changed.add(parent.id);
  } else if (alert.status === 'open') {
    alert.dirty = true;
  }
}

/**
 * Advances time: resolves alerts whose pod mounted or went, forgets pending ones that recovered within the grace
 * period, opens the ones whose grace period is over (storm-control.ts), applies mutes, and drops resolved alerts
 * older than the re-open window. `view` reads the pod informer's cache; `mutes` maps `namespace/pod` to epoch ms.
 */
export function tick(
  state: WatchState,
  now: number,
  s: AlertSettings,
  view: (namespace: string, pod: string, podUid: string) => PodView,
  mutes: ReadonlyMap<string, number>,
  out: Changes,
): void {
  for (const alert of state.alerts.values()) {
    if (alert.kind !== 'pod') continue;
    const mutedUntil = mutes.get(`${alert.namespace}/${alert.pod}`);
    if (mutedUntil !== alert.mutedUntil && alert.status !== 'resolved') {
      if (mutedUntil === undefined) delete alert.mutedUntil;
      else alert.mutedUntil = mutedUntil;
      out.changed.add(alert.id);
    }
    if (alert.status === 'resolved') continue;
    const seen = view(alert.namespace, alert.pod, alert.podUid);
    if (seen !== 'mounted' && seen !== 'gone') continue;
    const resolution: Resolution = seen === 'gone' ? 'deleted' : 'mounted';
    if (alert.status === 'pending') {
      state.alerts.delete(alert.id);
      out.deleted.add(alert.id);
      continue;
    }
    resolvePod(state, alert, resolution, now, out);
  }
  decideOpenings(state, now, s, out);
  for (const alert of state.alerts.values()) {
    if (alert.status === 'resolved' && (alert.resolvedAt ?? now) < now - s.reopenMs) {
      state.alerts.delete(alert.id);
      out.deleted.add(alert.id);
      out.changed.delete(alert.id);
    }
  }
}

function resolvePod(state: WatchState, alert: AlertState, resolution: Resolution, now: number, out: Changes): void {
  const wasFolded = alert.status === 'folded';
  markResolved(alert, resolution, now);
  out.changed.add(alert.id);
  const parent = alert.parent ? state.alerts.get(alert.parent) : undefined;
  if (!wasFolded || !parent) {
    alert.notes.push({ kind: 'resolved', resolution, afterMs: now - alert.firstSeen });
    return;
  }
  const member = parent.members?.find((m) => m.id === alert.id);
  if (member) member.resolvedAt = now;
  parent.dirty = true;
  out.changed.add(parent.id);
  if (parent.status !== 'resolved' && (parent.members ?? []).every((m) => m.resolvedAt !== undefined)) {
    const allGone = (parent.members ?? []).every((m) => state.alerts.get(m.id)?.resolution === 'deleted');
    markResolved(parent, allGone ? 'deleted' : 'mounted', now);
    parent.notes.push({
      kind: 'resolved',
      resolution: parent.resolution as Resolution,
      afterMs: now - parent.firstSeen,
    });
  }
}

function markResolved(alert: AlertState, resolution: Resolution, now: number): void {
  alert.status = 'resolved';
  alert.resolvedAt = now;
  alert.resolution = resolution;
  alert.dirty = true;
  alert.urgent = true;
}

function reopen(state: WatchState, alert: AlertState, f: Failure, now: number, out: Changes): void {
  const parent = alert.parent ? state.alerts.get(alert.parent) : undefined;
  delete alert.resolvedAt;
  delete alert.resolution;
  if (!parent) {
    reopenParent(alert, f.message, now);
    return;
  }
  alert.status = 'folded';
  const member = parent.members?.find((m) => m.id === alert.id);
  if (member) delete member.resolvedAt;
  if (parent.status === 'resolved') reopenParent(parent, f.message, now);
  parent.dirty = true;
  out.changed.add(parent.id);
}

function reopenParent(alert: AlertState, message: string, _now: number): void {
  if (alert.status === 'pending') return;
  alert.status = 'open';
  delete alert.resolvedAt;
  delete alert.resolution;
  alert.reopened++;
  alert.notes.push({ kind: 'reopened', message: clip(message) });
  alert.dirty = true;
  alert.urgent = true;
}

/** A more specific (or equally specific, different) category replaces the current one; a note says so if posted. */
function recategorize(state: WatchState, alert: AlertState, f: Failure, out: Changes): void {
  if (f.category === alert.category) {
    alert.message = clip(f.message);
    return;
  }
  if (f.specificity < alert.specificity) return;
  const from = alert.category;
  alert.previousCategories = [...alert.previousCategories.filter((c) => c !== f.category), from];
  alert.category = f.category;
  alert.specificity = f.specificity;
  alert.message = clip(f.message);
  alert.reason = f.reason;
  if (alert.status === 'open') {
    alert.notes.push({ kind: 'category', from, to: f.category, message: alert.message });
    alert.dirty = true;
    alert.urgent = true;
  }
  const parent = alert.parent ? state.alerts.get(alert.parent) : undefined;
  const member = parent?.members?.find((m) => m.id === alert.id);
  if (parent && member) {
    member.category = f.category;
    parent.dirty = true;
    out.changed.add(parent.id);
  }
}

function newPodAlert(f: Failure, route: ClassRoute, now: number): AlertState {
  return {
    id: podAlertId(f.podUid),
    kind: 'pod',
    className: route.className,
    channel: route.channel as string,
    namespace: f.namespace,
    pod: f.pod,
    podUid: f.podUid,
    ...(route.student ? { student: route.student } : {}),
    ...(route.studentName ? { studentName: route.studentName } : {}),
    ...(route.dmStudent ? { dmStudent: true } : {}),
    category: f.category,
    specificity: f.specificity,
    previousCategories: [],
    status: 'pending',
    firstSeen: Math.min(f.firstSeen, now),
    lastSeen: Math.min(f.lastSeen, now),
    count: f.count,
    eventCounts: { [f.eventUid]: f.count },
    message: clip(f.message),
    reason: f.reason,
    notes: [],
    dirty: false,
    urgent: false,
    queued: false,
    reopened: 0,
  };
}

/** The pod alert watching `podUid` (its own, or one re-bound to a re-created pod of the same name). */
function findByUid(state: WatchState, podUid: string): AlertState | undefined {
  const own = state.alerts.get(podAlertId(podUid));
  if (own) return own;
  for (const a of state.alerts.values()) if (a.kind === 'pod' && a.podUid === podUid) return a;
  return undefined;
}

/** A resolved alert of a pod with the same namespace and name, within the re-open window. */
function findReopenable(state: WatchState, f: Failure, now: number, s: AlertSettings): AlertState | undefined {
  let best: AlertState | undefined;
  for (const a of state.alerts.values()) {
    if (a.kind !== 'pod' || a.status !== 'resolved' || a.namespace !== f.namespace || a.pod !== f.pod) continue;
    if ((a.resolvedAt ?? 0) < now - s.reopenMs) continue;
    if (!best || (a.resolvedAt ?? 0) > (best.resolvedAt ?? 0)) best = a;
  }
  return best;
}

/** The alert now follows the re-created pod: its Events are new objects, counted from zero. */
function rebind(alert: AlertState, f: Failure): void {
  alert.podUid = f.podUid;
  alert.eventCounts = { [f.eventUid]: f.count };
}

function clip(message: string): string {
  return message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX)}…` : message;
}

/** The members of a grouped alert still failing. */
export function failingMembers(alert: AlertState): AlertMember[] {
  return (alert.members ?? []).filter((m) => m.resolvedAt === undefined);
}
