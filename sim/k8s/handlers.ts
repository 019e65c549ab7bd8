/**
 * The resource verbs: get / list / watch / create / update / patch / delete / deletecollection on any served
 * resource, plus the subresources (status, pods/log, serviceaccounts/token) and SelfSubjectAccessReview.
 * Authentication and authorization have already happened; routing (404 for unserved paths) too.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  admit,
  checkKind,
  decodeBody,
  mergeForSubresource,
  parseJson,
  parseJsonObject,
  placeObject,
  prepareForCreate,
} from './admission.ts';
import { asObj, metaOf, rfc3339 } from './defaults.ts';
import { validateFields } from './field-validation.ts';
import { isPropagationPolicy, type PropagationPolicy, propagationPolicyOf } from './garbage-collector.ts';
import { listObjects, parseSelectors, selects } from './list.ts';
import { negotiate } from './negotiate.ts';
import { applyPatch } from './patch.ts';
import { includeObjectParam, type PresentOptions, presentList, presentOne } from './present.ts';
import type { UserInfo } from './rbac.ts';
import type { ResourceRequestInfo } from './request-info.ts';
import { apiVersionOf, type Obj, type ResourceInfo } from './resources.ts';
import { podLog, selfSubjectAccessReview } from './special-endpoints.ts';
import { badRequest, conflict, invalid, methodNotAllowed, notFound, qualified, StatusError } from './status.ts';
import { type DeleteOptions, newUid, type ObjectStore, type WriteOptions } from './store.ts';
import { checkUpdatePreconditions, checkWireFormat } from './strategy.ts';
import type { ServiceAccountTokenIssuer } from './tokens.ts';
import { validateObject } from './validation.ts';
import { type ActiveWatch, serveWatch } from './watch.ts';

/** An authenticated, authorized request for a served resource (or one of its subresources). */
export interface ResourceRequest {
  store: ObjectStore;
  tokens: ServiceAccountTokenIssuer;
  now: () => Date;
  user: UserInfo;
  method: string;
  info: ResourceRequestInfo;
  resource: ResourceInfo;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Set when a fault asks for the watch to be closed early. */
  closeWatchAfterMs?: number;
}

/** A complete response to send, or a watch that is already streaming on the response. */
export type Reply =
  | { status: number; body: unknown; contentType?: string; warnings?: string[] }
  | { watch: ActiveWatch };

/** Kinds whose DELETE answers with the object (graceful or finalized deletion); others answer Status Success. */
const RETURNS_DELETED_OBJECT = new Set(['/Pod', '/Namespace', 'apiextensions.k8s.io/CustomResourceDefinition']);

