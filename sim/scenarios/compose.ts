/**
 * How a variant scenario changes its base (`extends` + `remove` + its own objects). Removal follows what the
 * API server and garbage collector would do after the same deletion, so a variant stays a consistent cluster:
 * removing a Namespace removes everything in it, removing a CustomResourceDefinition removes its custom
 * resources, and objects whose owner is removed go too (a DaemonSet's pods, a pod's SecretProviderClassPodStatus,
 * the synced Secret owned by that status).
 */
import { ownerRefMatches, planDependent } from '../k8s/owner-references.ts';
import { groupOf, isRecord, type KubeObject, keyOf } from './kube-object.ts';

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

/**
 * Removes the selected objects and everything the API server and garbage collector would delete with them.
 * Ownership is judged by the collector's own rules (sim/k8s/owner-references.ts): a dependent goes when
 * every owner it names is removed; one that keeps a live owner only loses the references to the removed ones.
 */
export function removeObjects(objects: KubeObject[], selectors: RemoveSelector[]): KubeObject[] {
  const removed = new Set<KubeObject>(objects.filter((o) => selectors.some((s) => matchesSelector(o, s))));
  const stripped = new Map<KubeObject, KubeObject>();
  let grew = removed.size > 0;
  while (grew) {
    grew = false;
    const gone = [...removed];
    const namespaces = new Set(gone.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const customKinds = new Set(gone.filter((o) => o.kind === 'CustomResourceDefinition').map(customKindOf));
    for (const object of objects) {
      if (removed.has(object)) continue;
      const ns = object.metadata.namespace;
      if ((ns !== undefined && namespaces.has(ns)) || customKinds.has(`${groupOf(object.apiVersion)}/${object.kind}`)) {
        removed.add(object);
        grew = true;
        continue;
      }
      const current = stripped.get(object) ?? object;
      const ownerRemoved = (ref: Record<string, unknown>) =>
        gone.some((owner) => ownerRefMatches(ref, ns ?? '', owner));
      const plan = planDependent(current, ownerRemoved);
      if (plan.action === 'delete') {
        removed.add(object);
        grew = true;
      } else if (plan.action === 'strip') {
        stripped.set(object, { ...current, metadata: { ...current.metadata, ownerReferences: plan.ownerReferences } });
      }
    }
  }
  return objects.filter((o) => !removed.has(o)).map((o) => stripped.get(o) ?? o);
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
