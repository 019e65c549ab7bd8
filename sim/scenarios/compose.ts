/**
 * How a variant scenario changes its base (`extends` + `remove` + its own objects). Removal follows what the
 * API server and garbage collector would do after the same deletion, so a variant stays a consistent cluster:
 * removing a Namespace removes everything in it, removing a CustomResourceDefinition removes its custom
 * resources, and objects whose owner is removed go too (a DaemonSet's pods, a pod's SecretProviderClassPodStatus,
 * the synced Secret owned by that status).
 */
import { groupOf, isRecord, type KubeObject, keyOf, objectKey } from './kube-object.ts';

/** Selects objects to remove: `name` or `namespace` left out means "all". */
export interface RemoveSelector {
  kind: string;
  namespace?: string;
  name?: string;
}

/** Whether `object` is one of the objects `selector` names. */
export function matchesSelector(object: KubeObject, selector: RemoveSelector): boolean {
  return (
    object.kind === selector.kind &&
    (selector.namespace === undefined || object.metadata.namespace === selector.namespace) &&
    (selector.name === undefined || object.metadata.name === selector.name)
  );
}

/** Removes the selected objects and everything that would be deleted with them. */
export function removeObjects(objects: KubeObject[], selectors: RemoveSelector[]): KubeObject[] {
  const removed = new Set<KubeObject>(objects.filter((o) => selectors.some((s) => matchesSelector(o, s))));
  let grew = removed.size > 0;
  while (grew) {
    grew = false;
    const gone = [...removed];
    const namespaces = new Set(gone.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const customKinds = new Set(gone.filter((o) => o.kind === 'CustomResourceDefinition').map(customKindOf));
    const goneKeys = new Set(gone.map(keyOf));
    for (const object of objects) {
      if (removed.has(object)) continue;
      const ns = object.metadata.namespace;
      const dependent =
        (ns !== undefined && namespaces.has(ns)) ||
        customKinds.has(`${groupOf(object.apiVersion)}/${object.kind}`) ||
        ownersOf(object).some((key) => goneKeys.has(key));
      if (dependent) {
        removed.add(object);
        grew = true;
      }
    }
  }
  return objects.filter((o) => !removed.has(o));
}

/** Adds `own` to `base`; an object with the same kind, namespace and name replaces the base one in place. */
export function overlayObjects(base: KubeObject[], own: KubeObject[]): KubeObject[] {
  const replacements = new Map(own.map((o) => [keyOf(o), o]));
  const result = base.map((o) => replacements.get(keyOf(o)) ?? o);
  const present = new Set(base.map(keyOf));
  return [...result, ...own.filter((o) => !present.has(keyOf(o)))];
}

/** `group/Kind` of the custom resources a CRD serves (`''` when the CRD is malformed). */
function customKindOf(crd: KubeObject): string {
  const spec = crd.spec;
  if (!isRecord(spec) || !isRecord(spec.names)) return '';
  return `${String(spec.group)}/${String(spec.names.kind)}`;
}

/** Keys of the objects named in `ownerReferences` (owners live in the same namespace or are cluster-scoped). */
function ownersOf(object: KubeObject): string[] {
  const refs = object.metadata.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((ref) =>
    isRecord(ref) && typeof ref.kind === 'string' && typeof ref.name === 'string'
      ? [objectKey(ref.kind, object.metadata.namespace, ref.name), objectKey(ref.kind, undefined, ref.name)]
      : [],
  );
}
