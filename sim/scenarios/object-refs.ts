/**
 * Gives every object a uid and makes references agree with it, as a real API server's data would: objects
 * without `metadata.uid` get a deterministic one, and an event's `involvedObject.uid` or an owner reference's
 * `uid` left out of the dump is taken from the object it names. `kubectl describe pod` lists events by
 * `involvedObject.uid`, so without this a dump's events would never show up.
 */
import { deterministicUid, isRecord, type KubeObject, keyOf, objectKey } from './kube-object.ts';

/** Fills missing uids and resolves references, in place. References to absent objects stay without a uid. */
export function fillUidsAndReferences(objects: KubeObject[]): void {
  const byKey = new Map<string, KubeObject>();
  for (const object of objects) {
    if (typeof object.metadata.uid !== 'string' || object.metadata.uid === '') {
      object.metadata.uid = deterministicUid(object.kind, object.metadata.namespace, object.metadata.name);
    }
    byKey.set(keyOf(object), object);
  }
  const uidOf = (kind: unknown, namespace: unknown, name: unknown): string | undefined => {
    if (typeof kind !== 'string' || typeof name !== 'string') return undefined;
    const ns = typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
    // A namespaced object may be owned by a cluster-scoped one (and events may name either).
    const target = byKey.get(objectKey(kind, ns, name)) ?? byKey.get(objectKey(kind, undefined, name));
    return target?.metadata.uid;
  };

  for (const object of objects) {
    for (const field of ['involvedObject', 'regarding'] as const) {
      const ref = object[field];
      if (isRecord(ref) && !ref.uid) {
        const uid = uidOf(ref.kind, ref.namespace ?? object.metadata.namespace, ref.name);
        if (uid) ref.uid = uid;
      }
    }
    const owners = object.metadata.ownerReferences;
    if (Array.isArray(owners)) {
      for (const owner of owners) {
        if (isRecord(owner) && !owner.uid) {
          const uid = uidOf(owner.kind, object.metadata.namespace, owner.name);
          if (uid) owner.uid = uid;
        }
      }
    }
  }
}
