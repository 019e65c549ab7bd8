/**
 * The garbage collector's reading of `metadata.ownerReferences` (k/k `pkg/controller/garbagecollector`,
 * reference: kubernetes.io "Garbage collection"): which owner a reference names, and what happens to a
 * dependent once some of its owners are gone. Pure functions over plain objects, shared by the API
 * simulator's delete cascade (sim/k8s/garbage-collector.ts) and the scenario loader's `remove:`.
 */
import { asObj } from './defaults.ts';
import type { Obj } from './resources.ts';

/** The owner references of an object (only well-formed entries). */
export function ownerRefsOf(obj: Obj): Obj[] {
  const refs = asObj(obj.metadata).ownerReferences;
  return Array.isArray(refs)
    ? refs.map(asObj).filter((r) => typeof r.kind === 'string' && typeof r.name === 'string')
    : [];
}

const groupOf = (apiVersion: unknown): string => {
  const s = String(apiVersion ?? '');
  const slash = s.indexOf('/');
  return slash < 0 ? '' : s.slice(0, slash);
};

/**
 * Whether `ref` (on an object in `dependentNamespace`) names `owner`: same group, kind and name; the owner in
 * the dependent's namespace or cluster-scoped (a namespaced owner elsewhere counts as absent); and, when both
 * carry one, the same uid — a re-created owner with the same name does not adopt the old dependents.
 */
export function ownerRefMatches(ref: Obj, dependentNamespace: string, owner: Obj): boolean {
  const meta = asObj(owner.metadata);
  if (ref.kind !== owner.kind || ref.name !== meta.name) return false;
  if (groupOf(ref.apiVersion) !== groupOf(owner.apiVersion)) return false;
  const ownerNamespace = String(meta.namespace ?? '');
  if (ownerNamespace !== '' && ownerNamespace !== dependentNamespace) return false;
  return !(typeof ref.uid === 'string' && ref.uid && typeof meta.uid === 'string' && meta.uid && ref.uid !== meta.uid);
}

/** What the garbage collector does with one dependent. */
export type DependentAction =
  | { action: 'keep' }
  | { action: 'delete' }
  /** Some owners remain: only the references to absent owners are removed (the GC's PATCH). */
  | { action: 'strip'; ownerReferences: Obj[] };

/**
 * The decision of `attemptToDeleteItem`: with no absent owner nothing happens; with a solid owner left the
 * absent ones are stripped; with none left the dependent is deleted. `absent(ref)` says whether a reference
 * names an owner that is gone (404, uid mismatch, or itself waiting on foreground deletion).
 */
export function planDependent(dependent: Obj, absent: (ref: Obj) => boolean): DependentAction {
  const refs = ownerRefsOf(dependent);
  const remaining = refs.filter((r) => !absent(r));
  if (remaining.length === refs.length) return { action: 'keep' };
  if (remaining.length === 0) return { action: 'delete' };
  return { action: 'strip', ownerReferences: remaining };
}

/** True when a foreground deletion of this object is in progress (deletionTimestamp + `foregroundDeletion`). */
export function isDeletingForeground(obj: Obj): boolean {
  const meta = asObj(obj.metadata);
  return (
    Boolean(meta.deletionTimestamp) && Array.isArray(meta.finalizers) && meta.finalizers.includes('foregroundDeletion')
  );
}
