/**
 * Delete propagation through ownerReferences, as kube-apiserver and kube-controller-manager's garbage
 * collector do it, run synchronously inside the deleting write:
 * - Background (the default): the owner is deleted first (its DELETED event comes first), then every
 *   dependent without another solid owner is deleted (Background again), transitively; a dependent that
 *   still has a live owner only loses the references to the absent one.
 * - Foreground: the owner is marked (deletionTimestamp + finalizer `foregroundDeletion`, MODIFIED), its
 *   dependents are deleted (Foreground for those that have dependents of their own), the finalizer is
 *   removed (MODIFIED) and the owner deleted. The wait is zero-length because the collector runs in-line.
 * - Orphan: the owner is marked with finalizer `orphan`, the references to it are removed from its
 *   dependents (MODIFIED), the finalizer is removed and the owner deleted.
 * Dependents are looked up in the owner's namespace (anywhere for a cluster-scoped owner); an owner
 * reference whose kind the server does not serve is left alone (the real collector cannot resolve it either).
 */
import { metaOf, nameOf, namespaceOf, rfc3339 } from './defaults.ts';
import { isDeletingForeground, ownerRefMatches, ownerRefsOf, planDependent } from './owner-references.ts';
import type { Obj, ResourceInfo } from './resources.ts';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** The store operations the collector needs (ObjectStore implements them). */
export interface CollectableStore {
  resources(): ResourceInfo[];
  resolve(apiVersion: string, kind: string): ResourceInfo | undefined;
  getIn(storage: string, namespace: string, name: string): Obj | undefined;
  listIn(storage: string, namespace?: string): Obj[];
  updateIn(info: ResourceInfo, obj: Obj): Obj;
  deleteIn(info: ResourceInfo, namespace: string, name: string, opts: { propagationPolicy?: PropagationPolicy }): Obj;
}

interface Dependent {
  info: ResourceInfo;
  obj: Obj;
}

/** Objects whose ownerReferences name `owner`, with the resource that stores each. */
export function dependentsOf(store: CollectableStore, ownerInfo: ResourceInfo, owner: Obj): Dependent[] {
  const seen = new Set<string>();
  const found: Dependent[] = [];
  for (const info of store.resources()) {
    if (seen.has(info.storage) || (ownerInfo.namespaced && !info.namespaced)) continue;
    seen.add(info.storage);
    for (const obj of store.listIn(info.storage, ownerInfo.namespaced ? namespaceOf(owner) : undefined)) {
      if (ownerRefsOf(obj).some((ref) => ownerRefMatches(ref, namespaceOf(obj), owner))) found.push({ info, obj });
    }
  }
  return found;
}

/** Whether a reference on an object in `namespace` names an owner that is gone, replaced or being foreground-deleted. */
function isAbsent(store: CollectableStore, ref: Obj, namespace: string): boolean {
  const info = store.resolve(String(ref.apiVersion ?? ''), String(ref.kind));
  if (!info) return false;
  const live = store.getIn(info.storage, info.namespaced ? namespace : '', String(ref.name));
  if (!live) return true;
  if (typeof ref.uid === 'string' && ref.uid && ref.uid !== metaOf(live).uid) return true;
  return isDeletingForeground(live);
}

const current = (store: CollectableStore, d: Dependent) =>
  store.getIn(d.info.storage, namespaceOf(d.obj), nameOf(d.obj));

/** Runs the collector for the dependents of `owner` (already deleted, or marked for foreground deletion). */
export function collectDependents(store: CollectableStore, ownerInfo: ResourceInfo, owner: Obj): void {
  for (const d of dependentsOf(store, ownerInfo, owner)) {
    const obj = current(store, d);
    if (!obj) continue;
    const plan = planDependent(obj, (ref) => isAbsent(store, ref, namespaceOf(obj)));
    if (plan.action === 'strip') {
      store.updateIn(d.info, withOwnerReferences(obj, plan.ownerReferences));
    } else if (plan.action === 'delete') {
      const cascadeForeground = isDeletingForeground(owner) && dependentsOf(store, d.info, obj).length > 0;
      store.deleteIn(d.info, namespaceOf(obj), nameOf(obj), {
        propagationPolicy: cascadeForeground ? 'Foreground' : 'Background',
      });
    }
  }
}

/** Removes the references to `owner` from its dependents (Orphan propagation). */
export function orphanDependents(store: CollectableStore, ownerInfo: ResourceInfo, owner: Obj): void {
  for (const d of dependentsOf(store, ownerInfo, owner)) {
    const obj = current(store, d);
    if (!obj) continue;
    const kept = ownerRefsOf(obj).filter((ref) => !ownerRefMatches(ref, namespaceOf(obj), owner));
    store.updateIn(d.info, withOwnerReferences(obj, kept));
  }
}

/** Sets deletionTimestamp and adds `finalizer`, as the registry does before a non-Background deletion. */
export function markForDeletion(
  store: CollectableStore,
  info: ResourceInfo,
  obj: Obj,
  finalizer: string,
  now: Date,
): Obj {
  const marked = structuredClone(obj);
  const meta = metaOf(marked);
  meta.deletionTimestamp ??= rfc3339(now);
  meta.deletionGracePeriodSeconds ??= 0;
  const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers.map(String) : [];
  meta.finalizers = finalizers.includes(finalizer) ? finalizers : [...finalizers, finalizer];
  return store.updateIn(info, marked);
}

/** Removes `finalizer` again once the collector is done (the MODIFIED event before DELETED). */
export function removeFinalizer(store: CollectableStore, info: ResourceInfo, obj: Obj, finalizer: string): Obj {
  const done = structuredClone(obj);
  const meta = metaOf(done);
  const rest = (Array.isArray(meta.finalizers) ? meta.finalizers.map(String) : []).filter((f) => f !== finalizer);
  if (rest.length > 0) meta.finalizers = rest;
  else delete meta.finalizers;
  return store.updateIn(info, done);
}

function withOwnerReferences(obj: Obj, refs: Obj[]): Obj {
  const copy = structuredClone(obj);
  const meta = metaOf(copy);
  if (refs.length > 0) meta.ownerReferences = refs;
  else delete meta.ownerReferences;
  return copy;
}

/** Reads `propagationPolicy` (or legacy `orphanDependents`) from DeleteOptions; undefined when unset. */
export function propagationPolicyOf(options: Obj): PropagationPolicy | string | undefined {
  if (typeof options.propagationPolicy === 'string') return options.propagationPolicy;
  if (options.orphanDependents === true) return 'Orphan';
  return undefined;
}

export const isPropagationPolicy = (v: unknown): v is PropagationPolicy =>
  v === 'Background' || v === 'Foreground' || v === 'Orphan';
