import { type ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { ADMIN_TOKEN, LAB_NS } from './fixtures.ts';
import { raw, startTestServer } from './harness.ts';

const POD = '/api/v1/namespaces/{namespace}/pods/{name}';
let server: KubeApiServer;
let core: CoreV1Api;
beforeAll(async () => {
  server = await startTestServer();
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig({ token: ADMIN_TOKEN, https: false }));
  core = kc.makeApiClient(CoreV1Api);
});
afterEach(() => {
  server.faults.clear();
  server.requests.reset();
});
afterAll(async () => {
  await server?.close();
});

describe('fault injection', () => {
  it('answers with an injected error Status a limited number of times', async () => {
    const fault = server.faults.add({ method: 'GET', path: POD, status: 503, times: 1 });
    const error = (await core
      .readNamespacedPod({ name: 'web', namespace: LAB_NS })
      .catch((e: unknown) => e)) as ApiException<string>;
    expect(error.code).toBe(503);
    expect(JSON.parse(error.body)).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect(fault.hits).toBe(1);
    await expect(core.readNamespacedPod({ name: 'web', namespace: LAB_NS })).resolves.toMatchObject({
      metadata: { name: 'web' },
    });
  });

  it('adds latency to matching routes only', async () => {
    const fault = server.faults.add({ path: /\/pods\/web$/, latencyMs: 300 });
    const started = Date.now();
    await core.readNamespacedPod({ name: 'web', namespace: LAB_NS });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(fault.hits).toBe(1);
    // The other route was not delayed: the fault did not touch it (counted, not timed, so a slow machine is fine).
    await core.readNamespacedPod({ name: 'pod-keyvault', namespace: LAB_NS });
    expect(fault.hits).toBe(1);
  });

  it('drops the connection without a response', async () => {
    server.faults.add({ path: POD, drop: true, times: 1 });
    const error = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods/web`).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error & { cause?: { code?: string } }).cause?.code)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
  });

  it('closes a watch early, cleanly', async () => {
    const fault = server.faults.add({ path: '/api/v1/namespaces/{namespace}/pods', closeWatchAfterMs: 200 });
    const started = Date.now();
    // Without timeoutSeconds the watch would stay open (past the test's timeout): that it ends at all is the fault's
    // doing, after its 200 ms, however slow this machine is.
    const res = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods?watch=true`);
    expect(res.status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.text.trim().split('\n')).toHaveLength(2);
  });
});

describe('request counters', () => {
  it('counts requests per method and route template, watches separately', async () => {
    await core.readNamespacedPod({ name: 'web', namespace: LAB_NS });
    await core.readNamespacedPod({ name: 'pod-keyvault', namespace: LAB_NS });
    await core.listNamespacedPod({ namespace: LAB_NS });
    await raw(server, `/api/v1/namespaces/${LAB_NS}/pods?watch=true&timeoutSeconds=1`);
    expect(server.requests.get(`GET ${POD}`)).toBe(2);
    expect(server.requests.get('GET /api/v1/namespaces/{namespace}/pods')).toBe(1);
    expect(server.requests.get('WATCH /api/v1/namespaces/{namespace}/pods')).toBe(1);
    expect(server.requests.total()).toBe(4);
    server.requests.reset();
    expect(server.requests.total()).toBe(0);
  });
});
