/**
 * What a successful mount leaves in the cluster: the driver's SecretProviderClassPodStatus
 * (`<pod>-<namespace>-<spc>`, node label, owner = the pod, status with the object versions sorted by id), and,
 * when the SPC has `secretObjects`, the Kubernetes Secrets the sync controller creates from the mounted
 * files (label `secrets-store.csi.k8s.io/managed: "true"`, owners = the pod's own owners, else the SPCPS).
 * The real controller creates the Secret without owners and a 5 s patcher adds them; here both happen at once.
 */
import type { ObjectStore } from '../k8s/store.ts';
import { getObject, type Obj } from './cluster-objects.ts';
import type { FetchedObject } from './provider-fetch.ts';

export const SPCPS_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';

export function spcpsName(podName: string, namespace: string, spcName: string): string {
  return `${podName}-${namespace}-${spcName}`;
}

export function buildSpcps(pod: Obj, spcName: string, volumeName: string, objects: FetchedObject[]): Obj {
  const { name, namespace, uid } = pod.metadata;
  return {
    apiVersion: SPCPS_API_VERSION,
    kind: 'SecretProviderClassPodStatus',
    metadata: {
      name: spcpsName(name, namespace, spcName),
      namespace,
      labels: { 'internal.secrets-store.csi.k8s.io/node-name': pod.spec.nodeName },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid }],
    },
    status: {
      mounted: true,
      objects: objects
        .map((o) => ({ id: o.id, version: o.version }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      podName: name,
      secretProviderClassName: spcName,
      targetPath: `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~csi/${volumeName}/mount`,
    },
  };
}

/** Create, or on AlreadyExists (a previous pod of the same name) update label, status and owners. */
export function writeSpcps(store: ObjectStore, spcps: Obj): Obj {
  const existing = getObject(
    store,
    SPCPS_API_VERSION,
    'SecretProviderClassPodStatus',
    spcps.metadata.name,
    spcps.metadata.namespace,
  );
  if (!existing) return store.create(spcps);
  return store.update({
    ...existing,
    metadata: { ...existing.metadata, labels: spcps.metadata.labels, ownerReferences: spcps.metadata.ownerReferences },
    status: spcps.status,
  });
}

/** The sync controller's pass over one SPCPS; returns the `FailedToCreateSecret` messages it would emit. */
export function syncSecrets(store: ObjectStore, pod: Obj, spc: Obj, spcps: Obj, objects: FetchedObject[]): string[] {
  const ns = String(pod.metadata.namespace);
  const failures: string[] = [];
  const files = new Map(objects.map((o) => [o.file, o.value]));
  const podOwners = ((pod.metadata.ownerReferences ?? []) as Obj[]).map(({ apiVersion, kind, name, uid }) => ({
    apiVersion,
    kind,
    name,
    uid,
  }));
  const owners = podOwners.length
    ? podOwners
    : [
        {
          apiVersion: SPCPS_API_VERSION,
          kind: 'SecretProviderClassPodStatus',
          name: spcps.metadata.name,
          uid: spcps.metadata.uid,
        },
      ];
  for (const so of (spc.spec?.secretObjects ?? []) as Obj[]) {
    const secretName = String(so.secretName ?? '');
    const data: Record<string, string> = {};
    const missing = ((so.data ?? []) as Obj[]).find((d) => !files.has(String(d.objectName)));
    if (missing) {
      failures.push(
        `failed to get data in spc ${ns}/${spc.metadata.name} for secret ${secretName}, err: file matching objectName ${missing.objectName} not found in the pod`,
      );
      continue;
    }
    for (const d of (so.data ?? []) as Obj[])
      data[String(d.key)] = Buffer.from(files.get(String(d.objectName)) ?? '').toString('base64');
    const labels = { ...(so.labels ?? {}), 'secrets-store.csi.k8s.io/managed': 'true' };
    const existing = getObject(store, 'v1', 'Secret', secretName, ns);
    if (!existing) {
      store.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: secretName,
          namespace: ns,
          labels,
          ...(so.annotations ? { annotations: so.annotations } : {}),
          ownerReferences: owners,
        },
        type: so.type ?? 'Opaque',
        data,
      });
      continue;
    }
    const kept = ((existing.metadata.ownerReferences ?? []) as Obj[]).filter(
      (r) => !owners.some((o) => o.name === r.name),
    );
    store.update({
      ...existing,
      metadata: {
        ...existing.metadata,
        resourceVersion: undefined,
        labels,
        ...(so.annotations ? { annotations: so.annotations } : {}),
        ownerReferences: [...kept, ...owners],
      },
      data,
    });
  }
  return failures;
}
