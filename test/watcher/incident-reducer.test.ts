/**
 * The incident state machine and the storm/budget decisions, driven with explicit `now`s (no timers, no sleeps).
 */
import { describe, expect, it } from 'vitest';
import type { AlertSettings, Failure, PodView, WatchState } from '../../src/watcher/alert-model.ts';
import { emptyState, noChanges, observeFailure, tick } from '../../src/watcher/incident-reducer.ts';

const S: AlertSettings = {
  graceMs: 60_000,
  reopenMs: 3_600_000,
  adoptMs: 600_000,
  stormPods: 5,
  budget: 3,
  budgetWindowMs: 300_000,
  updateEveryMs: 30_000,
};
const T0 = Date.parse('2026-03-12T15:00:00Z');
const route = (ns: string) => ({
  className: 'class-a',
  channel: 'C0ALERTS01',
  student: `U0${ns.toUpperCase().replace(/-/g, '')}`,
});

function failure(ns: string, over: Partial<Failure> = {}): Failure {
  return {
    namespace: ns,
    pod: 'pod-keyvault',
    podUid: `uid-${ns}`,
    eventUid: `ev-${ns}`,
    reason: 'FailedMount',
    message: 'MountVolume.SetUp failed for volume "secrets-store" : SecretProviderClass "x" not found',
    category: 'SPC_NOT_FOUND',
    specificity: 89,
    count: 1,
    firstSeen: T0,
    lastSeen: T0,
    ...over,
  };
}

function run(state: WatchState, now: number, views: Record<string, PodView> = {}) {
  const out = noChanges();
  tick(state, now, S, (ns) => views[ns] ?? 'failing', new Map(), out);
  return out;
}

function see(state: WatchState, f: Failure, now: number, view: PodView = 'failing') {
  const out = noChanges();
  observeFailure(state, f, route(f.namespace), view, now, S, out);
  return out;
}

describe('one pod', () => {
  it('opens exactly one alert when the grace period is over, not before', () => {
    const state = emptyState();
    see(state, failure('student-03'), T0);
    run(state, T0 + 59_999);
    expect([...state.alerts.values()].map((a) => a.status)).toEqual(['pending']);
    run(state, T0 + 60_000);
    const [alert] = state.alerts.values();
    expect(alert).toMatchObject({ id: 'pod-uid-student-03', status: 'open', openedAt: T0 + 60_000, count: 1 });
    run(state, T0 + 120_000);
    expect(state.alerts.size).toBe(1);
  });

  it('never alerts a pod that mounts within the grace period', () => {
    const state = emptyState();
    see(state, failure('student-03'), T0);
    const out = run(state, T0 + 30_000, { 'student-03': 'mounted' });
    expect(state.alerts.size).toBe(0);
    expect([...out.deleted]).toEqual(['pod-uid-student-03']);
  });

  it('counts Event count bumps once each, also when the same object is seen again after a relist', () => {
    const state = emptyState();
    see(state, failure('student-03'), T0);
    run(state, T0 + 60_000);
    for (let c = 2; c <= 501; c++) see(state, failure('student-03', { count: c, lastSeen: T0 + c * 100 }), T0 + 61_000);
    see(state, failure('student-03', { count: 501, lastSeen: T0 + 50_100 }), T0 + 62_000);
    const [alert] = state.alerts.values();
    expect(alert).toMatchObject({ count: 501, lastSeen: T0 + 50_100, status: 'open', dirty: true, notes: [] });
  });

  it('ignores events older than the adoption window but adopts recent ones at once if long failing', () => {
    const state = emptyState();
    see(state, failure('student-03', { firstSeen: T0 - 3_600_000, lastSeen: T0 - 700_000 }), T0);
    expect(state.alerts.size).toBe(0);
    see(state, failure('student-04', { firstSeen: T0 - 300_000, lastSeen: T0 - 10_000 }), T0);
    run(state, T0);
    expect([...state.alerts.values()].map((a) => [a.namespace, a.status])).toEqual([['student-04', 'open']]);
  });

  it('threads a more specific category on the same alert and ignores a less specific one', () => {
    const state = emptyState();
    see(state, failure('student-03'), T0);
    run(state, T0 + 60_000);
    see(
      state,
      failure('student-03', { eventUid: 'ev2', category: 'TIMEOUT_OR_TRANSIENT', specificity: 10 }),
      T0 + 61_000,
    );
    const ev3 = { eventUid: 'ev3', category: 'ACCESS_DENIED' as const, specificity: 90, message: '403 <!channel>' };
    see(state, failure('student-03', ev3), T0 + 62_000);
    const [alert] = state.alerts.values();
    expect(alert?.category).toBe('ACCESS_DENIED');
    expect(alert?.previousCategories).toEqual(['SPC_NOT_FOUND']);
    expect(alert?.notes).toEqual([
      { kind: 'category', from: 'SPC_NOT_FOUND', to: 'ACCESS_DENIED', message: '403 <!channel>' },
    ]);
    expect(alert?.count).toBe(3);
  });

  it('resolves with time-to-fix when the pod mounts, and re-opens the same alert when it fails again', () => {
    const state = emptyState();
    see(state, failure('student-03'), T0);
    run(state, T0 + 60_000);
    run(state, T0 + 252_000, { 'student-03': 'mounted' });
    const [alert] = state.alerts.values();
    expect(alert).toMatchObject({ status: 'resolved', resolution: 'mounted', resolvedAt: T0 + 252_000, urgent: true });
    expect(alert?.notes).toEqual([{ kind: 'resolved', resolution: 'mounted', afterMs: 252_000 }]);
    // The student deletes and re-creates the pod: a new uid, same name, fails again.
    see(state, failure('student-03', { podUid: 'uid-new', eventUid: 'ev-new', lastSeen: T0 + 300_000 }), T0 + 300_000);
    expect(state.alerts.size).toBe(1);
    expect(alert).toMatchObject({ status: 'open', reopened: 1, podUid: 'uid-new' });
    expect(alert?.notes.at(-1)?.kind).toBe('reopened');
  });

  it('resolves as deleted when the pod goes', () => {
    const state = emptyState();
    see(state, failure('student-03'), T0);
    run(state, T0 + 60_000);
    run(state, T0 + 90_000, { 'student-03': 'gone' });
    expect([...state.alerts.values()][0]).toMatchObject({ status: 'resolved', resolution: 'deleted' });
  });
});

