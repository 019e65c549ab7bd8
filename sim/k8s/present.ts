/**
 * How stored objects leave the server: converted to the requested group/version (events.k8s.io Events,
 * custom-resource versions), then shaped as the negotiated representation (object, Table,
 * PartialObjectMetadata[List]).
 */
import { coreToEventsV1 } from './event-conversion.ts';
import type { Representation } from './negotiate.ts';
import { apiVersionOf, type Obj, type ResourceInfo } from './resources.ts';
import { type IncludeObject, partialObjectMetadata, toTable } from './tables.ts';

/** The stored object as the requested version serves it (always with kind and apiVersion). */
export function inServedVersion(info: ResourceInfo, stored: Obj): Obj {
  if (info.storage === '/Event' && info.group === 'events.k8s.io') return coreToEventsV1(stored);
  return { ...stored, apiVersion: apiVersionOf(info), kind: info.kind };
}

export interface PresentOptions {
  representation: Representation;
  now: Date;
  includeObject: IncludeObject;
}

/** One object (get, create, update, watch event) in the negotiated representation. */
export function presentOne(info: ResourceInfo, stored: Obj, opts: PresentOptions): Obj {
  const obj = inServedVersion(info, stored);
  if (opts.representation === 'PartialObjectMetadata') return partialObjectMetadata(obj);
  if (opts.representation === 'Table') {
    const rv = (obj.metadata as Obj | undefined)?.resourceVersion;
    return toTable(info, [obj], rv ? { resourceVersion: rv } : {}, opts.now, opts.includeObject);
  }
  return obj;
}

/**
 * A list in the negotiated representation. Built-in list items carry no kind/apiVersion, custom-resource
 * items do (observed kube-apiserver behaviour, docs/wire-notes.md §6.2).
 */
export function presentList(info: ResourceInfo, stored: Obj[], listMeta: Obj, opts: PresentOptions): Obj {
  const objects = stored.map((o) => inServedVersion(info, o));
  if (opts.representation === 'Table') return toTable(info, objects, listMeta, opts.now, opts.includeObject);
  if (opts.representation === 'PartialObjectMetadataList') {
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: listMeta,
      items: objects.map(partialObjectMetadata),
    };
  }
  const items = info.custom ? objects : objects.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
  return { kind: info.listKind, apiVersion: apiVersionOf(info), metadata: listMeta, items };
}

/** The `includeObject` query parameter (Table rows): default Metadata. */
export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
