/**
 * ClusterReader over @kubernetes/client-node: the only place kvlab talks to the Kubernetes API for a diagnosis.
 * Least privilege (deploy/base/rbac.yaml): get/list on the objects below, `list secrets` as metadata only when opted in (deploy/components/secrets-metadata; the
 * request asks for PartialObjectMetadataList, so Secret data never reaches kvlab), and `create
 * serviceaccounts/token` in lab namespaces for the Key Vault replay.
 */
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  Observable,
  type RequestContext,
  type ResponseContext,
  StorageV1Api,
} from '@kubernetes/client-node';
import type {
  ClusterReader,
  SecretProviderClass,
  SecretProviderClassPodStatus,
} from '../../diagnostics/ports/cluster-reader.ts';
import { orNull, orThrow } from './k8s-errors.ts';

const GROUP = 'secrets-store.csi.x-k8s.io';
const VERSION = 'v1';
const DRIVER_POD_SELECTOR =
  'app in (secrets-store-csi-driver,secrets-store-provider-azure,csi-secrets-store,csi-secrets-store-provider-azure)';

/**
 * Per-call option asking the API server for metadata only (docs/wire-notes.md §6.10). The object-parameter API takes
 * client-node's Observable-style middleware.
 */
const METADATA_ONLY = {
  middleware: [
    {
      pre: (ctx: RequestContext) => {
        ctx.setHeaderParam(
          'Accept',
          'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json',
        );
        return new Observable(Promise.resolve(ctx));
      },
      post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
    },
  ],
  middlewareMergeStrategy: 'append' as const,
};

export function createK8sClusterReader(kc: KubeConfig): ClusterReader {
  const core = kc.makeApiClient(CoreV1Api);
  const storage = kc.makeApiClient(StorageV1Api);
  const crds = kc.makeApiClient(ApiextensionsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const spcPath = (namespace: string, plural: string) => ({ group: GROUP, version: VERSION, namespace, plural });

  return {
    getPod: (namespace, name) => orNull(core.readNamespacedPod({ namespace, name })),
    async listPodNames(namespace) {
      const list = await orThrow(core.listNamespacedPod({ namespace, limit: 200 }));
      return list.items.map((p) => p.metadata?.name ?? '').filter(Boolean);
    },
    namespaceExists: async (name) => (await orNull(core.readNamespace({ name }))) !== null,
    async listPodEvents(namespace, pod) {
      const list = await orThrow(
        core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod}`, limit: 500 }),
      );
      return list.items;
    },
    getCsiDriver: (name) => orNull(storage.readCSIDriver({ name })),
    async listCsiDriverPods() {
      const list = await orThrow(
        core.listNamespacedPod({ namespace: 'kube-system', labelSelector: DRIVER_POD_SELECTOR }),
      );
      return list.items;
    },
    getCustomResourceDefinition: (name) => orNull(crds.readCustomResourceDefinition({ name })),
    getSecretProviderClass: (namespace, name) =>
      orNull(
        custom.getNamespacedCustomObject({ ...spcPath(namespace, 'secretproviderclasses'), name }),
      ) as Promise<SecretProviderClass | null>,
    async listSecretProviderClasses(namespace) {
      const list = (await orThrow(
        namespace === undefined
          ? custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'secretproviderclasses' })
          : custom.listNamespacedCustomObject(spcPath(namespace, 'secretproviderclasses')),
      )) as { items?: SecretProviderClass[] };
      return list.items ?? [];
    },
    getServiceAccount: (namespace, name) => orNull(core.readNamespacedServiceAccount({ namespace, name })),
    async listServiceAccounts(namespace) {
      return (await orThrow(core.listNamespacedServiceAccount({ namespace }))).items;
    },
    getSecretProviderClassPodStatus: (namespace, name) =>
      orNull(
        custom.getNamespacedCustomObject({ ...spcPath(namespace, 'secretproviderclasspodstatuses'), name }),
      ) as Promise<SecretProviderClassPodStatus | null>,
    async listSecretNames(namespace) {
      const list = await orThrow(core.listNamespacedSecret({ namespace }, METADATA_ONLY));
      return list.items.map((s) => s.metadata?.name ?? '').filter(Boolean);
    },
    async requestServiceAccountToken(namespace, serviceAccount, audience, expirationSeconds) {
      const created = await orNull(
        core.createNamespacedServiceAccountToken({
          namespace,
          name: serviceAccount,
          body: { spec: { audiences: [audience], expirationSeconds } },
        }),
      );
      if (!created?.status?.token) return null;
      const exp = created.status.expirationTimestamp as unknown;
      return {
        token: created.status.token,
        ...(exp ? { expirationTimestamp: exp instanceof Date ? exp.toISOString() : String(exp) } : {}),
      };
    },
  };
}
