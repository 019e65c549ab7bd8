/**
 * Watches that break, on the Kubernetes simulator's fault injection and `store.compact()`:
 * - the Events watch ends, its re-watches are dropped (connection reset), the pod fails while nothing watches,
 *   and etcd-style compaction expires the informer's resourceVersion: the restart gets 410 Gone, relists and
 *   alerts the failure it did not see live — once;
 * - an open incident's watch is re-established through a 410 (compacted while the re-watch is in flight): the
 *   relist shows the same Event again, which neither re-alerts nor counts its occurrences twice.
 * The kubelet is the simulated one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../sim/k8s/server.ts';
import { recreatePod, replaceInObjects } from '../../sim/kubelet/timeline.ts';
import { failureOf } from '../../src/watcher/event-failures.ts';
import { quickKubelet, readableOf, startWatcherFixture, type WatcherFixture, waitFor } from './watcher-fixture.ts';

const eventsWatch = (ns: string) => new RegExp(`/api/v1/namespaces/${ns}/events$`);
const eventLists = (fx: WatcherFixture) => fx.classroom.k8s.requests.get('GET /api/v1/namespaces/{namespace}/events');
const ctx = (fx: WatcherFixture) => ({ store: fx.classroom.k8s.store, azure: fx.classroom.scenario.azure });
const fixed = (fx: WatcherFixture, target: string) => {
  const p = fx.parents(target)[0];
  return p && readableOf(p).includes('✅') ? p : undefined;
};
const countOnMessage = (fx: WatcherFixture, target: string) =>
  Number(/×(\d+)/.exec(readableOf(fx.parents(target)[0]))?.[1] ?? 0);

describe('a failure while the Events watch is down and its resourceVersion compacted away', () => {
  let fx: WatcherFixture;
  let dropped: Fault;
  beforeAll(async () => {
    fx = await startWatcherFixture({}, { kubelet: quickKubelet(['student-02']) });
    await fx.classroom.kubelet?.settle();
    // The first Events watch of student-02 ends after 1.5 s; the next two re-watches are reset (the informer
    // stops with an error and kvlab restarts it after ~1 s, then ~2 s).
    fx.classroom.k8s.faults.add({
      method: 'WATCH',
      path: eventsWatch('student-02'),
      closeWatchAfterMs: 1_500,
      times: 1,
    });
    dropped = fx.classroom.k8s.faults.add({ method: 'WATCH', path: eventsWatch('student-02'), drop: true, times: 2 });
    await fx.startPart('all');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('relists after 410 Gone and alerts it once; the fix turns it ✅', async () => {
    await waitFor(() => dropped.hits >= 1, 10_000, 'the Events watch down');
    const listsBefore = eventLists(fx);
    await replaceInObjects(
      'student-02',
      'azure-kv-secrets-sync',
      'objectName: db-password',
      'objectName: db-passwort',
    )(ctx(fx));
    const failed = fx.classroom.kubelet?.nextAttempt((r) => r.namespace === 'student-02' && r.outcome === 'failed');
    await recreatePod('student-02', 'pod-keyvault')(ctx(fx));
    await failed;
    fx.classroom.k8s.store.compact();
    expect(dropped.hits).toBeLessThan(2 + 1); // still within the outage: the restart has not watched yet

    const parent = await waitFor(() => fx.parents('student-02/pod-keyvault')[0], 15_000, 'the alert after the relist');
    expect(eventLists(fx)).toBeGreaterThan(listsBefore);
    expect(readableOf(parent)).toContain('SECRET_NOT_FOUND');

    await replaceInObjects(
      'student-02',
      'azure-kv-secrets-sync',
      'objectName: db-passwort',
      'objectName: db-password',
    )(ctx(fx));
    const done = await waitFor(() => fixed(fx, 'student-02/pod-keyvault'), 10_000, 'the ✅');
    expect(done.ts).toBe(parent.ts);
    expect(fx.parents('student-02/pod-keyvault')).toHaveLength(1);
  });
});

describe('an open incident across a 410 relist', () => {
  let fx: WatcherFixture;
  let slowRewatch: Fault;
  beforeAll(async () => {
    fx = await startWatcherFixture({}, { kubelet: quickKubelet(['student-01']) });
    await fx.classroom.kubelet?.settle();
    // The first Events watch of student-01 ends after 4 s; the re-watch waits 1 s before it is served, and the
    // test compacts the store in that window, so it is answered with the 410 Expired ERROR event.
    fx.classroom.k8s.faults.add({
      method: 'WATCH',
      path: eventsWatch('student-01'),
      closeWatchAfterMs: 5_000,
      times: 1,
    });
    slowRewatch = fx.classroom.k8s.faults.add({
      method: 'WATCH',
      path: eventsWatch('student-01'),
      latencyMs: 1_000,
      times: 1,
    });
    await fx.startPart('all');
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('posts no duplicate and counts no occurrence twice', async () => {
    // Compact as soon as the re-watch is in flight, whatever the test is doing then.
    const compacted = waitFor(() => slowRewatch.hits >= 1, 15_000, 'the re-watch in flight').then(() => {
      const lists = eventLists(fx);
      // One write first, so the compaction horizon is past every resourceVersion the watcher has seen: without
      // it, a quiet moment (the kubelet backing off) leaves the watcher's version current and no 410 comes.
      fx.classroom.k8s.store.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'compaction-marker', namespace: 'kube-system' },
      });
      fx.classroom.k8s.store.compact();
      return lists;
    });
    await replaceInObjects('student-01', 'azure-kv-secrets', 'objectName: api-key', 'objectName: api-kee')(ctx(fx));
    await recreatePod('student-01', 'pod-keyvault')(ctx(fx));
    const parent = await waitFor(() => fx.parents('student-01/pod-keyvault')[0], 15_000, 'the alert');

    const listsBefore = await compacted;
    // The relist follows the informer's restart backoff (1 s, doubling, with jitter): allow for a loaded machine.
    await waitFor(() => eventLists(fx) > listsBefore, 15_000, 'the relist');

    // After the relist the count on the message still equals the kubelet's Event count: nothing counted twice.
    const pod = fx.classroom.k8s.store.get({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'student-01',
      name: 'pod-keyvault',
    });
    const uid = String((pod?.metadata as { uid?: string } | undefined)?.uid);
    const eventCount = () =>
      fx.classroom.k8s.store
        .list('v1', 'Event', 'student-01')
        .flatMap((e) => {
          const f = failureOf(e as never);
          return f && f.podUid === uid ? [f.count] : [];
        })
        .reduce((a, b) => a + b, 0);
    await fx.classroom.kubelet?.settle();
    await waitFor(
      () => countOnMessage(fx, 'student-01/pod-keyvault') === eventCount() && eventCount() > 0,
      10_000,
      'the message count equal to the Event count',
    );
    expect(fx.parents('student-01/pod-keyvault')).toHaveLength(1);

    await replaceInObjects('student-01', 'azure-kv-secrets', 'objectName: api-kee', 'objectName: api-key')(ctx(fx));
    const done = await waitFor(() => fixed(fx, 'student-01/pod-keyvault'), 10_000, 'the ✅');
    expect(done.ts).toBe(parent.ts);
    expect(fx.parents('student-01/pod-keyvault')).toHaveLength(1);
  });
});
