/**
 * Many pods at once, on the simulated kubelet:
 * - Storm: 22 mounted pods of one class; the Secrets Store CSI add-on is removed (CSIDriver, the driver
 *   DaemonSet and its pods deleted in kube-system) and the pods are re-created → every pod fails with the same
 *   cause → one class-wide alert listing them, not 22. Re-installing the add-on mounts them all → that alert ✅.
 * - Start-up adoption: the watcher starts on the classroom scenario as it is (22 students, most of them failing
 *   right now) → every failing pod is alerted exactly once (on its own, in a class-wide alert or in the budget
 *   summary); a restarted watcher adds nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Obj } from '../../sim/k8s/resources.ts';
import type { ObjectStore } from '../../sim/k8s/store.ts';
import { recreatePod } from '../../sim/kubelet/timeline.ts';
import type { RunningBot } from '../../src/slack-app/start-bot.ts';
import { failureOf } from '../../src/watcher/event-failures.ts';
import { hasMounted } from '../../src/watcher/pod-view.ts';
import {
  ALERTS,
  quickKubelet,
  readableOf,
  startWatcherFixture,
  type WatcherFixture,
  waitFor,
} from './watcher-fixture.ts';

const STORM_ROSTER = `admins: [U0OPERATOR]
classes:
  - name: class-a
    channel: C0CLASSA01
    alertChannel: ${ALERTS}
    instructors: [U0INSTRUCT]
    namespaces: [student-01, student-02]
    students:
      - { user: U0STUDENT01, namespace: student-01, name: Amara Okafor }
      - { user: U0STUDENT02, namespace: student-02, name: Ben Fischer }
`;

const allParents = (fx: WatcherFixture) => {
  const bot = fx.classroom.slack.server.workspace.bot.userId;
  return fx.classroom.slack.server.store
    .messages(ALERTS)
    .filter((m) => m.user === bot && (!m.thread_ts || m.thread_ts === m.ts));
};
const pods = (store: ObjectStore, namespaces: string[]) => namespaces.flatMap((ns) => store.list('v1', 'Pod', ns));
const nameOf = (o: Obj) => String((o.metadata as { name?: string }).name);
const nsOf = (o: Obj) => String((o.metadata as { namespace?: string }).namespace);

describe('the CSI add-on removed under a class of 22 pods', () => {
  let fx: WatcherFixture;
  let store: ObjectStore;
  const namespaces = ['student-01', 'student-02'];
  beforeAll(async () => {
    fx = await startWatcherFixture({}, { kubelet: quickKubelet(namespaces), roster: STORM_ROSTER });
    store = fx.classroom.k8s.store;
    // 11 pods per namespace: pod-keyvault and ten copies of it, all mounted.
    for (const ns of namespaces) {
      const source = store.get({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'pod-keyvault' }) as Obj;
      for (let i = 1; i <= 10; i++) {
        const { nodeName: _node, ...spec } = structuredClone(source.spec) as Obj;
        store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-copy-${i}`, namespace: ns }, spec });
      }
    }
    await fx.classroom.kubelet?.settle();
    await waitFor(() => pods(store, namespaces).every((p) => hasMounted(p as never)), 10_000, '22 pods mounted');
    await fx.startPart('all');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('is one class-wide alert, and one ✅ when the add-on is back', async () => {
    expect(pods(store, namespaces)).toHaveLength(22);
    const removed: Obj[] = [
      ...store.list('storage.k8s.io/v1', 'CSIDriver').filter((d) => nameOf(d) === 'secrets-store.csi.k8s.io'),
      ...store.list('apps/v1', 'DaemonSet', 'kube-system').filter((d) => nameOf(d) === 'aks-secrets-store-csi-driver'),
      ...store.list('v1', 'Pod', 'kube-system').filter((p) => nameOf(p).startsWith('aks-secrets-store-csi-driver-')),
    ].map((o) => structuredClone(o));
    expect(removed.length).toBeGreaterThanOrEqual(3);
    for (const o of removed) {
      const m = o.metadata as { namespace?: string; name: string };
      if (store.get({ apiVersion: String(o.apiVersion), kind: String(o.kind), namespace: m.namespace, name: m.name }))
        store.delete({ apiVersion: String(o.apiVersion), kind: String(o.kind), namespace: m.namespace, name: m.name });
    }
    for (const p of pods(store, namespaces))
      await recreatePod(nsOf(p), nameOf(p))({ store, azure: fx.classroom.scenario.azure });
    await fx.classroom.kubelet?.settle();

    const alert = await waitFor(
      () => allParents(fx).find((m) => readableOf(m).includes('22 pods cannot mount')),
      15_000,
      'the class-wide alert',
    );
    const categories = new Set(
      namespaces.flatMap((ns) => store.list('v1', 'Event', ns).flatMap((e) => failureOf(e as never)?.category ?? [])),
    );
    const cause = [...categories].find((c) => readableOf(alert).includes(c));
    expect(cause).toBeDefined();
    expect(readableOf(alert)).toContain('student-02/pod-copy-10');
    expect(allParents(fx)).toHaveLength(1);

    for (const o of removed) {
      const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...metadata } = o.metadata as Obj;
      store.create({ ...o, metadata });
    }
    const fixed = await waitFor(
      () => allParents(fx).find((m) => m.ts === alert.ts && readableOf(m).includes('mount again')),
      15_000,
      'the class-wide ✅',
    );
    expect(readableOf(fixed)).toContain('22 pods of class class-a mount again');
    expect(allParents(fx)).toHaveLength(1);
  });
});

describe('a watcher started on a classroom that is failing now', () => {
  let fx: WatcherFixture;
  let store: ObjectStore;
  let first: RunningBot;
  const roster = readFileSync(new URL('../../sim/scenarios/classroom/roster.yaml', import.meta.url), 'utf8');
  beforeAll(async () => {
    fx = await startWatcherFixture({}, { kubelet: { backoff: { initialMs: 1_000, maxMs: 5_000 } }, roster });
    store = fx.classroom.k8s.store;
    await fx.classroom.kubelet?.settle();
    await fx.startPart('worker');
    first = await fx.startPart('watcher', 'watcher-first');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('alerts every failing pod once, and a restart adds nothing', async () => {
    const namespaces = Array.from({ length: 22 }, (_, i) => `student-${String(i + 1).padStart(2, '0')}`);
    const failing = pods(store, namespaces)
      .filter((p) => !hasMounted(p as never))
      .filter((p) =>
        store
          .list('v1', 'Event', nsOf(p))
          .some((e) => failureOf(e as never)?.podUid === (p.metadata as { uid?: string }).uid),
      )
      .map((p) => `${nsOf(p)}/${nameOf(p)}`);
    expect(failing.length).toBeGreaterThanOrEqual(15);
    const mentions = (target: string) => allParents(fx).filter((m) => readableOf(m).includes(`${target}\``)).length;
    await waitFor(() => failing.every((t) => mentions(t) >= 1), 20_000, 'every failing pod alerted');
    for (const t of failing) expect(mentions(t), t).toBe(1);
    expect(mentions('student-01/pod-keyvault')).toBe(0);
    const posted = allParents(fx).length;
    expect(posted).toBeLessThan(failing.length);

    await first.close();
    const second = await fx.startPart('watcher', 'watcher-second');
    await waitFor(() => second.watcher?.current(), 10_000, 'the second watcher leading');
    // A few of its ticks (100 ms) and some more kubelet retries later: still the same messages.
    await fx.classroom.kubelet?.settle(1_000);
    await second.watcher?.current()?.tickNow();
    expect(allParents(fx)).toHaveLength(posted);
    for (const t of failing) expect(mentions(t), t).toBe(1);
  });
});
