/**
 * The OpenAPI v3 documents kube-apiserver publishes and kubectl reads before `apply` / `create` (to learn
 * that the server does field validation, and for patch metadata and `explain`): `/openapi/v3` lists every
 * served group-version with a `serverRelativeURL` carrying the document's hash, and `/openapi/v3/<gv>` is
 * that group-version's document — paths with their operations (`x-kubernetes-group-version-kind`, the
 * `fieldValidation` / `dryRun` / `fieldManager` query parameters) and component schemas. Built-in schemas
 * come from openapi-kinds.ts, custom resources from their CRD version's openAPIV3Schema.
 * `/openapi/v2` is not served (404): kubectl only falls back to it when v3 is missing.
 */
import { createHash } from 'node:crypto';
import { SERVER_VERSION } from './discovery.ts';
import { DEFINITIONS, DESCRIBED_KINDS, parseFieldType } from './openapi-kinds.ts';
import type { Obj, ResourceInfo } from './resources.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The component-name prefix of a group's types (`io.k8s.api.core.v1`, `io.x-k8s.csi.secrets-store.v1`). */
function packageOf(info: ResourceInfo): string {
  if (info.custom) return `${info.group.split('.').reverse().join('.')}.${info.version}`;
  if (info.group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${info.version}`;
  const short = info.group === '' ? 'core' : info.group.replace(/\.k8s\.io$/, '').split('.')[0];
  return `io.k8s.api.${short}.${info.version}`;
}

const gvPath = (info: { group: string; version: string }) =>
  info.group ? `apis/${info.group}/${info.version}` : `api/${info.version}`;

function schemaOfType(type: string, pkg: string): Obj {
  const t = parseFieldType(type);
  let one: Obj;
  if (t.ref)
    one = {
      $ref: `#/components/schemas/${t.ref === 'ObjectMeta' || t.ref === 'OwnerReference' ? META : pkg}.${t.ref}`,
    };
  else if (t.scalar === 'map') one = { type: 'object', additionalProperties: { type: 'string', default: '' } };
  else if (t.scalar === 'object') one = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  else one = { type: t.scalar };
  return t.list ? { type: 'array', items: one } : one;
}

/** Strategic-merge keys of the lists kubectl apply merges element by element (k8s.io/api struct tags). */
const MERGE_KEYS: Record<string, string> = {
  'PodSpec.containers': 'name',
  'PodSpec.initContainers': 'name',
  'PodSpec.volumes': 'name',
  'Container.env': 'name',
  'Container.volumeMounts': 'mountPath',
  'ObjectMeta.ownerReferences': 'uid',
};

function definitionSchema(name: string, pkg: string): Obj {
  const properties = Object.fromEntries(
    Object.entries(DEFINITIONS[name] ?? {}).map(([field, type]) => {
      const key = MERGE_KEYS[`${name}.${field}`];
      const schema = schemaOfType(type, pkg);
      return [
        field,
        key ? { ...schema, 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge' } : schema,
      ];
    }),
  );
  return { type: 'object', properties };
}

/** The kind's schema plus every definition it references (by component name). */
function kindSchemas(info: ResourceInfo): Record<string, Obj> {
  const pkg = packageOf(info);
  const gvk = [{ group: info.group, version: info.version, kind: info.kind }];
  const top: Obj = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { $ref: `#/components/schemas/${META}.ObjectMeta` },
  };
  const out: Record<string, Obj> = {};
  const described = DESCRIBED_KINDS[info.storage];
  if (info.custom) {
    const schema = structuredClone(info.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    schema.properties = { ...asProps(schema.properties), ...top };
    out[`${pkg}.${info.kind}`] = { ...schema, 'x-kubernetes-group-version-kind': gvk };
    return out;
  }
  const own = described
    ? definitionSchema(described, pkg)
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  out[`${pkg}.${info.kind}`] = {
    ...own,
    properties: { ...top, ...asProps(own.properties) },
    'x-kubernetes-group-version-kind': gvk,
  };
  const pending = described ? Object.values(DEFINITIONS[described] ?? {}) : [];
  while (pending.length > 0) {
    const ref = parseFieldType(pending.pop() ?? '').ref;
    if (!ref || ref === 'ObjectMeta' || ref === 'OwnerReference' || out[`${pkg}.${ref}`]) continue;
    out[`${pkg}.${ref}`] = definitionSchema(ref, pkg);
    pending.push(...Object.values(DEFINITIONS[ref] ?? {}));
  }
  return out;
}

const asProps = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

const queryParam = (name: string, description: string): Obj => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});
const WRITE_PARAMS = [
  queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
  queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default), Strict.',
  ),
];

