/**
 * Loads parsed cluster-dump objects (single objects or `List`s) into a fresh store in dependency order (CRDs,
 * then Namespaces, then the rest, Events last), so custom resources find their CRD and Events can be tied to
 * the objects they are about.
 */
import { asObj, metaOf } from './defaults.ts';
import type { Obj } from './resources.ts';
import type { ObjectStore } from './store.ts';

const rank = (o: Obj): number => {
  if (o.kind === 'CustomResourceDefinition') return 0;
  if (o.kind === 'Namespace') return 1;
  if (o.kind === 'Event') return 3;
  return 2;
};

/**
 * Stores every object (ignoring any dumped `resourceVersion`; keeping dumped uids and creationTimestamps).
 * An Event whose `involvedObject`/`regarding` has no uid gets the uid of the object it names, when that object
 * is in the seed: kubectl describe finds events by uid (docs/wire-notes.md §6.6).
 * Throws an Error naming the offending object when one cannot be stored.
 */
export function seedStore(store: ObjectStore, objects: ReadonlyArray<Record<string, unknown>>): void {
  const ordered = flattenLists(objects)
    .map((o, i) => ({ o: structuredClone(o), i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i);
  for (const { o, i } of ordered) {
    const meta = metaOf(o);
    delete meta.resourceVersion;
    if (o.kind === 'Event') fillInvolvedUid(store, o);
    try {
      store.create(o);
    } catch (cause) {
      const where = `${String(o.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
      throw new Error(`cannot seed object #${i} (${where}): ${(cause as Error).message}`, { cause });
    }
  }
}

/**
 * Expands `kind: List` and typed lists (`PodList`, as `kubectl get -o yaml` dumps them) into their items;
 * typed-list items may lack kind/apiVersion, which the list implies.
 */
function flattenLists(objects: ReadonlyArray<Record<string, unknown>>): Obj[] {
  return objects.flatMap((o) => {
    const kind = String(o.kind ?? '');
    if (!kind.endsWith('List') || !Array.isArray(o.items)) return [o as Obj];
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    return flattenLists(
      o.items.map((item) => ({ ...(itemKind ? { kind: itemKind, apiVersion: o.apiVersion } : {}), ...asObj(item) })),
    );
  });
}

function fillInvolvedUid(store: ObjectStore, event: Obj): void {
  const field = event.apiVersion === 'events.k8s.io/v1' ? 'regarding' : 'involvedObject';
  const ref = asObj(event[field]);
  if (ref.uid || !ref.kind || !ref.name) return;
  const eventNamespace = String(asObj(event.metadata).namespace ?? 'default');
  try {
    const target = store.get({
      apiVersion: String(ref.apiVersion ?? 'v1'),
      kind: String(ref.kind),
      namespace: String(ref.namespace ?? eventNamespace),
      name: String(ref.name),
    });
    if (target) event[field] = { ...ref, uid: metaOf(target).uid };
  } catch {
    // The event is about a kind this simulator does not serve; it keeps its reference as dumped.
  }
}
