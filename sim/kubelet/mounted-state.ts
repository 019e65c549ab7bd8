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
import { certPart } from './secret-data.ts';

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
  const files = new Map(objects.map((o) => [o.file, o.content]));
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
  const targetPath = String(spcps.status?.targetPath ?? '');
  for (const so of (spc.spec?.secretObjects ?? []) as Obj[]) {
    // ValidateSecretObject: an entry without secretName, type or data is only logged; no Secret, no event.
    if (!so.secretName || !so.type || !((so.data ?? []) as Obj[]).length) continue;
    const secretName = String(so.secretName).trim();
    const type = String(so.type).trim() || 'Opaque';
    const built = secretData((so.data ?? []) as Obj[], type, files, targetPath);
    if (typeof built === 'string') {
      failures.push(`failed to get data in spc ${ns}/${spc.metadata.name} for secret ${secretName}, err: ${built}`);
      continue;
    }
    const data = Object.fromEntries(Object.entries(built).map(([k, v]) => [k, v.toString('base64')]));
    const existing = getObject(store, 'v1', 'Secret', secretName, ns);
    if (!existing && rejectedByApiServer(type, built, so.annotations ?? {})) {
      // The controller's five create attempts all fail; wait.ExponentialBackoff's error is the event.
      failures.push('timed out waiting for the condition');
      continue;
    }
    const labels = { ...(so.labels ?? {}), 'secrets-store.csi.k8s.io/managed': 'true' };
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
        type,
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

/**
 * secretutil.GetSecretData: each `data` entry's file, by objectName; for kubernetes.io/tls the key or certificate
 * part of it (secret-data.ts). The first problem is the error the controller reports.
 */
function secretData(
  entries: Obj[],
  type: string,
  files: Map<string, Buffer>,
  targetPath: string,
): Record<string, Buffer> | string {
  const out: Record<string, Buffer> = {};
  for (const entry of entries) {
    const objectName = String(entry.objectName ?? '').trim();
    const key = String(entry.key ?? '').trim();
    if (!objectName) return 'object name in secretObjects.data';
    if (!key) return 'key in secretObjects.data is empty';
    const content = files.get(objectName);
    if (content === undefined) return `file matching objectName ${objectName} not found in the pod`;
    out[key] = content;
    if (type === 'kubernetes.io/tls') {
      const part = certPart(content, key);
      if (typeof part === 'string')
        return `failed to get cert data from file ${targetPath}/${objectName}, err: ${part}`;
      out[key] = part;
    }
  }
  return out;
}

/**
 * What the API server's Secret validation requires of a typed Secret the controller creates (its keys; for a
 * service-account token the `kubernetes.io/service-account.name` annotation, from the secretObject's annotations).
 */
function rejectedByApiServer(type: string, data: Record<string, Buffer>, annotations: Obj): boolean {
  const has = (key: string) => key in data;
  switch (type) {
    case 'kubernetes.io/tls':
      return !has('tls.key') || !has('tls.crt');
    case 'kubernetes.io/basic-auth':
      return !has('username') && !has('password');
    case 'kubernetes.io/ssh-auth':
      return !has('ssh-privatekey');
    case 'kubernetes.io/dockercfg':
      return !validJson(data['.dockercfg']);
    case 'kubernetes.io/dockerconfigjson':
      return !validJson(data['.dockerconfigjson']);
    case 'kubernetes.io/service-account-token':
      return !annotations['kubernetes.io/service-account.name'];
    default:
      return false;
  }
}

function validJson(bytes: Buffer | undefined): boolean {
  if (!bytes) return false;
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