/** The patch media types the server accepts for the kind (custom resources have no strategic merge patch). */
function patchBody(info: ResourceInfo): Obj {
  const types = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
  if (!info.custom) types.push('application/strategic-merge-patch+json');
  return { content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object' } }])), required: true };
}

function operation(info: ResourceInfo, action: string, verb: string, ref: string, params: Obj[]): Obj {
  const scope = info.namespaced ? 'Namespaced' : '';
  const kind = action === 'list' ? `${info.kind}List` : info.kind;
  return {
    description: `${action} ${info.kind}`,
    operationId: `${verb}${scope}${kind}`,
    parameters: params,
    ...(action === 'patch' ? { requestBody: patchBody(info) } : {}),
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: ref } } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: info.group, version: info.version, kind: info.kind },
  };
}

function pathsOf(info: ResourceInfo): Record<string, Obj> {
  const ref = `#/components/schemas/${packageOf(info)}.${info.kind}`;
  const base = `/${gvPath(info)}${info.namespaced ? '/namespaces/{namespace}' : ''}/${info.resource}`;
  const pathParam = (name: string): Obj => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', uniqueItems: true },
  });
  const scopeParams = info.namespaced ? [pathParam('namespace')] : [];
  const verbs = new Set(info.verbs);
  const collection: Obj = { parameters: scopeParams };
  if (verbs.has('list')) collection.get = operation(info, 'list', 'list', ref, []);
  if (verbs.has('create')) collection.post = operation(info, 'post', 'create', ref, WRITE_PARAMS);
  const item: Obj = { parameters: [pathParam('name'), ...scopeParams] };
  if (verbs.has('get')) item.get = operation(info, 'get', 'read', ref, []);
  if (verbs.has('update')) item.put = operation(info, 'put', 'replace', ref, WRITE_PARAMS);
  if (verbs.has('patch')) item.patch = operation(info, 'patch', 'patch', ref, WRITE_PARAMS);
  if (verbs.has('delete'))
    item.delete = operation(info, 'delete', 'delete', ref, [
      queryParam('propagationPolicy', 'Whether and how garbage collection will be performed.'),
    ]);
  const paths: Record<string, Obj> = { [base]: collection };
  if (verbs.has('get') || verbs.has('patch')) paths[`${base}/{name}`] = item;
  return paths;
}

/** `/openapi/v3/<gv>` for one served group-version, or undefined when it is not served. */
export function groupVersionDocument(resources: readonly ResourceInfo[], path: string): Obj | undefined {
  const served = resources.filter((r) => gvPath(r) === path);
  if (served.length === 0) return undefined;
  const paths: Obj = {};
  const schemas: Obj = {
    [`${META}.ObjectMeta`]: definitionSchema('ObjectMeta', META),
    [`${META}.OwnerReference`]: definitionSchema('OwnerReference', META),
  };
  for (const info of served) {
    Object.assign(paths, pathsOf(info));
    Object.assign(schemas, kindSchemas(info));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas },
  };
}

const hashOf = (doc: Obj) => createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();

/** `/openapi/v3`: every served group-version and the URL of its document. */
export function openApiV3Index(resources: readonly ResourceInfo[]): Obj {
  const gvs = [...new Set(resources.map(gvPath))].sort();
  const paths: Obj = {};
  for (const gv of gvs) {
    const doc = groupVersionDocument(resources, gv);
    if (doc) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hashOf(doc)}` };
  }
  return { paths };
}
