/**
 * The alert lifecycle driven by the simulated kubelet instead of hand-written events: a student breaks a mounted
 * pod's SPC and re-creates the pod → the kubelet's real FailedMount → exactly one alert after the grace period,
 * with the category the kubelet's message means; its retries raise the same Event's count → still one message,
 * the count on it follows; fixing the SPC (or Azure, via mutateAzure) → the kubelet mounts → the same message
 * turns ✅. A pod that mounts inside the grace period is never alerted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutateAzure } from '../../sim/azure/state.ts';
import type { ObjectStore } from '../../sim/k8s/store.ts';
import { recreatePod, replaceInObjects } from '../../sim/kubelet/timeline.ts';
import type { RunningBot } from '../../src/slack-app/start-bot.ts';
import { failureOf } from '../../src/watcher/event-failures.ts';
import { quickKubelet, readableOf, startWatcherFixture, type WatcherFixture, waitFor } from './watcher-fixture.ts';

let fx: WatcherFixture;
let bot: RunningBot;
let store: ObjectStore;
beforeAll(async () => {
  fx = await startWatcherFixture({}, { kubelet: quickKubelet(['student-01', 'student-02']) });
  await fx.classroom.kubelet?.settle();
  bot = await fx.startPart('all');
  store = fx.classroom.k8s.store;
  await waitFor(() => bot.watcher?.current(), 10_000, 'the watcher leading');
});
afterAll(async () => {
  await fx?.close();
});

const ctx = () => ({ store: fx.classroom.k8s.store, azure: fx.classroom.scenario.azure });
const podUid = (ns: string, name: string) =>
  String((store.get({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name })?.metadata as { uid?: string })?.uid);
/** The kubelet's failing Events about one pod, as the watcher classifies them. */
const failuresOf = (ns: string, uid: string) =>
  store.list('v1', 'Event', ns).flatMap((e) => {
    const f = failureOf(e as never);
    return f && f.podUid === uid ? [f] : [];
  });
const fixedParent = (target: string) => {
  const p = fx.parents(target)[0];
  return p && readableOf(p).includes('✅') ? p : undefined;
};

describe('alerts on the simulated kubelet', () => {
  it('an SPC typo: one alert after the grace period, the count follows the retries, ✅ after the fix', async () => {
    await replaceInObjects('student-01', 'azure-kv-secrets', 'objectName: api-key', 'objectName: api-kee')(ctx());
    const brokenAt = Date.now();
    await recreatePod('student-01', 'pod-keyvault')(ctx());
    const uid = podUid('student-01', 'pod-keyvault');
    const parent = await waitFor(() => fx.parents('student-01/pod-keyvault')[0], 15_000, 'the alert');
    // Event timestamps have second precision, so the grace period (2 s) may count from up to 1 s earlier.
    expect(Date.now() - brokenAt).toBeGreaterThanOrEqual(1_000);
    const [failure] = failuresOf('student-01', uid);
    expect(failure?.category).toBe('SECRET_NOT_FOUND');
    expect(readableOf(parent)).toContain('SECRET_NOT_FOUND');
    expect(readableOf(parent)).toContain('U0STUDENT01');

    // The kubelet keeps retrying (100–400 ms backoff): the one Event's count rises and the message shows it.
    const shown = await waitFor(
      () => {
        const f = failuresOf('student-01', uid);
        const count = f.reduce((n, x) => n + x.count, 0);
        return f.length === 1 &&
          count >= 8 &&
          readableOf(fx.parents('student-01/pod-keyvault')[0]).includes(`×${count}`)
          ? count
          : undefined;
      },
      15_000,
      'the count on the alert following the Event',
    );
    expect(shown).toBeGreaterThanOrEqual(8);
    expect(fx.parents('student-01/pod-keyvault')).toHaveLength(1);

    await replaceInObjects('student-01', 'azure-kv-secrets', 'objectName: api-kee', 'objectName: api-key')(ctx());
    const fixed = await waitFor(() => fixedParent('student-01/pod-keyvault'), 10_000, 'the ✅');
    expect(fixed.ts).toBe(parent.ts);
    expect(fixed.text).toMatch(/^✅ student-01\/pod-keyvault mounted its secrets after \d+s$/);
    expect(fx.parents('student-01/pod-keyvault')).toHaveLength(1);
    await waitFor(
      () => fx.thread(parent.ts).some((m) => readableOf(m).includes('mounted its secrets')),
      5_000,
      'the ✅ reply',
    );
  });

  it('an Azure-side cause: a disabled secret (the synced one) alerts once, and re-enabling it in Azure turns it ✅', async () => {
    const azure = fx.classroom.scenario.azure;
    const dbPassword = () => {
      const secret = azure.vaults
        .find((v) => v.name === 'kv-kvlab-lab')
        ?.secrets?.find((s) => s.name === 'db-password');
      const latest = secret?.versions.at(-1);
      if (!latest) throw new Error('kv-kvlab-lab has no db-password');
      return latest;
    };
    mutateAzure(azure, () => {
      dbPassword().enabled = false;
    });
    await recreatePod('student-02', 'pod-keyvault')(ctx());
    const parent = await waitFor(() => fx.parents('student-02/pod-keyvault')[0], 15_000, 'the alert');
    expect(readableOf(parent)).toContain('SECRET_DISABLED');
    mutateAzure(azure, () => {
      dbPassword().enabled = true;
    });
    const fixed = await waitFor(() => fixedParent('student-02/pod-keyvault'), 10_000, 'the ✅');
    expect(fixed.ts).toBe(parent.ts);
    expect(fx.parents('student-02/pod-keyvault')).toHaveLength(1);
  });

  it('never alerts a pod that mounts within the grace period', async () => {
    const source = store.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'student-01', name: 'pod-keyvault' });
    const spec = structuredClone(source?.spec) as Record<string, unknown> & {
      volumes: Array<{ csi?: { volumeAttributes?: Record<string, string> } }>;
    };
    delete spec.nodeName;
    for (const v of spec.volumes) if (v.csi?.volumeAttributes) v.csi.volumeAttributes.secretProviderClass = 'kv-late';
    const failed = fx.classroom.kubelet?.nextAttempt((r) => r.name === 'pod-quick' && r.outcome === 'failed');
    store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod-quick', namespace: 'student-01' }, spec });
    await failed;
    const alerts = () =>
      [...(bot.watcher?.current()?.state.alerts.values() ?? [])].filter((a) => a.pod === 'pod-quick');
    const pending = await waitFor(() => alerts()[0], 5_000, 'the pending alert');
    expect(pending.status).toBe('pending');

    // The student creates the missing SPC within the grace period: the kubelet retries at once and mounts.
    const spc = structuredClone(
      store.get({
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        namespace: 'student-01',
        name: 'azure-kv-secrets',
      }),
    ) as { metadata: Record<string, unknown> };
    spc.metadata = { name: 'kv-late', namespace: 'student-01' };
    store.create(spc as never);
    await waitFor(() => alerts().length === 0, 5_000, 'the pending alert forgotten');
    expect(Date.now()).toBeLessThan(pending.firstSeen + 2_000);
    // Past the grace period (and a few ticks): still nothing posted.
    await new Promise((r) => setTimeout(r, Math.max(0, pending.firstSeen + 2_500 - Date.now())));
    expect(fx.parents('student-01/pod-quick')).toEqual([]);
  });
});
