/**
 * What class status reads from Kubernetes: a snapshot of every namespace at once, through a constant number of
 * cluster-wide list calls whatever the class size (pagination inside). Implemented by
 * src/adapters/k8s-class-reader.ts. Like ClusterReader, methods throw ForbiddenError, NotServedError,
 * DependencyError or DeadlineError (diagnostics/errors.ts), never a vendor error. None reads Secrets.
 * Permissions: list namespaces, pods, events, serviceaccounts, secretproviderclasses and
 * secretproviderclasspodstatuses in all namespaces (a ClusterRole, read-only).
 */
import type { CoreV1Event, V1Namespace, V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import type { SecretProviderClass, SecretProviderClassPodStatus } from './cluster-reader.ts';

export interface ClassReader {
  /** list namespaces, all or those matching a label selector */
  listNamespaces(labelSelector?: string): Promise<V1Namespace[]>;
  /** list pods in all namespaces */
  listAllPods(): Promise<V1Pod[]>;
  /** list events in all namespaces with field selector `type=Warning` */
  listAllWarningEvents(): Promise<CoreV1Event[]>;
  /** list serviceaccounts in all namespaces */
  listAllServiceAccounts(): Promise<V1ServiceAccount[]>;
  /** list secretproviderclasses in all namespaces; NotServedError when the API group is not served */
  listAllSecretProviderClasses(): Promise<SecretProviderClass[]>;
  /** list secretproviderclasspodstatuses in all namespaces; NotServedError when not served */
  listAllSecretProviderClassPodStatuses(): Promise<SecretProviderClassPodStatus[]>;
}
