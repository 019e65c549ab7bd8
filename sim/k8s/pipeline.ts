/**
 * One request through the simulated kube-apiserver, in the real filter order: request counting and fault
 * injection (test controls), authentication (401), authorization on the request attributes (403, before
 * routing, as RBAC runs before the mux), then discovery / OIDC / resource routing (plain-text 404 for
 * anything not served). Every failure is answered, never thrown: unexpected errors become 500 Status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../common/http.ts';
import type { AuditContext, AuditLog } from './audit.ts';
import type { Authenticator } from './authn.ts';
import {
  coreVersions,
  groupDocument,
  groupList,
  openIdConfiguration,
  resourceList,
  SERVER_VERSION,
} from './discovery.ts';
import type { FaultInjector, RequestCounter } from './faults.ts';
import { handleResource } from './handlers.ts';
import { groupVersionDocument, openApiV3Index } from './openapi.ts';
import { authorize, forbiddenReason, type UserInfo } from './rbac.ts';
import { type RequestInfo, type ResourceRequestInfo, requestInfo, routeTemplate } from './request-info.ts';
import type { ResourceInfo } from './resources.ts';
import { forbidden, genericStatus, internalError, StatusError, unauthorized } from './status.ts';
import type { ObjectStore } from './store.ts';
import type { ServiceAccountTokenIssuer } from './tokens.ts';
import type { ActiveWatch } from './watch.ts';

/** Shared state every request handler needs. */
export interface PipelineDeps {
  store: ObjectStore;
  tokens: ServiceAccountTokenIssuer;
  authenticator: Authenticator;
  faults: FaultInjector;
  requests: RequestCounter;
  watches: Set<ActiveWatch>;
  now: () => Date;
  /** When set, every request is written to this audit log. */
  audit?: AuditLog;
  /** This server's HTTPS base URL (for the OIDC jwks_uri). */
  httpsUrl(): string;
}

const PUBLIC_PATHS = new Set([
  '/version',
  '/healthz',
  '/livez',
  '/readyz',
  '/.well-known/openid-configuration',
  '/openid/v1/jwks',
]);
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
  extra: Record<string, string> = {},
): void {
  const text = typeof body === 'string' && contentType !== 'application/json' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', ...extra });
  res.end(text);
}

const sendStatus = (res: ServerResponse, e: StatusError) =>
  sendJson(
    res,
    e.status.code,
    e.status,
    'application/json',
    e.status.details?.retryAfterSeconds ? { 'Retry-After': String(e.status.details.retryAfterSeconds) } : {},
  );

/** Go's `http.NotFound`, which is what a real server answers for paths no handler serves. */
function pageNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end('404 page not found\n');
}

async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBody(req, MAX_BODY_BYTES);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
  }
}

/** Handles one HTTP request end to end. */
export async function handleRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const audit = deps.audit;
  const ctx = audit?.begin();
  if (audit && ctx) res.on('finish', () => audit.write(ctx, req, res.statusCode, 'ResponseComplete'));
  try {
    await pipeline(deps, req, res, ctx);
  } catch (e) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const error = e instanceof StatusError ? e : internalError((e as Error)?.message ?? String(e));
    if (ctx) ctx.failure = error.status;
    sendStatus(res, error);
  }
}

