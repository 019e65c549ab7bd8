/**
 * System fields the API server fills in on write: uid, creationTimestamp, generation, and the status the
 * apiextensions controller gives an accepted CRD. Kept apart from the store so seeding and the HTTP verbs
 * share one definition.
 */
import { createHash } from 'node:crypto';
import type { Obj, ResourceInfo } from './resources.ts';

/** The value if it is a plain object, else an empty object (safe navigation through untyped JSON). */
export const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** The object's metadata, created if absent (mutates `obj`). */
export function metaOf(obj: Obj): Obj {
  if (!obj.metadata || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) obj.metadata = {};
  return obj.metadata as Obj;
}

/** `metadata.name` or ''. */
export const nameOf = (obj: Obj): string => String(asObj(obj.metadata).name ?? '');
/** `metadata.namespace` or ''. */
export const namespaceOf = (obj: Obj): string => String(asObj(obj.metadata).namespace ?? '');

/** RFC 3339 with whole seconds, the wire form of `metav1.Time`. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A UUID-shaped uid derived from the object's identity, so seeded fixtures get stable uids that other seeded
 * objects (event `involvedObject.uid`, `ownerReferences`) can be computed from.
 */
export function deterministicUid(group: string, kind: string, namespace: string, name: string): string {
  const h = createHash('sha256').update(`${group}/${kind}/${namespace}/${name}`).digest('hex');
  const variant = '89ab'[Number.parseInt(h[16] ?? '0', 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Kinds whose registry maintains `metadata.generation` (bumped when `spec` changes). */
export const tracksGeneration = (info: ResourceInfo): boolean =>
  info.custom || info.group === 'apps' || info.group === 'apiextensions.k8s.io';

/** Fills uid / creationTimestamp / generation where missing, as the registry does on create. */
export function fillCreateDefaults(info: ResourceInfo, obj: Obj, now: Date): void {
  const meta = metaOf(obj);
  if (typeof meta.uid !== 'string' || !meta.uid) {
    meta.uid = deterministicUid(info.group, info.kind, String(meta.namespace ?? ''), String(meta.name ?? ''));
  }
  if (typeof meta.creationTimestamp !== 'string' || !meta.creationTimestamp) meta.creationTimestamp = rfc3339(now);
  if (tracksGeneration(info) && typeof meta.generation !== 'number') meta.generation = 1;
  if (info.storage === 'apiextensions.k8s.io/CustomResourceDefinition') acceptCrd(obj, now);
}

/**
 * Gives a CRD the status the apiextensions controllers write once its names are accepted
 * (`NamesAccepted` and `Established` True, `acceptedNames`, `storedVersions`), unless it already has conditions.
 */
function acceptCrd(crd: Obj, now: Date): void {
  const status = asObj(crd.status);
  if (Array.isArray(status.conditions) && status.conditions.length > 0) return;
  const spec = asObj(crd.spec);
  const names = asObj(spec.names);
  const versions = Array.isArray(spec.versions) ? spec.versions.map(asObj) : [];
  const storageVersion = versions.find((v) => v.storage === true)?.name ?? versions[0]?.name;
  const at = rfc3339(now);
  crd.status = {
    acceptedNames: {
      kind: names.kind,
      listKind: names.listKind ?? `${String(names.kind)}List`,
      plural: names.plural,
      singular: names.singular ?? String(names.kind ?? '').toLowerCase(),
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: at,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: at,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: storageVersion ? [storageVersion] : [],
  };
}