describe('storms and the budget', () => {
  const namespaces = Array.from({ length: 22 }, (_, i) => `student-${String(i + 1).padStart(2, '0')}`);

  it('turns one cause hitting 22 pods into one class-wide alert listing them', () => {
    const state = emptyState();
    for (const ns of namespaces) see(state, failure(ns, { category: 'CSI_DRIVER_NOT_INSTALLED', specificity: 87 }), T0);
    run(state, T0 + 60_000);
    const open = [...state.alerts.values()].filter((a) => a.status === 'open');
    expect(open.map((a) => a.kind)).toEqual(['class']);
    expect(open[0]?.members?.map((m) => m.namespace)).toEqual(namespaces);
    for (const ns of namespaces)
      run(state, T0 + 120_000, Object.fromEntries(namespaces.map((n) => [n, n <= ns ? 'mounted' : 'failing'])));
    expect(open[0]).toMatchObject({ status: 'resolved', resolution: 'mounted' });
  });

  it('folds alerts beyond the channel budget into one summary', () => {
    const state = emptyState();
    const cats = [
      'SPC_NOT_FOUND',
      'AUTH_FAILED',
      'ACCESS_DENIED',
      'FIREWALL',
      'SECRET_NOT_FOUND',
      'SPC_INVALID',
      'VAULT_NOT_FOUND',
    ] as const;
    for (const [i, category] of cats.entries()) see(state, failure(`student-0${i + 1}`, { category }), T0);
    run(state, T0 + 60_000);
    const posted = [...state.alerts.values()].filter((a) => a.status === 'open');
    expect(posted.map((a) => a.kind)).toEqual(['pod', 'pod', 'pod', 'summary']);
    expect(posted[3]?.members?.map((m) => m.category)).toEqual([
      'FIREWALL',
      'SECRET_NOT_FOUND',
      'SPC_INVALID',
      'VAULT_NOT_FOUND',
    ]);
  });

  it('does not open a muted pod', () => {
    const state = emptyState();
    see(state, failure('student-03'), T0);
    const out = noChanges();
    tick(state, T0 + 60_000, S, () => 'failing', new Map([['student-03/pod-keyvault', T0 + 999_999]]), out);
    expect([...state.alerts.values()][0]?.status).toBe('pending');
  });

  it('does not alert a class without an alert channel', () => {
    const state = emptyState();
    const out = noChanges();
    observeFailure(state, failure('student-03'), { className: 'class-b' }, 'failing', T0, S, out);
    expect(state.alerts.size).toBe(0);
  });
});
