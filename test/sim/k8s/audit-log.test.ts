/**
 * The audit log: client-node requests (and a watch, a denied and a failed request) each become exactly
 * one audit.k8s.io/v1 Event line at level Metadata with kube-apiserver's fields.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { ADMIN_TOKEN, LAB_NS, STUDENT_TOKEN } from './fixtures.ts';
import { startTestServer } from './harness.ts';

let server: KubeApiServer;
let dir: string;
let path: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kvlab-audit-'));
  path = join(dir, 'audit.log');
  server = await startTestServer({ auditLog: path });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const client = (token: string) => {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig({ token, https: true, namespace: LAB_NS }));
  return kc;
};
const lines = async () =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('audit log', () => {
  it('writes one Metadata event per request', async () => {
    const admin = client(ADMIN_TOKEN).makeApiClient(CoreV1Api);
    await admin.listNamespacedPod({ namespace: LAB_NS });
    await admin.listNamespacedPod({ namespace: LAB_NS, labelSelector: 'app=web' });
    await admin.readNamespacedPod({ name: 'web', namespace: LAB_NS });
    await admin.listNamespace();
    const events = await lines();
    expect(events).toHaveLength(4);
    const [first] = events;
    expect(Object.keys(first ?? {})).toEqual([
      'kind',
      'apiVersion',
      'level',
      'auditID',
      'stage',
      'requestURI',
      'verb',
      'user',
      'sourceIPs',
      'userAgent',
      'objectRef',
      'responseStatus',
      'requestReceivedTimestamp',
      'stageTimestamp',
    ]);
    expect(first).toMatchObject({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      stage: 'ResponseComplete',
      requestURI: `/api/v1/namespaces/${LAB_NS}/pods`,
      verb: 'list',
      user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      sourceIPs: ['127.0.0.1'],
      objectRef: { resource: 'pods', namespace: LAB_NS, apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 200 },
    });
    expect(String(first?.requestReceivedTimestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(events.map((e) => `${e.verb} ${e.requestURI}`)).toEqual([
      `list /api/v1/namespaces/${LAB_NS}/pods`,
      `list /api/v1/namespaces/${LAB_NS}/pods?labelSelector=app%3Dweb`,
      `get /api/v1/namespaces/${LAB_NS}/pods/web`,
      'list /api/v1/namespaces',
    ]);
    expect(new Set(events.map((e) => e.auditID)).size).toBe(4);
  });

  it('logs a denied request with the Status reason, a group object, and a watch once when it starts', async () => {
    const before = (await lines()).length;
    const denied = await client(STUDENT_TOKEN)
      .makeApiClient(CoreV1Api)
      .listNamespacedSecret({ namespace: LAB_NS })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Error);
    await client(ADMIN_TOKEN)
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: 'absent', namespace: LAB_NS })
      .catch(() => undefined);
    const watch = await new Watch(client(ADMIN_TOKEN)).watch(
      `/api/v1/namespaces/${LAB_NS}/pods`,
      {},
      () => {},
      () => {},
    );
    watch.abort();
    const events = (await lines()).slice(before);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      verb: 'list',
      user: { username: 'student01@school.example' },
      objectRef: { resource: 'secrets', namespace: LAB_NS },
      responseStatus: { status: 'Failure', reason: 'Forbidden', code: 403 },
    });
    expect(events[1]).toMatchObject({
      verb: 'get',
      objectRef: { resource: 'leases', name: 'absent', apiGroup: 'coordination.k8s.io', apiVersion: 'v1' },
      responseStatus: { code: 404, reason: 'NotFound', message: 'leases.coordination.k8s.io "absent" not found' },
    });
    expect(events[2]).toMatchObject({ verb: 'watch', stage: 'ResponseStarted', responseStatus: { code: 200 } });
  });
});
