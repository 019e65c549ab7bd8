/**
 * Classifies a request the way apiserver's `RequestInfoFactory` does (`pkg/endpoints/request/requestinfo.go`):
 * resource vs non-resource, group/version/namespace/resource/name/subresource, and the RBAC verb
 * (get/list/watch/create/update/patch/delete/deletecollection). This runs before routing, so authorization
 * sees the same attributes a real server's would, even for resources that do not exist.
 */

/** A request for a non-resource path (`/version`, `/apis`, `/healthz` …). */
export interface NonResourceInfo {
  resourceRequest: false;
  path: string;
  verb: string;
}

/** A request under `/api` or `/apis` for a resource, decomposed like apiserver's RequestInfo. */
export interface ResourceRequestInfo {
  resourceRequest: true;
  path: string;
  verb: string;
  apiPrefix: 'api' | 'apis';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** Path segments from the resource on; more than three means no route matches. */
  parts: string[];
}

export type RequestInfo = NonResourceInfo | ResourceRequestInfo;

const METHOD_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** `watch` is on for any value except `false`/`0` (apiserver's fallback parsing). */
const isWatch = (query: URLSearchParams): boolean => {
  const v = query.get('watch');
  return v !== null && !['false', '0'].includes(v.toLowerCase());
};

/** Derives request attributes from method, path and query, exactly as the authorizer will see them. */
export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const nonResource: NonResourceInfo = {
    resourceRequest: false,
    path,
    verb: (method === 'HEAD' ? 'get' : method).toLowerCase(),
  };
  let parts = path.split('/').filter((p) => p !== '');
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource;
  const apiPrefix = parts[0] as 'api' | 'apis';
  parts = parts.slice(1);
  let group = '';
  if (apiPrefix === 'apis') {
    if (parts.length < 3) return nonResource;
    group = parts[0] ?? '';
    parts = parts.slice(1);
  }
  const version = parts[0] ?? '';
  parts = parts.slice(1);
  let verb = METHOD_VERBS[method] ?? '';
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] ?? '';
    if (parts.length > 2 && parts[2] !== 'status' && parts[2] !== 'finalize') parts = parts.slice(2);
  }
  const resource = parts[0] ?? '';
  let name = parts[1] ?? '';
  const subresource = parts[2] ?? '';
  if (!name && verb === 'get') {
    verb = isWatch(query) ? 'watch' : 'list';
    // A list narrowed to one name by field selector is authorized against that name (resourceNames rules).
    const exact = /(?:^|,)metadata\.name==?([^,\\]+)(?:,|$)/.exec(query.get('fieldSelector') ?? '');
    if (exact?.[1]) name = exact[1];
  }
  if (!parts[1] && verb === 'delete') verb = 'deletecollection';
  return {
    resourceRequest: true,
    path,
    verb,
    apiPrefix,
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
    parts,
  };
}

/**
 * The request-counter key: method plus path template, e.g. `GET /api/v1/namespaces/{namespace}/pods/{name}`.
 * Watches count as `WATCH …` so tests can tell a relist from a re-watch.
 */
export function routeTemplate(method: string, info: RequestInfo, watch: boolean): string {
  if (!info.resourceRequest) return `${method} ${info.path}`;
  const base = info.apiPrefix === 'api' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const isNamespaceObject = info.group === '' && info.resource === 'namespaces';
  const ns = info.namespace && !isNamespaceObject ? '/namespaces/{namespace}' : '';
  const named = info.parts[1] !== undefined ? '/{name}' : '';
  const sub = info.subresource ? `/${info.subresource}` : '';
  const extra = info.parts.length > 3 ? `/${info.parts.slice(3).join('/')}` : '';
  return `${watch && !named ? 'WATCH' : method} ${base}${ns}/${info.resource}${named}${sub}${extra}`;
}
