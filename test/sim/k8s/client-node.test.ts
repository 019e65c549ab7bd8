import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { ADMIN_TOKEN, LAB_NS } from './fixtures.ts';
import { eventually, startTestServer } from './harness.ts';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

function kubeConfig(https: boolean): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig({ token: ADMIN_TOKEN, https, namespace: LAB_NS }));
  return kc;
}

const newPod = (name: string, labels: Record<string, string> = {}): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: LAB_NS, labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe.each([
  ['http with skipTLSVerify', false],
  ['https with the CA', true],
])('CoreV1Api over %s', (_label, https) => {
  it('lists pods filtered by label selector', async () => {
    const core = kubeConfig(https).makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: LAB_NS, labelSelector: 'app in (web,other),tier!=backend' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['web']);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('lists events for one pod with a field selector, the way kubectl describe does', async () => {
    const core = kubeConfig(https).makeApiClient(CoreV1Api);
    const pod = await core.readNamespacedPod({ name: 'pod-keyvault', namespace: LAB_NS });
    const events = await core.listNamespacedEvent({
      namespace: LAB_NS,
      fieldSelector: `involvedObject.name=pod-keyvault,involvedObject.namespace=${LAB_NS},involvedObject.uid=${pod.metadata?.uid},reason=FailedMount`,
    });
    expect(events.items).toHaveLength(2);
    expect(events.items.every((e) => e.reason === 'FailedMount' && e.involvedObject.uid === pod.metadata?.uid)).toBe(
      true,
    );
    expect(events.items[0]?.lastTimestamp).toBeInstanceOf(Date);
  });

  it('reports a missing pod as ApiException 404 with the NotFound Status body', async () => {
    const core = kubeConfig(https).makeApiClient(CoreV1Api);
    const error = await core.readNamespacedPod({ name: 'nope', namespace: LAB_NS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiException);
    const body = JSON.parse(String((error as ApiException<string>).body));
    expect((error as ApiException<string>).code).toBe(404);
    expect(body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
    });
  });
});

describe('CustomObjectsApi', () => {
  it('lists and gets SecretProviderClasses', async () => {
    const custom = kubeConfig(true).makeApiClient(CustomObjectsApi);
    const coords = {
      group: 'secrets-store.csi.x-k8s.io',
      version: 'v1',
      namespace: LAB_NS,
      plural: 'secretproviderclasses',
    };
    const list = await custom.listNamespacedCustomObject(coords);
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['azure-kv']);
    const spc = await custom.getNamespacedCustomObject({ ...coords, name: 'azure-kv' });
    expect(spc).toMatchObject({
      kind: 'SecretProviderClass',
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      spec: { provider: 'azure' },
    });
  });

  it('answers a missing SPC with the group-qualified NotFound message', async () => {
    const custom = kubeConfig(false).makeApiClient(CustomObjectsApi);
    const error = await custom
      .getNamespacedCustomObject({
        group: 'secrets-store.csi.x-k8s.io',
        version: 'v1',
        namespace: LAB_NS,
        plural: 'secretproviderclasses',
        name: 'x',
      })
      .catch((e: ApiException<string>) => e);
    expect(JSON.parse(String((error as ApiException<string>).body)).message).toBe(
      'secretproviderclasses.secrets-store.csi.x-k8s.io "x" not found',
    );
  });
});

describe('Watch', () => {
  it('streams ADDED for existing pods, then ADDED, MODIFIED and DELETED for changes', async () => {
    const kc = kubeConfig(false);
    const core = kc.makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let ended = false;
    const controller = await new Watch(kc).watch(
      `/api/v1/namespaces/${LAB_NS}/pods`,
      {},
      (type, obj: V1Pod) => seen.push(`${type} ${obj.metadata?.name}`),
      () => {
        ended = true;
      },
    );
    await eventually(() => seen.length >= 2, 5000, 'initial ADDED events');
    expect(seen).toEqual(['ADDED pod-keyvault', 'ADDED web']);

    await core.createNamespacedPod({ namespace: LAB_NS, body: newPod('watched') });
    await core.patchNamespacedPod({
      name: 'watched',
      namespace: LAB_NS,
      body: [{ op: 'add', path: '/metadata/labels', value: { x: 'y' } }],
    });
    await core.deleteNamespacedPod({ name: 'watched', namespace: LAB_NS });
    await eventually(() => seen.length >= 5, 5000, 'change events');
    expect(seen.slice(2)).toEqual(['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
    controller.abort();
    await eventually(() => ended, 5000, 'watch end');
  });
});

describe('informer', () => {
  it('relists after the watch restarts from a compacted resourceVersion (410)', async () => {
    const kc = kubeConfig(true);
    const core = kc.makeApiClient(CoreV1Api);
    const template = '/api/v1/namespaces/{namespace}/pods';
    server.faults.add({ method: 'WATCH', path: template, closeWatchAfterMs: 200, times: 1 });
    server.faults.add({ method: 'WATCH', path: template, latencyMs: 400, times: 1 });
    server.requests.reset();
    const informer = makeInformer(kc, `/api/v1/namespaces/${LAB_NS}/pods`, () =>
      core.listNamespacedPod({ namespace: LAB_NS }),
    );
    const added: string[] = [];
    const deleted: string[] = [];
    informer.on('add', (p) => added.push(p.metadata?.name ?? ''));
    informer.on('delete', (p) => deleted.push(p.metadata?.name ?? ''));
    await informer.start();
    await eventually(() => added.length === 2, 5000, 'initial list');

    // The first watch is closed after 200 ms; the re-watch is held for 400 ms. Meanwhile the pod goes away and
    // history is compacted, so the re-watch gets ERROR 410 and the informer must relist to notice the deletion.
    await eventually(() => server.requests.get(`WATCH ${template}`) === 2, 5000, 'second watch request');
    server.store.delete({ apiVersion: 'v1', kind: 'Pod', namespace: LAB_NS, name: 'web' });
    server.store.compact();

    await eventually(() => deleted.includes('web'), 8000, 'relist noticing the deleted pod');
    expect(server.requests.get(`GET ${template}`)).toBe(2);
    expect(informer.list(LAB_NS).map((p) => p.metadata?.name)).toEqual(['pod-keyvault']);
    await informer.stop();
  });
});
