/**
 * The classroom panel's "break" and "fix" actions: scenario changes a visitor applies to the simulated cluster and
 * Azure, each with its inverse, the way a student or an instructor would make them (an SPC edited with kubectl, an
 * access policy removed in the portal, the CRD deleted). They go through the Kubernetes store and `mutateAzure`,
 * so the simulated kubelet reacts: a mounted pod stays mounted (rotation is off), so a break also re-creates the
 * pods it affects (`kubectl delete pod` + `kubectl apply`), and the mount fails afresh.
 */
import { type AzureState, mutateAzure } from '../azure/state.ts';
import type { ObjectStore } from '../k8s/store.ts';
import type { Obj } from '../kubelet/cluster-objects.ts';
import { recreatePod } from '../kubelet/timeline.ts';

export const SPC_API = 'secrets-store.csi.x-k8s.io/v1';
const CRD_REF = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  name: 'secretproviderclasses.secrets-store.csi.x-k8s.io',
};
const CSI_DRIVER = 'secrets-store.csi.k8s.io';

/** A change the panel offers; `student` ones act on one namespace, `cluster` ones on the whole class. */
export interface ChangeKind {
  id: 'object-name' | 'access-policy' | 'crd';
  scope: 'student' | 'cluster';
  breakLabel: string;
  fixLabel: string;
  /** What a correct diagnosis then says. */
  expect: string;
}

export const CHANGE_KINDS: readonly ChangeKind[] = [
  {
    id: 'object-name',
    scope: 'student',
    breakLabel: 'Typo the object name',
    fixLabel: 'Fix the object name',
    expect: 'SECRET_NOT_FOUND',
  },
  {
    id: 'access-policy',
    scope: 'student',
    breakLabel: 'Remove the access policy',
    fixLabel: 'Restore the access policy',
    expect: 'ACCESS_DENIED',
  },
  {
    id: 'crd',
    scope: 'cluster',
    breakLabel: 'Delete the SecretProviderClass CRD',
    fixLabel: 'Restore the CRD',
    expect: 'CRD_MISSING',
  },
];

export interface ClassroomDeps {
  store: ObjectStore;
  azure: AzureState;
}

/** Applies and undoes changes; remembers each applied change's inverse by key. */
export function createClassroomChanges(deps: ClassroomDeps) {
  const undo = new Map<string, { kind: ChangeKind['id']; namespace?: string; revert: () => void }>();

  const keyOf = (kind: ChangeKind['id'], namespace?: string): string | undefined => {
    if (kind === 'crd') return 'crd';
    if (!namespace) return undefined;
    if (kind === 'object-name') return `object-name:${namespace}`;
    const access = accessOf(deps, namespace);
    return access ? `access-policy:${access.vault.name}:${access.objectId}` : undefined;
  };

  return {
    /** Whether `kind` is applied (for `namespace`, or one that shares its vault and identity). */
    active: (kind: ChangeKind['id'], namespace?: string): boolean => {
      const key = keyOf(kind, namespace);
      return key !== undefined && undo.has(key);
    },
    /** Why `kind` cannot be applied to `namespace` now, or undefined when it can. */
    unavailable(kind: ChangeKind['id'], namespace?: string): string | undefined {
      if (kind === 'crd') return undefined;
      if (!namespace) return 'needs a namespace';
      const spc = spcOf(deps.store, namespace);
      if (!spc) return 'the pod names no SecretProviderClass that exists';
      if (kind === 'object-name' && !/objectName:\s*\S+/.test(String(spc.spec?.parameters?.objects ?? '')))
        return 'the SPC lists no objectName';
      if (kind === 'access-policy' && !accessOf(deps, namespace)?.grants.length)
        return 'the identity has no access to remove';
      return undefined;
    },
    /** Breaks: applies `kind` (to `namespace`), re-creating the pods whose mount must be attempted again. */
    break(kind: ChangeKind['id'], namespace?: string): void {
      const key = keyOf(kind, namespace);
      if (!key) throw new Error(`cannot apply ${kind} to ${namespace ?? 'the cluster'}`);
      if (undo.has(key)) return;
      const why = this.unavailable(kind, namespace);
      if (why) throw new Error(`${kind} in ${namespace}: ${why}`);
      const revert =
        kind === 'crd'
          ? deleteCrd(deps)
          : kind === 'object-name'
            ? typoObjectName(deps, namespace as string)
            : removeAccess(deps, namespace as string);
      undo.set(key, { kind, ...(namespace ? { namespace } : {}), revert });
    },
    /** Fixes: applies the inverse of what `break` did; the kubelet retries the failing mounts at once. */
    fix(kind: ChangeKind['id'], namespace?: string): void {
      const key = keyOf(kind, namespace);
      const entry = key ? undo.get(key) : undefined;
      if (!key || !entry) throw new Error(`${kind} is not applied to ${namespace ?? 'the cluster'}`);
      entry.revert();
      undo.delete(key);
    },
  };
}

export type ClassroomChanges = ReturnType<typeof createClassroomChanges>;

/** The lab pod of a namespace (`pod-keyvault`, else its first pod with a CSI volume). */
export function labPod(store: ObjectStore, namespace: string): Obj | undefined {
  const pods = store.list('v1', 'Pod', namespace) as Obj[];
  return pods.find((p) => p.metadata?.name === 'pod-keyvault') ?? pods.find((p) => csiVolumeOf(p) !== undefined);
}

