/**
 * The simulated etcd: every object once, keyed by storage (group/kind), namespace and name, with one global
 * monotonically increasing resourceVersion bumped on every write and a bounded change history that watches
 * replay from. `compact()` drops the history so older resourceVersions expire (410), as etcd compaction does.
 */
import { randomUUID } from 'node:crypto';
import { fillCreateDefaults, metaOf, nameOf, namespaceOf, tracksGeneration } from './defaults.ts';
import { eventsV1ToCore } from './event-conversion.ts';
import {
  collectDependents,
  markForDeletion,
  orphanDependents,
  type PropagationPolicy,
  removeFinalizer,
} from './garbage-collector.ts';
import { type Obj, type ResourceInfo, servedResources, splitApiVersion } from './resources.ts';
import { alreadyExists, conflict, notFound } from './status.ts';

/** Watch event types that correspond to writes. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed write, as watches see it. `previous` is the state before a MODIFIED or DELETED. */
export interface Change {
  type: ChangeType;
  rv: number;
  storage: string;
  object: Obj;
  previous?: Obj;
}

/** Addresses one object by its wire identity (any served version of the kind works). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Options of a single write. */
export interface WriteOptions {
  /** Check and return the result, but commit nothing. */
  dryRun?: boolean;
}

/** Options of a delete: DeleteOptions' propagationPolicy (default Background, see garbage-collector.ts). */
export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: PropagationPolicy;
}

/** Store settings: clock for creationTimestamp, and the watch history length. */
export interface ObjectStoreOptions {
  now?: () => Date;
  /** How many changes watches can replay before older resourceVersions expire (default 1000). */
  historyLimit?: number;
}

const CRD_STORAGE = 'apiextensions.k8s.io/CustomResourceDefinition';
const NAMESPACE_STORAGE = '/Namespace';
const key = (namespace: string, name: string) => `${namespace}/${name}`;

/** In-memory object storage shared by every API path; safe to use directly from tests to arrange a scenario. */
export class ObjectStore {
  readonly #objects = new Map<string, Map<string, Obj>>();
  readonly #listeners = new Set<(change: Change) => void>();
  readonly #now: () => Date;
  readonly #historyLimit: number;
  #history: Change[] = [];
  /** Objects whose deletion (and garbage collection) is in progress, so ownership cycles terminate. */
  readonly #deleting = new Set<string>();
  #rv = 0;
  #horizon = 0;

  constructor(options: ObjectStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#historyLimit = options.historyLimit ?? 1000;
  }

  /** The current global resourceVersion (what a consistent list returns). */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** Watches may start from any resourceVersion ≥ this; older ones get 410 Expired. */
  get oldestWatchableVersion(): number {
    return this.#horizon;
  }

  /** Everything served right now: built-ins plus the custom resources of the stored CRDs. */
  resources(): ResourceInfo[] {
    return servedResources(this.listIn(CRD_STORAGE));
  }

