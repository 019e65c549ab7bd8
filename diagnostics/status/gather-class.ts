/**
 * Reads everything class status judges in one round of cluster-wide list calls — nine requests plus pagination
 * pages, whatever the number of students: namespaces, pods, Warning events, ServiceAccounts, SecretProviderClasses,
 * mount statuses, and the cluster prerequisites (CSIDriver, driver pods, CRD) shared with diagnoses through the
 * single-flight cache. Every read becomes a Read (value or Gap); nothing here throws.
 */
import type {
  CoreV1Event,
  V1CSIDriver,
  V1CustomResourceDefinition,
  V1Namespace,
  V1Pod,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { CSI_DRIVER_NAME, type GatherOptions, SPC_CRD_NAME } from '../gather/gather-evidence.ts';
import { read } from '../gather/read.ts';
import type { ClassReader } from '../ports/class-reader.ts';
import type { ClusterReader, SecretProviderClass, SecretProviderClassPodStatus } from '../ports/cluster-reader.ts';
import type { Read } from '../types.ts';
import type { ClassSpec } from './types.ts';

export interface ClassSnapshot {
  namespaces: Read<V1Namespace[]>;
  pods: Read<V1Pod[]>;
  events: Read<CoreV1Event[]>;
  serviceAccounts: Read<V1ServiceAccount[]>;
  spcs: Read<SecretProviderClass[]>;
  podStatuses: Read<SecretProviderClassPodStatus[]>;
  csiDriver: Read<V1CSIDriver | null>;
  driverPods: Read<V1Pod[]>;
  spcCrd: Read<V1CustomResourceDefinition | null>;
}

export interface StatusPorts {
  cluster: ClusterReader;
  classes: ClassReader;
}

/** Deadline of each cluster-wide list, pages included: longer than a single read, as a list may be paged. */
export const LIST_TIMEOUT_FACTOR = 3;

export async function gatherClass(
  spec: ClassSpec,
  ports: StatusPorts,
  options: Pick<GatherOptions, 'readTimeoutMs' | 'cache'>,
): Promise<ClassSnapshot> {
  const { cluster, classes } = ports;
  const t = options.readTimeoutMs;
  const list = options.readTimeoutMs * LIST_TIMEOUT_FACTOR;
  const shared = <T>(key: string, load: () => Promise<T>) => options.cache.get(key, load);
  const [namespaces, pods, events, serviceAccounts, spcs, podStatuses, csiDriver, driverPods, spcCrd] =
    await Promise.all([
      read('the namespaces', () => classes.listNamespaces(spec.namespaceSelector), list),
      read('the pods in all namespaces', () => classes.listAllPods(), list),
      read('the Warning events in all namespaces', () => classes.listAllWarningEvents(), list),
      read('the ServiceAccounts in all namespaces', () => classes.listAllServiceAccounts(), list),
      read('the SecretProviderClasses in all namespaces', () => classes.listAllSecretProviderClasses(), list),
      read('the SecretProviderClassPodStatuses', () => classes.listAllSecretProviderClassPodStatuses(), list),
      read('the CSIDriver object', () => shared('csidriver', () => cluster.getCsiDriver(CSI_DRIVER_NAME)), t),
      read('the CSI driver pods in kube-system', () => shared('driver-pods', () => cluster.listCsiDriverPods()), t),
      read(
        'the SecretProviderClass CRD',
        () => shared('spc-crd', () => cluster.getCustomResourceDefinition(SPC_CRD_NAME)),
        t,
      ),
    ]);
  return { namespaces, pods, events, serviceAccounts, spcs, podStatuses, csiDriver, driverPods, spcCrd };
}

/** The class's namespaces in roster order: the students' first, then listed or selected ones no student has. */
export function classNamespaces(spec: ClassSpec, snapshot: ClassSnapshot): string[] {
  const ordered = spec.students.map((s) => s.namespace);
  const extra = spec.namespaceSelector
    ? snapshot.namespaces.ok
      ? snapshot.namespaces.value.map((n) => n.metadata?.name ?? '').filter(Boolean)
      : []
    : (spec.namespaces ?? []);
  return [...new Set([...ordered, ...extra])];
}
