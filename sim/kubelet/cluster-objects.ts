/**
 * Reads the simulated kubelet and driver make of the cluster, through the object store as their informer
 * caches would see it. A kind that is not served (its CRD deleted) reads as empty, as a cached client that
 * lost its informer answers "not found".
 */
import type { ObjectStore } from '../k8s/store.ts';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON here, read field by field.
export type Obj = Record<string, any>;

export const CSI_DRIVER_NAME = 'secrets-store.csi.k8s.io';
export const SPC_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';
export const SPC_CRD = 'secretproviderclasses.secrets-store.csi.x-k8s.io';
export const DRIVER_APP = 'secrets-store-csi-driver';
export const PROVIDER_APP = 'secrets-store-provider-azure';

export function getObject(
  store: ObjectStore,
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): Obj | undefined {
  try {
    return store.get({ apiVersion, kind, name, ...(namespace ? { namespace } : {}) });
  } catch {
    return undefined;
  }
}

export function listObjects(store: ObjectStore, apiVersion: string, kind: string, namespace?: string): Obj[] {
  try {
    return store.list(apiVersion, kind, namespace);
  } catch {
    return [];
  }
}

/**
 * The pod's inline CSI volumes, whatever their driver: kubelet looks each driver up (a misspelt driver name fails
 * the mount there), and only the Secrets Store driver's volumes go on to the driver and provider.
 */
export const csiVolumesOf = (pod: Obj): Obj[] => ((pod.spec?.volumes ?? []) as Obj[]).filter((v) => !!v.csi);

/** Whether every container of a pod reports ready. */
export const podReady = (pod: Obj | undefined): boolean =>
  !!pod &&
  ((pod.status?.containerStatuses ?? []) as Obj[]).length > 0 &&
  pod.status.containerStatuses.every((c: Obj) => c.ready === true);

/** The kube-system pod of an add-on DaemonSet (`app` label) on a node. */
export const addonPodOn = (store: ObjectStore, app: string, nodeName: string): Obj | undefined =>
  listObjects(store, 'v1', 'Pod', 'kube-system').find(
    (p) => p.metadata.labels?.app === app && p.spec?.nodeName === nodeName,
  );

/** Whether a Node is Ready and schedulable. */
export const nodeSchedulable = (node: Obj): boolean =>
  !node.spec?.unschedulable &&
  ((node.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');

/** Whether the node's kubelet lists the driver as registered (`csi.volume.kubernetes.io/nodeid`). */
export function nodeListsDriver(node: Obj | undefined, driver: string = CSI_DRIVER_NAME): boolean {
  try {
    return driver in JSON.parse(node?.metadata?.annotations?.['csi.volume.kubernetes.io/nodeid'] ?? '{}');
  } catch {
    return false;
  }
}
