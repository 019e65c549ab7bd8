import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { LAB_NS } from './fixtures.ts';
import { raw, startTestServer } from './harness.ts';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const cms = `/api/v1/namespaces/${LAB_NS}/configmaps`;
const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});
type Meta = { name: string; resourceVersion: string; uid: string };
const metaOf = (o: Record<string, unknown>) => o.metadata as Meta;

describe('writes', () => {
  it('creates with 201, assigns uid/creationTimestamp/resourceVersion and bumps the global resourceVersion', async () => {
    const before = Number(server.store.resourceVersion);
    const res = await raw(server, cms, { method: 'POST', body: configMap('created', { a: '1' }) });
    expect(res.status).toBe(201);
    expect(metaOf(res.json).uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Number(metaOf(res.json).resourceVersion)).toBe(before + 1);
    expect((res.json.metadata as Record<string, unknown>).creationTimestamp).toBe('2026-03-02T10:00:00Z');
  });

  it('answers a duplicate create with 409 AlreadyExists', async () => {
    const res = await raw(server, cms, { method: 'POST', body: configMap('created') });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "created" already exists',
      details: { name: 'created', kind: 'configmaps' },
    });
  });

  it('rejects a PUT with a stale resourceVersion with 409 Conflict', async () => {
    const current = (await raw(server, `${cms}/created`)).json;
    const ok = await raw(server, `${cms}/created`, { method: 'PUT', body: { ...current, data: { a: '2' } } });
    expect(ok.status).toBe(200);
    const stale = await raw(server, `${cms}/created`, { method: 'PUT', body: { ...current, data: { a: '3' } } });
    expect(stale.status).toBe(409);
    expect(stale.json.message).toBe(
      'Operation cannot be fulfilled on configmaps "created": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('applies merge, strategic-merge (as merge) and JSON patches', async () => {
    const merge = await raw(server, `${cms}/created`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { data: { b: 'x', a: null } },
    });
    expect(merge.json.data).toEqual({ b: 'x' });
    const strategic = await raw(server, `${cms}/created`, {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: { metadata: { labels: { l: 'v' } } },
    });
    expect((strategic.json.metadata as { labels: unknown }).labels).toEqual({ l: 'v' });
    const json = await raw(server, `${cms}/created`, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [
        { op: 'replace', path: '/data/b', value: 'y' },
        { op: 'test', path: '/data/b', value: 'y' },
      ],
    });
    expect(json.json.data).toEqual({ b: 'y' });
    const failed = await raw(server, `${cms}/created`, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [{ op: 'test', path: '/data/b', value: 'nope' }],
    });
    expect(failed.status).toBe(422);
  });

  it('refuses strategic merge patch on custom resources with 415, as kube-apiserver does', async () => {
    const res = await raw(
      server,
      `/apis/secrets-store.csi.x-k8s.io/v1/namespaces/${LAB_NS}/secretproviderclasses/azure-kv`,
      {
        method: 'PATCH',
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { provider: 'gcp' } },
      },
    );
    expect(res.status).toBe(415);
    expect(res.json.reason).toBe('UnsupportedMediaType');
  });

  it('validates names (DNS-1123) and CRD schemas with 422 Invalid', async () => {
    const bad = await raw(server, cms, { method: 'POST', body: configMap('Bad_Name') });
    expect(bad.status).toBe(422);
    expect(bad.json.message).toMatch(
      /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    const spc = await raw(server, `/apis/secrets-store.csi.x-k8s.io/v1/namespaces/${LAB_NS}/secretproviderclasses`, {
      method: 'POST',
      body: {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: 'unquoted' },
        spec: { provider: 'azure', parameters: { usePodIdentity: false } },
      },
    });
    expect(spc.status).toBe(422);
    expect(spc.json.message).toBe(
      'SecretProviderClass.secrets-store.csi.x-k8s.io "unquoted" is invalid: spec.parameters.usePodIdentity: Invalid value: "boolean": spec.parameters.usePodIdentity in body must be of type string: "boolean"',
    );
  });

  it('turns malformed bodies and unknown namespaces into the real errors instead of crashing', async () => {
    const malformed = await raw(server, cms, { method: 'POST', body: '{"kind": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.reason).toBe('BadRequest');
    const noKind = await raw(server, cms, { method: 'POST', body: { metadata: { name: 'x' } } });
    expect(noKind.json.message).toMatch(/^Object 'Kind' is missing in/);
    const noNs = await raw(server, '/api/v1/namespaces/ghost/configmaps', { method: 'POST', body: configMap('x') });
    expect(noNs.status).toBe(404);
    expect(noNs.json.message).toBe('namespaces "ghost" not found');
  });

  it('deletes with Status Success for config maps and 404 afterwards', async () => {
    const res = await raw(server, `${cms}/created`, { method: 'DELETE' });
    expect(res.json).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'created', kind: 'configmaps' },
    });
    expect((await raw(server, `${cms}/created`)).status).toBe(404);
  });
});

