/**
 * What the engine reads from Kubernetes. Implemented by src/adapters/k8s-cluster-reader.ts over
 * @kubernetes/client-node. Every method resolves `null` for "does not exist" and throws ForbiddenError,
 * NotServedError, DependencyError or DeadlineError (diagnostics/errors.ts) otherwise — never a vendor error.
 * Permissions needed are listed per method; none reads Secret data.
 */
import type {
  CoreV1Event,
  V1CSIDriver,
  V1CustomResourceDefinition,
  V1Pod,
  V1ServiceAccount,
} from '@kubernetes/client-node';

export interface SecretObjectSpec {
  secretName?: string;
  type?: string;
  data?: Array<{ objectName?: string; key?: string }>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** secrets-store.csi.x-k8s.io/v1 SecretProviderClass, as stored. */
export interface SecretProviderClass {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; creationTimestamp?: string | Date };
  spec?: { provider?: unknown; parameters?: Record<string, unknown>; secretObjects?: SecretObjectSpec[] };
}

/** secrets-store.csi.x-k8s.io/v1 SecretProviderClassPodStatus: written by the driver after a successful mount. */
export interface SecretProviderClassPodStatus {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    /** The driver sets one `{kind: Pod, name, uid}` owner: the pod whose mount this records. */
    ownerReferences?: Array<{ kind?: string; name?: string; uid?: string }>;
  };
  status?: {
    podName?: string;
    secretProviderClassName?: string;
    mounted?: boolean;
    targetPath?: string;
    objects?: Array<{ id?: string; version?: string }>;
  };
}

export interface ServiceAccountToken {
  token: string;
  expirationTimestamp?: string;
}

export interface ClusterReader {
  /** get pods */
  getPod(namespace: string, name: string): Promise<V1Pod | null>;
  /** list pods — used only when the asked-for pod does not exist, to show what does. */
  listPodNames(namespace: string): Promise<string[]>;
  /**
   * get namespaces (cluster-scoped) — used only when the asked-for pod does not exist and no pod is listed, to tell
   * "no such namespace" from "an empty namespace". Resolves whether it exists.
   */
  namespaceExists(name: string): Promise<boolean>;
  /** list events, by field selector on the pod's name. */
  listPodEvents(namespace: string, pod: string): Promise<CoreV1Event[]>;
  /** get csidrivers (cluster-scoped) */
  getCsiDriver(name: string): Promise<V1CSIDriver | null>;
  /** list pods in kube-system by the add-on's and the upstream charts' labels */
  listCsiDriverPods(): Promise<V1Pod[]>;
  /** get customresourcedefinitions */
  getCustomResourceDefinition(name: string): Promise<V1CustomResourceDefinition | null>;
  /** get secretproviderclasses; NotServedError when the API group is not served */
  getSecretProviderClass(namespace: string, name: string): Promise<SecretProviderClass | null>;
  /** list secretproviderclasses in one namespace, or in all when `namespace` is undefined */
  listSecretProviderClasses(namespace?: string): Promise<SecretProviderClass[]>;
  /** get serviceaccounts */
  getServiceAccount(namespace: string, name: string): Promise<V1ServiceAccount | null>;
  /**
   * list serviceaccounts — read only when the pod's identity failed, so a fix can name the ServiceAccounts that
   * are linked to the SPC's clientID. Optional: readers without it give no candidates.
   */
  listServiceAccounts?(namespace: string): Promise<V1ServiceAccount[]>;
  /** get secretproviderclasspodstatuses; NotServedError when not served */
  getSecretProviderClassPodStatus(namespace: string, name: string): Promise<SecretProviderClassPodStatus | null>;
  /** list secrets as PartialObjectMetadata: names only, never data */
  listSecretNames(namespace: string): Promise<string[]>;
  /** create serviceaccounts/token (TokenRequest) — the token the kubelet would hand the driver */
  requestServiceAccountToken(
    namespace: string,
    serviceAccount: string,
    audience: string,
    expirationSeconds: number,
  ): Promise<ServiceAccountToken | null>;
}
