/**
 * What the loader requires of every document in a cluster dump (apiVersion, kind, metadata.name), and the
 * identity helpers the rest of the loader shares: the kind/namespace/name key, the group of an apiVersion and
 * a deterministic UUID-shaped uid for objects the dump leaves without one.
 */
import { createHash } from 'node:crypto';
import { ScenarioError } from './scenario-error.ts';
import type { SourcedDocument } from './yaml-source.ts';

/** A Kubernetes object as the dump holds it: plain JSON-compatible data. */
export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string; uid?: string };
};

/** Checks the shape every API object has; the error names the file and the document's line. */
export function toKubeObject(doc: SourcedDocument): KubeObject {
  const where = `${doc.file}:${doc.line}`;
  const value = doc.value;
  if (!isRecord(value)) {
    throw new ScenarioError(`${where}: expected a Kubernetes object (a YAML mapping), found ${describe(value)}.`);
  }
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw new ScenarioError(`${where}: the document has no ${field}; every object needs apiVersion and kind.`);
    }
  }
  const metadata = value.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new ScenarioError(`${where}: ${value.kind} has no metadata.name; give the object a name.`);
  }
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
    throw new ScenarioError(`${where}: ${value.kind} "${metadata.name}" has an invalid metadata.namespace.`);
  }
  return value as KubeObject;
}

/** `Kind/namespace/name` (namespace empty for cluster-scoped objects): one object's identity in a scenario. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** The identity key of an object (see `objectKey`). */
export function keyOf(object: KubeObject): string {
  return objectKey(object.kind, object.metadata.namespace, object.metadata.name);
}

/** `Kind namespace/name` (or `Kind name` when cluster-scoped), for messages. */
export function describeObject(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * A stable uid from kind, namespace and name: the same object gets the same uid on every load, so a dump can
 * leave uids out and still have events and owner references point at the right object.
 */
export function deterministicUid(kind: string, namespace: string | undefined, name: string): string {
  const hex = createHash('sha256')
    .update(objectKey(kind, namespace, name))
    .digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A plain mapping (not null, not an array): what a YAML map becomes. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : `a ${typeof value}`;
}