  /** The resource serving `kind` in `apiVersion`'s group (any version shares the storage). */
  resolve(apiVersion: string, kind: string): ResourceInfo | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    const candidates = this.resources().filter((r) => r.group === group && r.kind === kind);
    return candidates.find((r) => r.version === version) ?? candidates[0];
  }

  /** A copy of the object, or undefined. */
  get(ref: ObjectRef): Obj | undefined {
    const info = this.#require(ref.apiVersion, ref.kind);
    return this.getIn(info.storage, info.namespaced ? (ref.namespace ?? '') : '', ref.name);
  }

  /** Copies of all objects of a kind, optionally in one namespace, sorted by namespace then name. */
  list(apiVersion: string, kind: string, namespace?: string): Obj[] {
    return this.listIn(this.#require(apiVersion, kind).storage, namespace);
  }

  /** Stores a new object (uid, creationTimestamp and resourceVersion filled in). Throws 409 AlreadyExists. */
  create(obj: Obj): Obj {
    return this.createIn(this.#require(String(obj.apiVersion ?? ''), String(obj.kind ?? '')), obj);
  }

  /** Replaces an object; a set `metadata.resourceVersion` must match (409 Conflict). Throws 404 NotFound. */
  update(obj: Obj): Obj {
    return this.updateIn(this.#require(String(obj.apiVersion ?? ''), String(obj.kind ?? '')), obj);
  }

  /**
   * Deletes an object, cascading like the real controllers: a Namespace's contents, a CRD's custom resources,
   * and dependents through ownerReferences by `propagationPolicy` (default Background). Throws 404 NotFound.
   */
  delete(ref: ObjectRef, opts: DeleteOptions = {}): Obj {
    const info = this.#require(ref.apiVersion, ref.kind);
    return this.deleteIn(info, info.namespaced ? (ref.namespace ?? '') : '', ref.name, opts);
  }

  /** Forgets the change history: watches from any earlier resourceVersion now get 410 Expired. */
  compact(): void {
    this.#history = [];
    this.#horizon = this.#rv;
  }

  /** Calls `listener` after every committed write. Returns the unsubscribe function. */
  subscribe(listener: (change: Change) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Changes after `rv`, or undefined when `rv` is older than the retained history. */
  changesSince(rv: number): Change[] | undefined {
    if (rv < this.#horizon) return undefined;
    return this.#history.filter((c) => c.rv > rv).map((c) => structuredClone(c));
  }

  getIn(storage: string, namespace: string, name: string): Obj | undefined {
    const found = this.#objects.get(storage)?.get(key(namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  listIn(storage: string, namespace?: string): Obj[] {
    return [...(this.#objects.get(storage)?.values() ?? [])]
      .filter((o) => !namespace || namespaceOf(o) === namespace)
      .sort((a, b) => namespaceOf(a).localeCompare(namespaceOf(b)) || nameOf(a).localeCompare(nameOf(b)))
      .map((o) => structuredClone(o));
  }

  /**
   * Storage-level writes used by the API handlers (by resource, not by apiVersion/kind). With `dryRun` every
   * check runs and the would-be result is returned without committing anything (`?dryRun=All`).
   */
  createIn(info: ResourceInfo, input: Obj, opts: WriteOptions = {}): Obj {
    const obj = this.#normalize(info, input);
    const meta = metaOf(obj);
    const bucket = this.#bucket(info.storage);
    const k = key(String(meta.namespace ?? ''), String(meta.name ?? ''));
    if (bucket.has(k)) throw alreadyExists(info, String(meta.name));
    fillCreateDefaults(info, obj, this.#now());
    if (opts.dryRun) return structuredClone(obj);
    meta.resourceVersion = String(++this.#rv);
    bucket.set(k, obj);
    this.#record({ type: 'ADDED', rv: this.#rv, storage: info.storage, object: obj });
    return structuredClone(obj);
  }

  updateIn(info: ResourceInfo, input: Obj, opts: WriteOptions = {}): Obj {
    const obj = this.#normalize(info, input);
    const meta = metaOf(obj);
    const bucket = this.#bucket(info.storage);
    const k = key(String(meta.namespace ?? ''), String(meta.name ?? ''));
    const previous = bucket.get(k);
    if (!previous) throw notFound(info, String(meta.name));
    const prevMeta = metaOf(previous);
    if (
      meta.resourceVersion !== undefined &&
      meta.resourceVersion !== '' &&
      meta.resourceVersion !== prevMeta.resourceVersion
    ) {
      throw conflict(info, String(meta.name));
    }
    meta.uid = prevMeta.uid;
    meta.creationTimestamp = prevMeta.creationTimestamp;
    if (tracksGeneration(info)) {
      const generation = typeof prevMeta.generation === 'number' ? prevMeta.generation : 1;
      meta.generation = JSON.stringify(obj.spec) === JSON.stringify(previous.spec) ? generation : generation + 1;
    }
    if (opts.dryRun)
      return { ...structuredClone(obj), metadata: { ...meta, resourceVersion: prevMeta.resourceVersion } };
    meta.resourceVersion = String(++this.#rv);
    bucket.set(k, obj);
    this.#record({ type: 'MODIFIED', rv: this.#rv, storage: info.storage, object: obj, previous });
    return structuredClone(obj);
  }

  /** Deletes and garbage-collects; returns the deleted object, or (Foreground/Orphan) the object as marked. */
  deleteIn(info: ResourceInfo, namespace: string, name: string, opts: DeleteOptions = {}): Obj {
    const bucket = this.#bucket(info.storage);
    const k = key(namespace, name);
    const previous = bucket.get(k);
    if (!previous) throw notFound(info, name);
    if (opts.dryRun) return structuredClone(previous);
    const inProgress = `${info.storage}/${k}`;
    if (this.#deleting.has(inProgress)) return structuredClone(previous);
    this.#deleting.add(inProgress);
    try {
      const policy = opts.propagationPolicy ?? 'Background';
      const finalizer = policy === 'Foreground' ? 'foregroundDeletion' : policy === 'Orphan' ? 'orphan' : undefined;
      const marked = finalizer ? markForDeletion(this, info, previous, finalizer, this.#now()) : undefined;
      if (policy === 'Orphan' && marked) orphanDependents(this, info, marked);
      if (policy === 'Foreground' && marked) collectDependents(this, info, marked);
      if (info.storage === CRD_STORAGE) this.#deleteCustomResourcesOf(previous);
      if (info.storage === NAMESPACE_STORAGE) this.#deleteNamespaceContents(name);
      const last = marked && finalizer ? removeFinalizer(this, info, marked, finalizer) : previous;
      bucket.delete(k);
      const object = structuredClone(last);
      metaOf(object).resourceVersion = String(++this.#rv);
      this.#record({ type: 'DELETED', rv: this.#rv, storage: info.storage, object, previous: last });
      if (policy === 'Background') collectDependents(this, info, previous);
      return structuredClone(marked ?? object);
    } finally {
      this.#deleting.delete(inProgress);
    }
  }

  #deleteCustomResourcesOf(crd: Obj): void {
    const spec = (crd.spec ?? {}) as Obj;
    const kind = String(((spec.names ?? {}) as Obj).kind ?? '');
    const storage = `${String(spec.group ?? '')}/${kind}`;
    const info = this.resources().find((r) => r.storage === storage);
    if (!info) return;
    for (const obj of this.listIn(storage)) this.deleteIn(info, namespaceOf(obj), nameOf(obj));
  }

  #deleteNamespaceContents(namespace: string): void {
    for (const info of this.resources().filter((r) => r.namespaced)) {
      for (const obj of this.listIn(info.storage, namespace)) {
        if (this.#objects.get(info.storage)?.has(key(namespace, nameOf(obj))))
          this.deleteIn(info, namespace, nameOf(obj));
      }
    }
  }

  /** Copies the input into storage form: core Events, the kind's storage apiVersion, scope-correct namespace. */
  #normalize(info: ResourceInfo, input: Obj): Obj {
    let obj = structuredClone(input);
    if (info.storage === '/Event' && info.group === 'events.k8s.io') obj = eventsV1ToCore(obj);
    obj.apiVersion =
      info.storage === '/Event'
        ? 'v1'
        : (obj.apiVersion ?? (info.group ? `${info.group}/${info.version}` : info.version));
    obj.kind = info.kind;
    const meta = metaOf(obj);
    if (!info.namespaced) delete meta.namespace;
    else if (!meta.namespace) meta.namespace = 'default';
    return obj;
  }

  #require(apiVersion: string, kind: string): ResourceInfo {
    const info = this.resolve(apiVersion, kind);
    if (!info) {
      throw new Error(
        `no resource serves kind ${kind} in ${apiVersion || '(no apiVersion)'}: built-in kinds are listed in sim/k8s/resources.ts; custom kinds need their CustomResourceDefinition in the store first`,
      );
    }
    return info;
  }

  #bucket(storage: string): Map<string, Obj> {
    let bucket = this.#objects.get(storage);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(storage, bucket);
    }
    return bucket;
  }

  #record(change: Change): void {
    const stored = structuredClone(change);
    this.#history.push(stored);
    while (this.#history.length > this.#historyLimit) this.#horizon = this.#history.shift()?.rv ?? this.#horizon;
    for (const listener of [...this.#listeners]) listener(structuredClone(change));
  }
}

/** A fresh random uid, as the API server assigns to objects created through the API. */
export const newUid = (): string => randomUUID();
