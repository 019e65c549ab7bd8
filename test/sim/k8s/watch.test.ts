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

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: LAB_NS } });

describe('watch over the wire', () => {
  it('sends a single ERROR 410 Expired event for a compacted resourceVersion and closes', async () => {
    const old = Number(server.store.resourceVersion);
    server.store.create(configMap('bump'));
    server.store.compact();
    const res = await raw(server, `/api/v1/namespaces/${LAB_NS}/pods?watch=true&resourceVersion=${old}`);
    expect(res.status).toBe(200);
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${old} (${server.store.resourceVersion})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
  });

  it('honours timeoutSeconds and sends a BOOKMARK when asked', async () => {
    const started = Date.now();
    const res = await raw(
      server,
      `/api/v1/namespaces/${LAB_NS}/pods?watch=1&timeoutSeconds=1&allowWatchBookmarks=true`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const types = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
  });

  it('turns selector changes into ADDED/DELETED for a selecting watch and starts after the given resourceVersion', async () => {
    const from = server.store.resourceVersion;
    const pending = raw(
      server,
      `/api/v1/namespaces/${LAB_NS}/pods?watch=1&labelSelector=app%3Dweb&resourceVersion=${from}&timeoutSeconds=1`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const pod = server.store.get({ apiVersion: 'v1', kind: 'Pod', namespace: LAB_NS, name: 'web' }) ?? {};
    const meta = pod.metadata as { labels: Record<string, string> };
    server.store.update({ ...pod, metadata: { ...meta, labels: { app: 'other' } } });
    const moved = server.store.get({ apiVersion: 'v1', kind: 'Pod', namespace: LAB_NS, name: 'web' }) ?? {};
    server.store.update({ ...moved, metadata: { ...(moved.metadata as object), labels: { app: 'web' } } });
    const events = (await pending).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => `${e.type} ${e.object.metadata.labels.app}`)).toEqual(['DELETED web', 'ADDED web']);
  });
});
