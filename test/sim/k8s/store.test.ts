import { describe, expect, it } from 'vitest';
import { deterministicUid } from '../../../sim/k8s/defaults.ts';
import { seedStore } from '../../../sim/k8s/seed.ts';
import { StatusError } from '../../../sim/k8s/status.ts';
import { type Change, ObjectStore } from '../../../sim/k8s/store.ts';
import { clusterObjects, LAB_NS } from './fixtures.ts';

const seeded = () => {
  const store = new ObjectStore({ now: () => new Date('2026-03-02T10:00:00Z'), historyLimit: 50 });
  seedStore(store, clusterObjects());
  return store;
};
const meta = (o: Record<string, unknown> | undefined) => (o?.metadata ?? {}) as Record<string, string>;

describe('ObjectStore', () => {
  it('gives seeded objects deterministic uids and ties events to their pod', () => {
    const store = seeded();
    const pod = store.get({ apiVersion: 'v1', kind: 'Pod', namespace: LAB_NS, name: 'pod-keyvault' });
    expect(meta(pod).uid).toBe(deterministicUid('', 'Pod', LAB_NS, 'pod-keyvault'));
    const events = store.list('v1', 'Event', LAB_NS);
    expect(events.map((e) => (e.involvedObject as { uid: string }).uid)).toEqual([
      meta(pod).uid,
      meta(pod).uid,
      meta(pod).uid,
    ]);
  });

  it('expands List dumps and fills item kinds from typed lists', () => {
    const store = new ObjectStore();
    seedStore(store, [
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }] },
      { apiVersion: 'v1', kind: 'ConfigMapList', items: [{ metadata: { name: 'cm', namespace: 'a' } }] },
    ]);
    expect(store.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'cm' })).toBeDefined();
  });

  it('bumps one global resourceVersion per write and rejects stale updates', () => {
    const store = seeded();
    const start = Number(store.resourceVersion);
    const created = store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: LAB_NS } });
    expect(meta(created).resourceVersion).toBe(String(start + 1));
    const updated = store.update({ ...created, data: { k: 'v' } });
    expect(meta(updated).resourceVersion).toBe(String(start + 2));
    expect(() => store.update({ ...created, data: { k: 'w' } })).toThrow(StatusError);
  });

  it('replays changes after a resourceVersion until compacted or beyond its history limit', () => {
    const store = seeded();
    const from = Number(store.resourceVersion);
    store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: LAB_NS } });
    expect(store.changesSince(from)?.map((c: Change) => c.type)).toEqual(['ADDED']);
    store.compact();
    expect(store.changesSince(from)).toBeUndefined();
    for (let i = 0; i < 60; i++)
      store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `n${i}`, namespace: LAB_NS } });
    expect(store.changesSince(from + 1)).toBeUndefined();
    expect(store.changesSince(store.oldestWatchableVersion)).toHaveLength(50);
  });

  it('deletes a CRD together with its custom resources, and a namespace with its contents', () => {
    const store = seeded();
    store.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'secretproviderclasses.secrets-store.csi.x-k8s.io',
    });
    expect(store.resolve('secrets-store.csi.x-k8s.io/v1', 'SecretProviderClass')).toBeUndefined();
    store.delete({ apiVersion: 'v1', kind: 'Namespace', name: LAB_NS });
    expect(store.list('v1', 'Pod', LAB_NS)).toEqual([]);
    expect(store.list('v1', 'Event')).toEqual([]);
  });

  it('refuses to seed a custom resource without its CRD, naming the object', () => {
    const spc = clusterObjects().find((o) => o.kind === 'SecretProviderClass') ?? {};
    expect(() => seedStore(new ObjectStore(), [spc])).toThrow(
      /cannot seed object #0 \(SecretProviderClass lab-student01\/azure-kv\): no resource serves kind SecretProviderClass/,
    );
  });
});