describe('reads', () => {
  it('answers unknown paths and resources with plain-text 404 page not found', async () => {
    for (const path of [
      '/nope',
      '/api/v1/widgets',
      '/apis/example.com/v1/things',
      `/api/v1/namespaces/${LAB_NS}/pods/web/exec-nope`,
    ]) {
      const res = await raw(server, path);
      expect(res.status, path).toBe(404);
      expect(res.text).toBe('404 page not found\n');
      expect(res.contentType).toMatch(/^text\/plain/);
    }
  });

  it('rejects malformed label selectors and unsupported field labels with 400', async () => {
    const label = await raw(
      server,
      `/api/v1/namespaces/${LAB_NS}/pods?labelSelector=${encodeURIComponent('app in web')}`,
    );
    expect(label.status).toBe(400);
    const field = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods?fieldSelector=spec.volumes=x`);
    expect(field.json).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'field label not supported: spec.volumes',
    });
    const crField = await raw(
      server,
      `/apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasses?fieldSelector=spec.provider=azure`,
    );
    expect(crField.json.message).toBe('field label not supported: spec.provider');
  });

  it('selects pods by field and by != label (matching objects without the key)', async () => {
    const byPhase = await raw(
      server,
      '/api/v1/pods?fieldSelector=status.phase=Running,spec.serviceAccountName=default',
    );
    expect((byPhase.json.items as Array<Record<string, unknown>>).map((p) => metaOf(p).name)).toEqual(['web']);
    const notFrontend = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods?labelSelector=tier!=frontend,!missing`);
    expect((notFrontend.json.items as Array<Record<string, unknown>>).map((p) => metaOf(p).name)).toEqual([
      'pod-keyvault',
    ]);
  });

  it('pages with limit and continue', async () => {
    const first = await raw(server, `/api/v1/namespaces/${LAB_NS}/events?limit=2`);
    const meta = first.json.metadata as { continue: string; remainingItemCount: number };
    expect((first.json.items as unknown[]).length).toBe(2);
    expect(meta.remainingItemCount).toBe(1);
    const second = await raw(
      server,
      `/api/v1/namespaces/${LAB_NS}/events?limit=2&continue=${encodeURIComponent(meta.continue)}`,
    );
    expect((second.json.items as unknown[]).length).toBe(1);
    expect((second.json.metadata as Record<string, unknown>).continue).toBeUndefined();
  });

  it('serves the same events through events.k8s.io/v1 with the new field names', async () => {
    const res = await raw(
      server,
      `/apis/events.k8s.io/v1/namespaces/${LAB_NS}/events?fieldSelector=regarding.name=pod-keyvault,reason=FailedMount`,
    );
    const items = res.json.items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      reportingController: 'kubelet',
      deprecatedSource: { component: 'kubelet' },
      regarding: { kind: 'Pod', name: 'pod-keyvault' },
    });
    expect(String(items[0]?.note)).toMatch(/^MountVolume.SetUp failed/);
  });

  it('serves Tables with the real pod columns and PartialObjectMetadataList without secret data', async () => {
    const table = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods`, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(table.json.kind).toBe('Table');
    expect((table.json.columnDefinitions as Array<{ name: string }>).map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect((table.json.rows as Array<{ cells: unknown[] }>)[0]?.cells.slice(0, 5)).toEqual([
      'pod-keyvault',
      '0/1',
      'ContainerCreating',
      '0',
      '5m',
    ]);
    server.store.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: LAB_NS },
      data: { password: 'c2VjcmV0' },
    });
    const partial = await raw(server, `/api/v1/namespaces/${LAB_NS}/secrets`, {
      accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    });
    expect(partial.json.kind).toBe('PartialObjectMetadataList');
    expect(partial.text).not.toContain('c2VjcmV0');
  });

  it('returns pod logs as text, or the kubelet error while the container waits', async () => {
    const waiting = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods/pod-keyvault/log`);
    expect(waiting.json.message).toBe('container "app" in pod "pod-keyvault" is waiting to start: ContainerCreating');
    const running = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods/web/log?container=nginx`);
    expect(running.status).toBe(200);
    expect(running.contentType).toBe('text/plain');
  });
});

describe('dry run', () => {
  it('validates and answers ?dryRun=All writes without persisting them', async () => {
    const before = server.store.resourceVersion;
    const created = await raw(server, `${cms}?dryRun=All`, { method: 'POST', body: configMap('dry') });
    expect(created.status).toBe(201);
    expect((await raw(server, `${cms}/dry`)).status).toBe(404);
    const deleted = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods/web?dryRun=All`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await raw(server, `/api/v1/namespaces/${LAB_NS}/pods/web`)).status).toBe(200);
    expect(server.store.resourceVersion).toBe(before);
    expect((await raw(server, `${cms}?dryRun=Some`, { method: 'POST', body: configMap('dry') })).status).toBe(400);
  });
});