function csiVolumeOf(pod: Obj): Obj | undefined {
  return ((pod.spec?.volumes ?? []) as Obj[]).find((v) => v.csi?.driver === CSI_DRIVER);
}

function spcOf(store: ObjectStore, namespace: string): Obj | undefined {
  const pod = labPod(store, namespace);
  const name = pod ? csiVolumeOf(pod)?.csi?.volumeAttributes?.secretProviderClass : undefined;
  if (!name || !store.resolve(SPC_API, 'SecretProviderClass')) return undefined;
  return store.get({ apiVersion: SPC_API, kind: 'SecretProviderClass', namespace, name }) as Obj | undefined;
}

/** Re-creates the lab pod when it is running (mounted pods do not mount again by themselves). */
function restartIfRunning(deps: ClassroomDeps, namespace: string): void {
  const pod = labPod(deps.store, namespace);
  if (pod?.status?.phase === 'Running') recreatePod(namespace, pod.metadata.name)({ ...deps });
}

/** `objectName: db-password` → `db-passwrod` (the last two letters swapped), as a student mistypes it. */
function typoObjectName(deps: ClassroomDeps, namespace: string): () => void {
  const spc = spcOf(deps.store, namespace) as Obj;
  const original = String(spc.spec.parameters.objects);
  spc.spec.parameters.objects = original.replace(
    /(objectName:\s*)(\S+)/,
    (_m, lead: string, name: string) =>
      `${lead}${name.length > 2 ? `${name.slice(0, -2)}${name.at(-1)}${name.at(-2)}` : `${name}x`}`,
  );
  deps.store.update(spc);
  restartIfRunning(deps, namespace);
  return () => {
    const now = spcOf(deps.store, namespace);
    if (!now) return;
    now.spec.parameters.objects = original;
    deps.store.update(now);
  };
}

/** The vault the SPC names and the grants its identity holds there (access policies or role assignments). */
function accessOf(deps: ClassroomDeps, namespace: string) {
  const params = spcOf(deps.store, namespace)?.spec?.parameters ?? {};
  const vault = deps.azure.vaults.find((v) => v.name === params.keyvaultName);
  const identity = deps.azure.tenants.flatMap((t) => t.identities).find((i) => i.clientId === params.clientID);
  if (!vault || !identity) return undefined;
  const grants =
    vault.accessModel === 'rbac'
      ? (vault.roleAssignments ?? []).filter((r) => r.principalId === identity.objectId)
      : (vault.accessPolicies ?? []).filter((p) => p.objectId === identity.objectId);
  return { vault, objectId: identity.objectId, grants };
}

/** Removes the identity's access policy (or role assignments) on the vault, as an instructor would in the portal. */
function removeAccess(deps: ClassroomDeps, namespace: string): () => void {
  const { vault, objectId } = accessOf(deps, namespace) as NonNullable<ReturnType<typeof accessOf>>;
  const policies = vault.accessPolicies ?? [];
  const roles = vault.roleAssignments ?? [];
  mutateAzure(
    deps.azure,
    () => {
      if (vault.accessPolicies) vault.accessPolicies = policies.filter((p) => p.objectId !== objectId);
      if (vault.roleAssignments) vault.roleAssignments = roles.filter((r) => r.principalId !== objectId);
    },
    `console: remove access of ${objectId} on ${vault.name}`,
  );
  restartIfRunning(deps, namespace);
  return () =>
    mutateAzure(
      deps.azure,
      () => {
        if (vault.accessPolicies) vault.accessPolicies = policies;
        if (vault.roleAssignments) vault.roleAssignments = roles;
      },
      `console: restore access of ${objectId} on ${vault.name}`,
    );
}

/**
 * `kubectl delete crd secretproviderclasses…`: the API server takes every SPC with it; the running lab pods are
 * re-created so the class sees it. The inverse re-applies the CRD and the SPCs as they were.
 */
function deleteCrd(deps: ClassroomDeps): () => void {
  const { store } = deps;
  const crd = store.get(CRD_REF) as Obj | undefined;
  if (!crd) throw new Error('the SecretProviderClass CRD is already gone');
  const spcs = store.list(SPC_API, 'SecretProviderClass') as Obj[];
  const running = (store.list('v1', 'Pod') as Obj[])
    .filter((p) => p.status?.phase === 'Running' && csiVolumeOf(p))
    .map((p) => ({ namespace: String(p.metadata.namespace), name: String(p.metadata.name) }));
  store.delete(CRD_REF);
  for (const pod of running) recreatePod(pod.namespace, pod.name)({ ...deps });
  return () => {
    if (!store.get(CRD_REF)) store.create(fresh(crd));
    for (const spc of spcs) {
      const ref = {
        apiVersion: SPC_API,
        kind: 'SecretProviderClass',
        namespace: spc.metadata.namespace,
        name: spc.metadata.name,
      };
      if (!store.get(ref)) store.create(fresh(spc));
    }
  };
}

/** The object as `kubectl apply` would send it again: no server-set metadata, no status. */
function fresh(obj: Obj): Obj {
  const {
    uid: _u,
    resourceVersion: _r,
    creationTimestamp: _c,
    generation: _g,
    managedFields: _m,
    ...metadata
  } = obj.metadata ?? {};
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata };
}
