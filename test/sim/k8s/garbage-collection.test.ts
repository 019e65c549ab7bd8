/**
 * Garbage collection through ownerReferences: Background (default), Foreground and Orphan propagation,
 * transitive cascades (pod → SecretProviderClassPodStatus → synced Secret), the uid and namespace rules,
 * the order of watch events, and `kubectl delete pod` on the classroom taking the SPCPS and Secret with it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Change, KubeApiServer } from '../../../sim/k8s/server.ts';
import { startKubeApiServer } from '../../../sim/k8s/server.ts';
import { loadScenario } from '../../../sim/scenarios/load.ts';
import { ADMIN_TOKEN, LAB_NS, tlsMaterial } from './fixtures.ts';
import { raw, startTestServer } from './harness.ts';

const run = promisify(execFile);
const SPCPS = 'secrets-store.csi.x-k8s.io/v1';

let server: KubeApiServer;
let changes: Change[];
beforeAll(async () => {
  server = await startTestServer();
  server.store.subscribe((c) => changes.push(c));
});
afterAll(async () => {
  await server?.close();
});

const nameOf = (o: Record<string, unknown>) => String((o.metadata as Record<string, unknown>).name);
const ref = (o: Record<string, unknown>) => ({
  apiVersion: String(o.apiVersion),
  kind: String(o.kind),
  name: nameOf(o),
  uid: String((o.metadata as Record<string, unknown>).uid),
});

/** A pod, the SPCPS the driver creates for it, and the synced Secret that status owns (reference: SSCD). */
function mountedPod(prefix: string, namespace = LAB_NS) {
  const store = server.store;
  const pod = store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${prefix}-pod`, namespace },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  const status = store.create({
    apiVersion: SPCPS,
    kind: 'SecretProviderClassPodStatus',
    metadata: { name: `${prefix}-status`, namespace, ownerReferences: [ref(pod)] },
    status: { mounted: true, podName: `${prefix}-pod` },
  });
  const secret = store.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${prefix}-secret`, namespace, ownerReferences: [ref(status)] },
    data: { K: 'dg==' },
  });
  return { pod, status, secret };
}

const exists = (apiVersion: string, kind: string, name: string, namespace = LAB_NS) =>
  server.store.get({ apiVersion, kind, namespace, name }) !== undefined;
const trail = () => changes.map((c) => `${c.type} ${String(c.object.kind)} ${nameOf(c.object)}`);

beforeEach(() => {
  changes = [];
});

describe('Background propagation (the default)', () => {
  it('deletes the pod, then its SPCPS, then the Secret that status owns, and a watch sees the DELETED', async () => {
    mountedPod('bg');
    changes = [];
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig({ token: ADMIN_TOKEN, https: true, namespace: LAB_NS }));
    const seen: string[] = [];
    let sawSecretDeleted!: () => void;
    const secretDeleted = new Promise<void>((resolve) => {
      sawSecretDeleted = resolve;
    });
    const rv = server.store.resourceVersion;
    const watch = await new Watch(kc).watch(
      `/api/v1/namespaces/${LAB_NS}/secrets`,
      { resourceVersion: rv },
      (type, obj) => {
        seen.push(`${type} ${obj.metadata.name}`);
        if (type === 'DELETED' && obj.metadata.name === 'bg-secret') sawSecretDeleted();
      },
      () => {},
    );
    await kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: 'bg-pod', namespace: LAB_NS });
    await secretDeleted;
    watch.abort();
    expect(seen).toEqual(['DELETED bg-secret']);
    expect(trail()).toEqual([
      'DELETED Pod bg-pod',
      'DELETED SecretProviderClassPodStatus bg-status',
      'DELETED Secret bg-secret',
    ]);
  });

  it('keeps a dependent that has another live owner and strips only the absent owner', () => {
    const { status } = mountedPod('two');
    const cm = server.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'two-owner', namespace: LAB_NS },
    });
    const secret = server.store.get({ apiVersion: 'v1', kind: 'Secret', namespace: LAB_NS, name: 'two-secret' });
    server.store.update({
      ...secret,
      metadata: { ...(secret?.metadata as object), ownerReferences: [ref(status), ref(cm)] },
    });
    changes = [];
    server.store.delete({ apiVersion: 'v1', kind: 'Pod', namespace: LAB_NS, name: 'two-pod' });
    expect(trail()).toEqual([
      'DELETED Pod two-pod',
      'DELETED SecretProviderClassPodStatus two-status',
      'MODIFIED Secret two-secret',
    ]);
    const kept = server.store.get({ apiVersion: 'v1', kind: 'Secret', namespace: LAB_NS, name: 'two-secret' });
    expect((kept?.metadata as Record<string, unknown> | undefined)?.ownerReferences).toEqual([ref(cm)]);
  });

  it('ignores references whose uid is not the deleted owner’s, or whose owner is in another namespace', () => {
    const owner = server.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'o', namespace: LAB_NS },
    });
    server.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'stale-uid', namespace: LAB_NS, ownerReferences: [{ ...ref(owner), uid: 'not-the-uid' }] },
    });
    server.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } });
    server.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'other-ns', namespace: 'elsewhere', ownerReferences: [ref(owner)] },
    });
    changes = [];
    server.store.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: LAB_NS, name: 'o' });
    expect(trail()).toEqual(['DELETED ConfigMap o']);
    expect(exists('v1', 'ConfigMap', 'stale-uid')).toBe(true);
    expect(exists('v1', 'ConfigMap', 'other-ns', 'elsewhere')).toBe(true);
  });

  it('lets a cluster-scoped owner own namespaced dependents anywhere', () => {
    const node = server.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-node' } });
    server.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'on-node', namespace: LAB_NS, ownerReferences: [ref(node)] },
    });
    changes = [];
    server.store.delete({ apiVersion: 'v1', kind: 'Node', name: 'gc-node' });
    expect(trail()).toEqual(['DELETED Node gc-node', 'DELETED ConfigMap on-node']);
  });
});

