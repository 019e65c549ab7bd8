/**
 * ClassReader over @kubernetes/client-node: cluster-wide, paginated list calls for class status — one call per
 * kind plus pages, whatever the number of students. Read-only; Secrets are never listed (deploy/base/rbac.yaml).
 */
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { ClassReader } from '../../diagnostics/ports/class-reader.ts';
import type { SecretProviderClass, SecretProviderClassPodStatus } from '../../diagnostics/ports/cluster-reader.ts';
import { orThrow } from './k8s-errors.ts';

const GROUP = 'secrets-store.csi.x-k8s.io';
const VERSION = 'v1';
/** Items per page: large enough that a 200-student class fits in a page or two, small enough to bound memory. */
export const PAGE_SIZE = 500;

interface Page<T> {
  items?: T[];
  metadata?: { _continue?: string; continue?: string };
}

/** Follows `continue` tokens until the list is complete. */
export async function listAllPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await orThrow(fetchPage(token));
    items.push(...(page.items ?? []));
    token = page.metadata?._continue || page.metadata?.continue || undefined;
  } while (token);
  return items;
}

export function createK8sClassReader(kc: KubeConfig): ClassReader {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const customList = <T>(plural: string) =>
    listAllPages<T>(
      (token) =>
        custom.listClusterCustomObject({
          group: GROUP,
          version: VERSION,
          plural,
          limit: PAGE_SIZE,
          ...(token ? { _continue: token } : {}),
        }) as Promise<Page<T>>,
    );
  const paging = (token: string | undefined) => ({ limit: PAGE_SIZE, ...(token ? { _continue: token } : {}) });
  return {
    listNamespaces: (labelSelector) =>
      listAllPages((token) => core.listNamespace({ ...paging(token), ...(labelSelector ? { labelSelector } : {}) })),
    listAllPods: () => listAllPages((token) => core.listPodForAllNamespaces(paging(token))),
    listAllWarningEvents: () =>
      listAllPages((token) => core.listEventForAllNamespaces({ ...paging(token), fieldSelector: 'type=Warning' })),
    listAllServiceAccounts: () => listAllPages((token) => core.listServiceAccountForAllNamespaces(paging(token))),
    listAllSecretProviderClasses: () => customList<SecretProviderClass>('secretproviderclasses'),
    listAllSecretProviderClassPodStatuses: () =>
      customList<SecretProviderClassPodStatus>('secretproviderclasspodstatuses'),
  };
}