async function pipeline(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AuditContext | undefined,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const info = requestInfo(method, path, url.searchParams);
  if (ctx) ctx.info = info;
  const watch = info.resourceRequest && info.verb === 'watch';
  const route = routeTemplate(method, info, watch);
  deps.requests.increment(route);

  const fault = deps.faults.take({ method, path, template: route.slice(route.indexOf(' ') + 1), watch });
  if (fault?.latencyMs) await sleep(fault.latencyMs);
  if (fault?.drop) {
    req.socket.destroy();
    return;
  }
  if (fault?.status) throw genericStatus(fault.status);

  const body = await readRequestBody(req);
  const auth = deps.authenticator.authenticate(req.headers);
  if (auth.kind === 'invalid') throw unauthorized();
  if (PUBLIC_PATHS.has(path) && !info.resourceRequest) {
    servePublic(deps, path, res);
    return;
  }
  if (auth.kind === 'anonymous') throw unauthorized();
  const user = auth.user;
  if (ctx) ctx.user = user;
  authorizeRequest(deps.store, user, info);

  if (!info.resourceRequest) {
    serveDiscovery(deps.store, path, req, res);
    return;
  }
  const resource = resolve(deps.store, info);
  if (!resource) {
    pageNotFound(res);
    return;
  }
  const warnings = resource.deprecationWarning ? [resource.deprecationWarning] : [];
  const reply = handleResource(
    {
      store: deps.store,
      tokens: deps.tokens,
      now: deps.now,
      user,
      method,
      info,
      resource,
      query: url.searchParams,
      headers: req.headers,
      body,
      ...(fault?.closeWatchAfterMs !== undefined ? { closeWatchAfterMs: fault.closeWatchAfterMs } : {}),
    },
    res,
  );
  if ('watch' in reply) {
    if (ctx) deps.audit?.write(ctx, req, 200, 'ResponseStarted');
    deps.watches.add(reply.watch);
    res.on('close', () => deps.watches.delete(reply.watch));
    return;
  }
  warnings.push(...(reply.warnings ?? []));
  const header = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  if (header.length > 0) res.setHeader('Warning', header);
  sendJson(res, reply.status, reply.body, reply.contentType);
}

function authorizeRequest(store: ObjectStore, user: UserInfo, info: RequestInfo): void {
  const attrs = info.resourceRequest
    ? {
        resourceRequest: true as const,
        verb: info.verb,
        group: info.group,
        resource: info.resource,
        subresource: info.subresource,
        namespace: info.namespace,
        name: info.name,
      }
    : { resourceRequest: false as const, verb: info.verb, path: info.path };
  const decision = authorize(store, user, attrs);
  if (decision.allowed) return;
  const gr = info.resourceRequest ? { group: info.group, resource: info.resource } : { group: '', resource: '' };
  throw forbidden(gr, info.resourceRequest ? info.name : '', forbiddenReason(user, attrs, decision));
}

function servePublic(deps: PipelineDeps, path: string, res: ServerResponse): void {
  if (path === '/version') sendJson(res, 200, SERVER_VERSION);
  else if (path === '/.well-known/openid-configuration') {
    sendJson(res, 200, openIdConfiguration(deps.tokens.issuer, `${deps.httpsUrl()}/openid/v1/jwks`));
  } else if (path === '/openid/v1/jwks') sendJson(res, 200, deps.tokens.jwks, 'application/jwk-set+json');
  else sendJson(res, 200, 'ok', 'text/plain; charset=utf-8');
}

function serveDiscovery(store: ObjectStore, path: string, req: IncomingMessage, res: ServerResponse): void {
  const resources = store.resources();
  const parts = path.split('/').filter(Boolean);
  let doc: unknown;
  if (path === '/openapi/v3') doc = openApiV3Index(resources);
  else if (path.startsWith('/openapi/v3/')) doc = groupVersionDocument(resources, path.slice('/openapi/v3/'.length));
  else if (path === '/api') doc = coreVersions(req.headers.host ?? '127.0.0.1');
  else if (path === '/apis') doc = groupList(resources);
  else if (parts[0] === 'api' && parts.length === 2) doc = resourceList(resources, '', parts[1] ?? '');
  else if (parts[0] === 'apis' && parts.length === 2) doc = groupDocument(resources, parts[1] ?? '');
  else if (parts[0] === 'apis' && parts.length === 3) doc = resourceList(resources, parts[1] ?? '', parts[2] ?? '');
  if (doc === undefined) pageNotFound(res);
  else sendJson(res, 200, doc);
}

/** The served resource for a request, or undefined when no route exists (wrong scope, unknown subresource…). */
function resolve(store: ObjectStore, info: ResourceRequestInfo): ResourceInfo | undefined {
  if ((info.apiPrefix === 'api') !== (info.group === '')) return undefined;
  const resource = store
    .resources()
    .find((r) => r.group === info.group && r.version === info.version && r.resource === info.resource);
  if (!resource || info.parts.length > 3) return undefined;
  if (info.subresource && !resource.subresources[info.subresource]) return undefined;
  const isNamespaceObject = resource.storage === '/Namespace';
  if (!resource.namespaced && info.namespace && !isNamespaceObject) return undefined;
  if (resource.namespaced && !info.namespace && info.parts[1] !== undefined) return undefined;
  if (resource.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb)) return undefined;
  return resource;
}
