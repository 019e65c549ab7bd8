/**
 * ClusterReader and ClassReader over the lean transport (src/adapters/k8s-lean-transport.ts): the same requests,
 * permissions and error translation as src/adapters/k8s-cluster-reader.ts and k8s-class-reader.ts over
 * @kubernetes/client-node — one REST call per port method, Secrets listed as PartialObjectMetadata only, a
 * TokenRequest for the replay — without loading client-node. test/perf/lean-k8s.test.ts compares both readers'
 * reports on every classroom namespace; the integration suites run against this reader with
 * KVLAB_TEST_K8S_CLIENT=lean.
 */
import type {
  CoreV1Event,
  V1CSIDriver,
  V1CustomResourceDefinition,
  V1Namespace,
  V1Pod,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { ClassReader } from '../../diagnostics/ports/class-reader.ts';
import type {
  ClusterReader,
  SecretProviderClass,
  SecretProviderClassPodStatus,
} from '../../diagnostics/ports/cluster-reader.ts';
import { orNull, orThrow } from './k8s-errors.ts';
import type { K8sTransport } from './k8s-lean-transport.ts';

const SPC_API = '/apis/secrets-store.csi.x-k8s.io/v1';
const DRIVER_POD_SELECTOR =
  'app in (secrets-store-csi-driver,secrets-store-provider-azure,csi-secrets-store,csi-secrets-store-provider-azure)';
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';
/** Same page size as the client-node ClassReader. */
const PAGE_SIZE = 500;

interface List<T> {
  items?: T[];
  metadata?: { continue?: string };
}

const enc = encodeURIComponent;

export function createLeanClusterReader(t: K8sTransport): ClusterReader {
  const get = <T>(path: string) => orNull(t.json<T>({ path }));
  const list = async <T>(path: string, query?: Record<string, string | number | undefined>, accept?: string) =>
    (await orThrow(t.json<List<T>>({ path, ...(query ? { query } : {}), ...(accept ? { accept } : {}) }))).items ?? [];
  const ns = (namespace: string) => `/api/v1/namespaces/${enc(namespace)}`;
  const spc = (namespace: string) => `${SPC_API}/namespaces/${enc(namespace)}`;
  return {
    getPod: (namespace, name) => get<V1Pod>(`${ns(namespace)}/pods/${enc(name)}`),
    async listPodNames(namespace) {
      const pods = await list<V1Pod>(`${ns(namespace)}/pods`, { limit: 200 });
      return pods.map((p) => p.metadata?.name ?? '').filter(Boolean);
    },
    namespaceExists: async (name) => (await get<V1Namespace>(`/api/v1/namespaces/${enc(name)}`)) !== null,
    listPodEvents: (namespace, pod) =>
      list<CoreV1Event>(`${ns(namespace)}/events`, { fieldSelector: `involvedObject.name=${pod}`, limit: 500 }),
    getCsiDriver: (name) => get<V1CSIDriver>(`/apis/storage.k8s.io/v1/csidrivers/${enc(name)}`),
    listCsiDriverPods: () => list<V1Pod>(`${ns('kube-system')}/pods`, { labelSelector: DRIVER_POD_SELECTOR }),
    getCustomResourceDefinition: (name) =>
      get<V1CustomResourceDefinition>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${enc(name)}`),
    getSecretProviderClass: (namespace, name) =>
      get<SecretProviderClass>(`${spc(namespace)}/secretproviderclasses/${enc(name)}`),
    listSecretProviderClasses: (namespace) =>
      list<SecretProviderClass>(
        namespace === undefined ? `${SPC_API}/secretproviderclasses` : `${spc(namespace)}/secretproviderclasses`,
      ),
    getServiceAccount: (namespace, name) => get<V1ServiceAccount>(`${ns(namespace)}/serviceaccounts/${enc(name)}`),
    listServiceAccounts: (namespace) => list<V1ServiceAccount>(`${ns(namespace)}/serviceaccounts`),
    getSecretProviderClassPodStatus: (namespace, name) =>
      get<SecretProviderClassPodStatus>(`${spc(namespace)}/secretproviderclasspodstatuses/${enc(name)}`),
    async listSecretNames(namespace) {
      const secrets = await list<{ metadata?: { name?: string } }>(
        `${ns(namespace)}/secrets`,
        undefined,
        METADATA_ONLY,
      );
      return secrets.map((s) => s.metadata?.name ?? '').filter(Boolean);
    },
    async requestServiceAccountToken(namespace, serviceAccount, audience, expirationSeconds) {
      const created = await orNull(
        t.json<{ status?: { token?: string; expirationTimestamp?: string } }>({
          method: 'POST',
          path: `${ns(namespace)}/serviceaccounts/${enc(serviceAccount)}/token`,
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: { audiences: [audience], expirationSeconds },
          },
        }),
      );
      if (!created?.status?.token) return null;
      const exp = created.status.expirationTimestamp;
      return { token: created.status.token, ...(exp ? { expirationTimestamp: String(exp) } : {}) };
    },
  };
}

export function createLeanClassReader(t: K8sTransport): ClassReader {
  const all = async <T>(path: string, query: Record<string, string> = {}): Promise<T[]> => {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const page = await orThrow(t.json<List<T>>({ path, query: { ...query, limit: PAGE_SIZE, continue: token } }));
      items.push(...(page.items ?? []));
      token = page.metadata?.continue || undefined;
    } while (token);
    return items;
  };
  return {
    listNamespaces: (labelSelector) => all<V1Namespace>('/api/v1/namespaces', labelSelector ? { labelSelector } : {}),
    listAllPods: () => all<V1Pod>('/api/v1/pods'),
    listAllWarningEvents: () => all<CoreV1Event>('/api/v1/events', { fieldSelector: 'type=Warning' }),
    listAllServiceAccounts: () => all<V1ServiceAccount>('/api/v1/serviceaccounts'),
    listAllSecretProviderClasses: () => all<SecretProviderClass>(`${SPC_API}/secretproviderclasses`),
    listAllSecretProviderClassPodStatuses: () =>
      all<SecretProviderClassPodStatus>(`${SPC_API}/secretproviderclasspodstatuses`),
  };
}