describe('Foreground and Orphan propagation over HTTP', () => {
  const podPath = (name: string) => `/api/v1/namespaces/${LAB_NS}/pods/${name}`;

  it('Foreground: marks the owner, deletes the dependents, then the owner; answers with the marked pod', async () => {
    mountedPod('fg');
    changes = [];
    const res = await raw(server, podPath('fg-pod'), {
      method: 'DELETE',
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
    });
    expect(res.status).toBe(200);
    const meta = res.json.metadata as Record<string, unknown>;
    expect(meta.finalizers).toEqual(['foregroundDeletion']);
    expect(meta.deletionTimestamp).toBe('2026-03-02T10:00:00Z');
    expect(trail()).toEqual([
      'MODIFIED Pod fg-pod',
      'MODIFIED SecretProviderClassPodStatus fg-status',
      'DELETED Secret fg-secret',
      'MODIFIED SecretProviderClassPodStatus fg-status',
      'DELETED SecretProviderClassPodStatus fg-status',
      'MODIFIED Pod fg-pod',
      'DELETED Pod fg-pod',
    ]);
    const deleted = changes.at(-1)?.object.metadata as Record<string, unknown>;
    expect(deleted.finalizers).toBeUndefined();
  });

  it('Orphan (query parameter): removes the references to the owner and keeps the dependents', async () => {
    mountedPod('or');
    changes = [];
    const res = await raw(server, `${podPath('or-pod')}?propagationPolicy=Orphan`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((res.json.metadata as Record<string, unknown>).finalizers).toEqual(['orphan']);
    expect(trail()).toEqual([
      'MODIFIED Pod or-pod',
      'MODIFIED SecretProviderClassPodStatus or-status',
      'MODIFIED Pod or-pod',
      'DELETED Pod or-pod',
    ]);
    const status = server.store.get({
      apiVersion: SPCPS,
      kind: 'SecretProviderClassPodStatus',
      namespace: LAB_NS,
      name: 'or-status',
    });
    expect(status).toBeDefined();
    expect((status?.metadata as Record<string, unknown> | undefined)?.ownerReferences).toBeUndefined();
    expect(exists('v1', 'Secret', 'or-secret')).toBe(true);
  });

  it('rejects an unknown propagationPolicy with 422', async () => {
    mountedPod('bad');
    const res = await raw(server, podPath('bad-pod'), { method: 'DELETE', body: { propagationPolicy: 'Sideways' } });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
    expect(exists('v1', 'Pod', 'bad-pod')).toBe(true);
  });
});

describe('kubectl delete pod on the classroom', () => {
  it('takes student-02’s SecretProviderClassPodStatus and synced Secret with the pod', async () => {
    const scenario = await loadScenario('classroom');
    const { caPem, tls } = await tlsMaterial();
    const classroom = await startKubeApiServer({
      objects: scenario.objects,
      issuer: scenario.cluster.issuer,
      tls,
      caPem,
      tokens: scenario.tokens,
    });
    const dir = await mkdtemp(join(tmpdir(), 'kvlab-gc-'));
    try {
      const admin = scenario.tokens.find((t) => t.groups?.includes('system:masters'))?.token ?? '';
      const kubeconfig = join(dir, 'kubeconfig');
      await writeFile(kubeconfig, classroom.kubeconfig({ token: admin, namespace: 'student-02' }));
      const { stdout } = await run('kubectl', ['delete', 'pod', 'pod-keyvault', '--cache-dir', join(dir, 'cache')], {
        env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
      });
      expect(stdout.trim()).toBe('pod "pod-keyvault" deleted');
      const left = (kind: string, apiVersion: string) =>
        classroom.store.list(apiVersion, kind, 'student-02').map(nameOf);
      expect(left('SecretProviderClassPodStatus', SPCPS)).toEqual([]);
      expect(left('Secret', 'v1')).toEqual([]);
      expect(left('SecretProviderClass', SPCPS)).toEqual(['azure-kv-secrets', 'azure-kv-secrets-sync']);
    } finally {
      await classroom.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