/** Runs the verb on the resource; throws StatusError for every failure the real server reports as Status. */
export function handleResource(r: ResourceRequest, res: ServerResponse): Reply {
  const { info, resource } = r;
  const sub = info.subresource;
  const subInfo = sub ? resource.subresources[sub] : undefined;
  const allowed = sub ? (subInfo?.verbs ?? []) : resource.verbs;
  if (!allowed.includes(info.verb)) throw methodNotAllowed();

  if (resource.storage === 'authorization.k8s.io/SelfSubjectAccessReview') {
    return {
      status: 201,
      body: selfSubjectAccessReview(r.store, r.user, decodeBody(r.body, r.headers['content-type'])),
    };
  }
  if (sub === 'log') {
    return { status: 200, body: podLog(r.store, info.namespace, info.name, r.query), contentType: 'text/plain' };
  }
  if (sub === 'token') {
    const body = decodeBody(r.body, r.headers['content-type']);
    return { status: 201, body: r.tokens.tokenRequest(r.store, info.namespace, info.name, body) };
  }
  const namespace = resource.namespaced ? info.namespace : '';
  const write = { dryRun: dryRunParam(r.query) };
  const opts = (list: boolean): PresentOptions => ({
    representation: negotiate(r.headers.accept, list),
    now: r.now(),
    includeObject: includeObjectParam(r.query),
  });
  const require = (): Obj => {
    const found = r.store.getIn(resource.storage, namespace, info.name);
    if (!found) throw notFound(resource, info.name);
    return found;
  };

  switch (info.verb) {
    case 'get':
      return { status: 200, body: presentOne(resource, require(), opts(false)) };
    case 'list': {
      const result = listObjects(r.store, resource, namespace, r.query);
      return { status: 200, body: presentList(resource, result.items, result.metadata, opts(true)) };
    }
    case 'watch': {
      const present = opts(false);
      const selectors = parseSelectors(resource, r.query);
      const watch = serveWatch(r.store, res, {
        info: resource,
        namespace,
        ...selectors,
        query: r.query,
        ...(r.closeWatchAfterMs !== undefined ? { closeAfterMs: r.closeWatchAfterMs } : {}),
        present: (obj) => presentOne(resource, obj, present),
        bookmark: (rv, end) => ({
          kind: present.representation === 'object' ? resource.kind : 'PartialObjectMetadata',
          apiVersion: present.representation === 'object' ? apiVersionOf(resource) : 'meta.k8s.io/v1',
          metadata: { resourceVersion: rv, ...(end ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
        }),
      });
      return { watch };
    }
    case 'create': {
      const obj = decodeBody(r.body, r.headers['content-type']);
      checkKind(resource, obj, r.body);
      checkWireFormat(resource, obj);
      const warnings = validateFields(resource, obj, r.query);
      placeObject(resource, obj, namespace);
      return { status: 201, body: presentOne(resource, create(r, obj, write), opts(false)), warnings };
    }
    case 'update': {
      const obj = decodeBody(r.body, r.headers['content-type']);
      checkKind(resource, obj, r.body);
      checkWireFormat(resource, obj);
      const warnings = validateFields(resource, obj, r.query);
      placeObject(resource, obj, namespace);
      const bodyName = String(metaOf(obj).name ?? '');
      if (bodyName !== info.name) {
        throw new StatusError(
          400,
          'BadRequest',
          `the name of the object (${bodyName}) does not match the name on the URL (${info.name})`,
        );
      }
      const existing = r.store.getIn(resource.storage, namespace, info.name);
      if (!existing && resource.createOnUpdate && !sub) {
        return { status: 201, body: presentOne(resource, create(r, obj, write), opts(false)), warnings };
      }
      if (!existing) throw notFound(resource, info.name);
      checkUpdatePreconditions(resource, obj);
      return { status: 200, body: presentOne(resource, update(r, obj, existing, write), opts(false)), warnings };
    }
    case 'patch': {
      const current = require();
      const patched = applyPatch(current, r.headers['content-type'] ?? '', parseJson(r.body), resource.custom);
      checkWireFormat(resource, patched);
      const warnings = validateFields(resource, patched, r.query);
      Object.assign(metaOf(patched), { name: info.name, ...(namespace ? { namespace } : {}) });
      return { status: 200, body: presentOne(resource, update(r, patched, current, write), opts(false)), warnings };
    }
    case 'delete':
      return { status: 200, body: deleteOne(r, resource, namespace, require(), write) };
    case 'deletecollection': {
      const selectors = parseSelectors(resource, r.query);
      const victims = r.store.listIn(resource.storage, namespace).filter((o) => selects(resource, selectors, o));
      const options = deleteOptions(r, write);
      const deleted = victims.map((o) =>
        r.store.deleteIn(
          resource,
          resource.namespaced ? String(metaOf(o).namespace) : '',
          String(metaOf(o).name),
          options,
        ),
      );
      return {
        status: 200,
        body: presentList(resource, deleted, { resourceVersion: r.store.resourceVersion }, opts(true)),
      };
    }
    default:
      throw methodNotAllowed();
  }
}

/** `?dryRun=All` validates and answers without persisting; any other value is rejected like the real server. */
function dryRunParam(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  const bad = values.find((v) => v !== 'All');
  if (bad !== undefined) throw badRequest(`dryRun: Unsupported value: "${bad}": supported values: "All"`);
  return values.length > 0;
}

/** A new object through the registry's create path: system fields reset, admission, validation. */
function create(r: ResourceRequest, obj: Obj, opts: WriteOptions): Obj {
  prepareForCreate(r.resource, obj, newUid(), rfc3339(r.now()));
  admit(r.store, r.resource, obj);
  validateObject(r.resource, obj);
  return r.store.createIn(r.resource, obj, opts);
}

/** Update/patch of the object or its status subresource, validated and conflict-checked by the store. */
function update(r: ResourceRequest, incoming: Obj, existing: Obj, opts: WriteOptions): Obj {
  const merged = mergeForSubresource(r.resource, r.info.subresource, incoming, existing);
  validateObject(r.resource, merged);
  return r.store.updateIn(r.resource, merged, opts);
}

/**
 * DeleteOptions from the body (what kubectl sends) or the query: `propagationPolicy` Background (default),
 * Foreground or Orphan; anything else is 422 as the real validation answers.
 */
function deleteOptions(r: ResourceRequest, write: WriteOptions): DeleteOptions {
  const body = r.body.length > 0 ? parseJsonObject(r.body) : {};
  const policy = propagationPolicyOf(body) ?? r.query.get('propagationPolicy') ?? undefined;
  if (policy === undefined) return write;
  if (!isPropagationPolicy(policy)) {
    throw invalid('meta.k8s.io', 'DeleteOptions', '', [
      {
        field: 'propagationPolicy',
        type: 'FieldValueNotSupported',
        value: policy,
        detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
      },
    ]);
  }
  return { ...write, propagationPolicy: policy as PropagationPolicy };
}

function deleteOne(
  r: ResourceRequest,
  resource: ResourceInfo,
  namespace: string,
  current: Obj,
  write: WriteOptions,
): unknown {
  const opts = deleteOptions(r, write);
  const preconditions = r.body.length > 0 ? asObj(parseJsonObject(r.body).preconditions) : {};
  const meta = metaOf(current);
  if (preconditions.uid && preconditions.uid !== meta.uid) {
    throw conflictPrecondition(
      resource,
      r.info.name,
      `UID in precondition: ${String(preconditions.uid)}, UID in object meta: ${String(meta.uid)}`,
    );
  }
  if (preconditions.resourceVersion && preconditions.resourceVersion !== meta.resourceVersion) {
    throw conflictPrecondition(
      resource,
      r.info.name,
      `ResourceVersion in precondition: ${String(preconditions.resourceVersion)}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`,
    );
  }
  const deleted = r.store.deleteIn(resource, namespace, r.info.name, opts);
  // Not deleted at once (finalizers pending): the real handler answers with the object, not a Status.
  const finalizing = opts.propagationPolicy === 'Foreground' || opts.propagationPolicy === 'Orphan';
  if (finalizing || RETURNS_DELETED_OBJECT.has(resource.storage))
    return presentOne(resource, deleted, { representation: 'object', now: r.now(), includeObject: 'Metadata' });
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: r.info.name,
      ...(resource.group ? { group: resource.group } : {}),
      kind: resource.resource,
      uid: meta.uid,
    },
  };
}

function conflictPrecondition(resource: ResourceInfo, name: string, why: string): StatusError {
  const error = conflict(resource, name);
  error.status.message = `Operation cannot be fulfilled on ${qualified(resource)} "${name}": Precondition failed: ${why}`;
  return error;
}
