/**
 * coordination.k8s.io/v1 Leases through the real client (client-node CoordinationV1Api) and raw HTTP:
 * optimistic concurrency between racing candidates, create conflicts, PUT-creates, the rv-less update and
 * MicroTime rules of the Lease strategy, discovery, RBAC and kubectl's table.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiException, CoordinationV1Api, KubeConfig, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { ADMIN_TOKEN, LAB_NS, STUDENT_TOKEN } from './fixtures.ts';
import { raw, startTestServer } from './harness.ts';

const run = promisify(execFile);
let server: KubeApiServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'kvlab-leases-'));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function leases(token = ADMIN_TOKEN): CoordinationV1Api {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig({ token, https: true, namespace: LAB_NS }));
  return kc.makeApiClient(CoordinationV1Api);
}

const lease = (name: string, holder: string): V1Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: LAB_NS },
  spec: {
    holderIdentity: holder,
    leaseDurationSeconds: 15,
    acquireTime: new V1MicroTime(),
    renewTime: new V1MicroTime(),
    leaseTransitions: 0,
  },
});

const statusOf = (e: unknown) => ({
  code: (e as ApiException<string>).code,
  body: JSON.parse(String((e as ApiException<string>).body)),
});

describe('Leases with client-node', () => {
  it('lets one of two racing candidates take over a lease and answers the other 409 Conflict', async () => {
    await leases().createNamespacedLease({ namespace: LAB_NS, body: lease('race', 'nobody') });
    const [a, b] = [leases(), leases()];
    const [seenByA, seenByB] = await Promise.all([
      a.readNamespacedLease({ name: 'race', namespace: LAB_NS }),
      b.readNamespacedLease({ name: 'race', namespace: LAB_NS }),
    ]);
    expect(seenByA.metadata?.resourceVersion).toBe(seenByB.metadata?.resourceVersion);
    const takeOver = (api: CoordinationV1Api, seen: V1Lease, holder: string) =>
      api
        .replaceNamespacedLease({
          name: 'race',
          namespace: LAB_NS,
          body: { ...seen, spec: { ...seen.spec, holderIdentity: holder, renewTime: new V1MicroTime() } },
        })
        .then(
          (won) => ({ won }),
          (lost: unknown) => ({ lost }),
        );
    const results = await Promise.all([takeOver(a, seenByA, 'watcher-a'), takeOver(b, seenByB, 'watcher-b')]);
    const winners = results.flatMap((r) => ('won' in r ? [r.won] : []));
    const losers = results.flatMap((r) => ('lost' in r ? [r.lost] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]).toBeInstanceOf(ApiException);
    expect(statusOf(losers[0])).toEqual({
      code: 409,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Operation cannot be fulfilled on leases.coordination.k8s.io "race": the object has been modified; please apply your changes to the latest version and try again',
        reason: 'Conflict',
        details: { name: 'race', group: 'coordination.k8s.io', kind: 'leases' },
        code: 409,
      },
    });
    const stored = await a.readNamespacedLease({ name: 'race', namespace: LAB_NS });
    expect(stored.spec?.holderIdentity).toBe(winners[0]?.spec?.holderIdentity);
    expect(Number(stored.metadata?.resourceVersion)).toBeGreaterThan(Number(seenByA.metadata?.resourceVersion));
  });

  it('answers a second create of the same lease 409 AlreadyExists', async () => {
    await leases().createNamespacedLease({ namespace: LAB_NS, body: lease('twice', 'a') });
    const error = await leases()
      .createNamespacedLease({ namespace: LAB_NS, body: lease('twice', 'b') })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toMatchObject({
      code: 409,
      body: {
        reason: 'AlreadyExists',
        message: 'leases.coordination.k8s.io "twice" already exists',
        details: { name: 'twice', group: 'coordination.k8s.io', kind: 'leases' },
      },
    });
  });

  it('round-trips MicroTime with six fractional digits, patches and deletes', async () => {
    const api = leases();
    const created = await api.createNamespacedLease({ namespace: LAB_NS, body: lease('micro', 'a') });
    const rawLease = await raw(server, `/apis/coordination.k8s.io/v1/namespaces/${LAB_NS}/leases/micro`);
    expect(String((rawLease.json.spec as Record<string, unknown>).renewTime)).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
    );
    const patched = await api.patchNamespacedLease({
      name: 'micro',
      namespace: LAB_NS,
      body: [{ op: 'replace', path: '/spec/holderIdentity', value: 'b' }],
    });
    expect(patched.spec?.holderIdentity).toBe('b');
    expect(patched.metadata?.uid).toBe(created.metadata?.uid);
    await api.deleteNamespacedLease({ name: 'micro', namespace: LAB_NS });
    const gone = await api.readNamespacedLease({ name: 'micro', namespace: LAB_NS }).catch((e: unknown) => e);
    expect(statusOf(gone).body.message).toBe('leases.coordination.k8s.io "micro" not found');
  });
});

describe('Lease strategy on the wire', () => {
  const path = (name = '') => `/apis/coordination.k8s.io/v1/namespaces/${LAB_NS}/leases${name ? `/${name}` : ''}`;
  const body = (name: string, spec: Record<string, unknown>, rv?: string) => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, ...(rv ? { resourceVersion: rv } : {}) },
    spec,
  });

  it('creates a lease on PUT when it does not exist (201)', async () => {
    const res = await raw(server, path('put-created'), {
      method: 'PUT',
      body: body('put-created', { holderIdentity: 'x' }),
    });
    expect(res.status).toBe(201);
    expect((res.json.spec as Record<string, unknown>).holderIdentity).toBe('x');
  });

  it('refuses an update without resourceVersion with 422 Invalid', async () => {
    await raw(server, path(), { method: 'POST', body: body('no-rv', { holderIdentity: 'x' }) });
    const res = await raw(server, path('no-rv'), { method: 'PUT', body: body('no-rv', { holderIdentity: 'y' }) });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      reason: 'Invalid',
      message:
        'Lease.coordination.k8s.io "no-rv" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    });
  });

  it('rejects a renewTime with millisecond precision (JavaScript toISOString) with 400', async () => {
    const res = await raw(server, path(), {
      method: 'POST',
      body: body('millis', { holderIdentity: 'x', renewTime: '2022-06-23T18:10:50.278Z' }),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      reason: 'BadRequest',
      message:
        'Lease in version "v1" cannot be handled as a Lease: parsing time "2022-06-23T18:10:50.278Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".278Z" as ".000000"',
    });
  });

  it('validates leaseDurationSeconds', async () => {
    const res = await raw(server, path(), { method: 'POST', body: body('zero', { leaseDurationSeconds: 0 }) });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(
      'Lease.coordination.k8s.io "zero" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    );
  });

  it('is in discovery and behind RBAC', async () => {
    const doc = await raw(server, '/apis/coordination.k8s.io/v1');
    expect(doc.json.resources).toEqual([
      {
        name: 'leases',
        singularName: 'lease',
        namespaced: true,
        kind: 'Lease',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
    ]);
    const denied = await raw(server, path(), { token: STUDENT_TOKEN });
    expect(denied.status).toBe(403);
    expect(String(denied.json.message)).toMatch(
      /^leases\.coordination\.k8s\.io is forbidden: User "student01@school\.example" cannot list resource "leases" in API group "coordination\.k8s\.io" in the namespace "lab-student01"/,
    );
  });

  it('prints NAME HOLDER AGE in kubectl get', async () => {
    await raw(server, path(), { method: 'POST', body: body('shown', { holderIdentity: 'watcher-7' }) });
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, server.kubeconfig({ token: ADMIN_TOKEN, namespace: LAB_NS }));
    const { stdout } = await run('kubectl', ['get', 'leases', 'shown', '--cache-dir', join(dir, 'cache')], {
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
    });
    expect(stdout.split('\n')[0]?.split(/\s+/)).toEqual(['NAME', 'HOLDER', 'AGE']);
    expect(stdout.split('\n')[1]).toMatch(/^shown\s+watcher-7\s+/);
  });
});
