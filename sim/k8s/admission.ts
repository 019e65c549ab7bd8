/**
 * What happens to an object written through the API before it is stored: body decoding and kind checks
 * (apiserver `handlers/create.go`, `update.go`), generateName, the registry strategies' status handling,
 * Pod defaulting, and the NamespaceLifecycle / ServiceAccount admission plugins.
 */
import { asObj, metaOf } from './defaults.ts';
import { decodeProtobuf, PROTOBUF } from './protobuf.ts';
import { apiVersionOf, type Obj, type ResourceInfo } from './resources.ts';
import { badRequest, forbidden, notFound, StatusError } from './status.ts';
import type { ObjectStore } from './store.ts';

const JSON_BODY_TYPES = ['application/json', ''];

/**
 * Decodes a request body into an object: JSON (400 like the real decoder), or the protobuf bodies kubectl
 * sends for SelfSubjectAccessReview and TokenRequest; other media types are 415.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): Obj {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const decoded = type === PROTOBUF ? decodeProtobuf(body) : undefined;
  if (decoded) return decoded;
  if (!JSON_BODY_TYPES.includes(type)) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  return parseJsonObject(body);
}

/** Parses a JSON body of any shape (PATCH documents); malformed JSON is 400 BadRequest. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** Parses a JSON object body; anything else is 400 BadRequest. */
export function parseJsonObject(body: Buffer): Obj {
  const parsed = parseJson(body);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  return parsed as Obj;
}

/** The body must be the kind this path serves, in this group/version. */
export function checkKind(info: ResourceInfo, obj: Obj, raw: Buffer): void {
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    throw badRequest(`Object 'Kind' is missing in '${raw.toString('utf8')}'`);
  }
  const expected = apiVersionOf(info);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== info.kind) {
    throw badRequest(
      `${obj.kind} in version "${info.version}" cannot be handled as a ${info.kind}: no kind "${obj.kind}" is registered for version "${expected}"`,
    );
  }
}

const NAME_SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Sets namespace from the path (400 on mismatch) and a name from generateName. */
export function placeObject(info: ResourceInfo, obj: Obj, namespace: string): void {
  const meta = metaOf(obj);
  if (info.namespaced) {
    if (meta.namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace;
  }
  if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX_CHARS[Math.floor(Math.random() * NAME_SUFFIX_CHARS.length)];
    meta.name = `${meta.generateName}${suffix}`;
  }
}

/** The registry's PrepareForCreate: client-set system fields and (for kinds with a status subresource) status are reset. */
export function prepareForCreate(info: ResourceInfo, obj: Obj, uid: string, creationTimestamp: string): void {
  const meta = metaOf(obj);
  meta.uid = uid;
  meta.creationTimestamp = creationTimestamp;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.generation;
  if (info.storage === '/Pod') defaultPod(obj);
  if (!info.subresources.status) return;
  if (info.storage === '/Pod') obj.status = { phase: 'Pending' };
  else if (info.storage === '/Namespace') obj.status = { phase: 'Active' };
  else delete obj.status;
}

/** A subset of the Pod defaulting (`pkg/apis/core/v1/defaults.go`) that clients and printers rely on. */
function defaultPod(pod: Obj): void {
  const spec = asObj(pod.spec);
  pod.spec = spec;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount = spec.serviceAccountName;
}

/**
 * NamespaceLifecycle (the namespace must exist) and, for Pods, the ServiceAccount admission plugin
 * (the pod's ServiceAccount must exist), with the real plugins' error texts.
 */
export function admit(store: ObjectStore, info: ResourceInfo, obj: Obj): void {
  const meta = metaOf(obj);
  const namespace = String(meta.namespace ?? '');
  if (info.namespaced && !store.getIn('/Namespace', '', namespace)) {
    throw notFound({ group: '', resource: 'namespaces' }, namespace);
  }
  if (info.storage === '/Pod') {
    const sa = String(asObj(obj.spec).serviceAccountName ?? 'default');
    if (!store.getIn('/ServiceAccount', namespace, sa)) {
      throw forbidden(
        { group: '', resource: 'pods' },
        String(meta.name ?? ''),
        `error looking up service account ${namespace}/${sa}: serviceaccount "${sa}" not found`,
      );
    }
  }
}

/** For a main-resource write: keep the stored status. For a /status write: keep everything but status. */
export function mergeForSubresource(info: ResourceInfo, subresource: string, incoming: Obj, existing: Obj): Obj {
  if (subresource === 'status') {
    const merged = structuredClone(existing);
    merged.status = incoming.status;
    metaOf(merged).resourceVersion = metaOf(incoming).resourceVersion;
    return merged;
  }
  if (info.subresources.status) incoming.status = existing.status;
  return incoming;
}
