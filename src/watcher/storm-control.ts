/**
 * When pending alerts become alerts (pure; called by incident-reducer.ts `tick`). Alertmanager's `group_wait`
 * idea applied per class: a pod's grace period is also the time its siblings have to show up.
 * - Grace: a pending alert opens once `firstSeen + graceMs` has passed (and its pod is not muted).
 * - Storm: when one class has `stormPods` or more pods pending with one category (add-on removed, CRD deleted,
 *   one vault's 403 for everyone), they become one class-wide alert listing the students; pods of that category
 *   that finish their grace period while it is open join it instead of alerting on their own.
 * - Budget: at most `budget` pod alerts per channel per `budgetWindowMs`; beyond that, pods fold into one summary
 *   message per channel and window (the class-wide alert and the summary are that budget's overflow valve).
 */
import type { AlertMember, AlertSettings, AlertState, WatchState } from './alert-model.ts';
import type { Changes } from './incident-reducer.ts';

export function decideOpenings(state: WatchState, now: number, s: AlertSettings, out: Changes): void {
  const ready = [...state.alerts.values()]
    .filter((a) => a.kind === 'pod' && a.status === 'pending' && now >= a.firstSeen + s.graceMs && !muted(a, now))
    .sort((a, b) => a.firstSeen - b.firstSeen || a.id.localeCompare(b.id));
  for (const alert of ready) {
    if (alert.status !== 'pending') continue; // folded into a group earlier in this loop
    const group = openClassAlert(state, alert);
    if (group) {
      fold(alert, group, out);
      group.notes.push({ kind: 'joined', pods: [`${alert.namespace}/${alert.pod}`] });
      continue;
    }
    const siblings = [...state.alerts.values()].filter(
      (a) =>
        a.kind === 'pod' &&
        a.status === 'pending' &&
        a.className === alert.className &&
        a.channel === alert.channel &&
        a.category === alert.category &&
        !muted(a, now),
    );
    if (siblings.length >= s.stormPods) {
      const created = groupAlert('class', `class-${alert.className}-${alert.category}-${now}`, siblings, now);
      state.alerts.set(created.id, created);
      out.changed.add(created.id);
      for (const sibling of siblings) fold(sibling, created, out);
      continue;
    }
    if (budgetUsed(state, alert.channel, now, s) < s.budget) {
      alert.status = 'open';
      alert.openedAt = now;
      out.changed.add(alert.id);
      continue;
    }
    let summary = openSummary(state, alert.channel, now, s);
    if (!summary) {
      summary = groupAlert('summary', `summary-${alert.channel}-${now}`, [alert], now);
      state.alerts.set(summary.id, summary);
    } else {
      summary.members = [...(summary.members ?? []), memberOf(alert)];
      summary.count += alert.count;
      summary.lastSeen = Math.max(summary.lastSeen, alert.lastSeen);
      summary.dirty = true;
    }
    out.changed.add(summary.id);
    fold(alert, summary, out);
  }
}

function muted(alert: AlertState, now: number): boolean {
  return alert.mutedUntil !== undefined && alert.mutedUntil > now;
}

/** Pod alerts opened in `channel` within the budget window (resolved ones too: they were posted). */
export function budgetUsed(state: WatchState, channel: string, now: number, s: AlertSettings): number {
  let n = 0;
  for (const a of state.alerts.values()) {
    if (
      a.kind === 'pod' &&
      !a.parent &&
      a.channel === channel &&
      a.openedAt !== undefined &&
      a.openedAt > now - s.budgetWindowMs
    )
      n++;
  }
  return n;
}

function openClassAlert(state: WatchState, alert: AlertState): AlertState | undefined {
  for (const a of state.alerts.values()) {
    if (a.kind === 'class' && a.status === 'open' && a.className === alert.className && a.category === alert.category)
      return a;
  }
  return undefined;
}

function openSummary(state: WatchState, channel: string, now: number, s: AlertSettings): AlertState | undefined {
  for (const a of state.alerts.values()) {
    if (
      a.kind === 'summary' &&
      a.status === 'open' &&
      a.channel === channel &&
      (a.openedAt ?? 0) > now - s.budgetWindowMs
    )
      return a;
  }
  return undefined;
}

function fold(alert: AlertState, parent: AlertState, out: Changes): void {
  alert.status = 'folded';
  alert.parent = parent.id;
  if (!parent.members?.some((m) => m.id === alert.id)) {
    parent.members = [...(parent.members ?? []), memberOf(alert)];
    parent.count += alert.count;
  }
  parent.dirty = true;
  out.changed.add(alert.id);
  out.changed.add(parent.id);
}

function memberOf(a: AlertState): AlertMember {
  return {
    id: a.id,
    namespace: a.namespace,
    pod: a.pod,
    ...(a.student ? { student: a.student } : {}),
    ...(a.studentName ? { studentName: a.studentName } : {}),
    category: a.category,
  };
}

/** A class-wide alert or summary over `pods`; it shows the diagnosis of the first one. */
function groupAlert(kind: 'class' | 'summary', id: string, pods: AlertState[], now: number): AlertState {
  const first = pods[0] as AlertState;
  return {
    id,
    kind,
    className: first.className,
    channel: first.channel,
    namespace: first.namespace,
    pod: first.pod,
    podUid: first.podUid,
    category: first.category,
    specificity: Math.max(...pods.map((p) => p.specificity)),
    previousCategories: [],
    status: 'open',
    firstSeen: Math.min(...pods.map((p) => p.firstSeen)),
    lastSeen: Math.max(...pods.map((p) => p.lastSeen)),
    count: 0,
    eventCounts: {},
    message: first.message,
    reason: first.reason,
    openedAt: now,
    members: [],
    notes: [],
    dirty: false,
    urgent: false,
    queued: false,
    reopened: 0,
  };
}
