/**
 * kube-apiserver's audit log (`--audit-log-path`, policy level Metadata): one `audit.k8s.io/v1` Event per
 * request as a JSON line — who (user, source IP, user agent), what (verb, requestURI, objectRef) and the
 * response code (with the Status reason and message for failures). A real server writes two stages per
 * request (RequestReceived is usually omitted by policy; ResponseStarted for watches and other long-running
 * requests, then ResponseComplete). This simulator writes exactly one line per request: ResponseComplete,
 * or ResponseStarted for a watch (written when its stream opens, since a watch completes only when it ends).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from './rbac.ts';
import type { RequestInfo } from './request-info.ts';
import type { Status } from './status.ts';

/** What the pipeline learns about a request while it handles it. */
export interface AuditContext {
  received: Date;
  user?: UserInfo;
  info?: RequestInfo;
  /** The Status body of a failure response. */
  failure?: Status;
  written: boolean;
}

const microTime = (d: Date) => d.toISOString().replace(/Z$/, '000Z');

/** Appends audit events to a file, one JSON line each. */
export class AuditLog {
  readonly #path: string;
  readonly #now: () => Date;

  constructor(path: string, now: () => Date = () => new Date()) {
    this.#path = path;
    this.#now = now;
    appendFileSync(path, '');
  }

  begin(): AuditContext {
    return { received: this.#now(), written: false };
  }

  /** Writes the request's one line (later calls for the same request are ignored). */
  write(ctx: AuditContext, req: IncomingMessage, code: number, stage: 'ResponseComplete' | 'ResponseStarted'): void {
    if (ctx.written) return;
    ctx.written = true;
    const info = ctx.info;
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: randomUUID(),
      stage,
      requestURI: req.url ?? '/',
      verb: info?.verb ?? (req.method ?? 'GET').toLowerCase(),
      user: ctx.user
        ? { username: ctx.user.name, groups: ctx.user.groups }
        : { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      sourceIPs: [req.socket.remoteAddress ?? ''],
      userAgent: req.headers['user-agent'] ?? '',
    };
    if (info?.resourceRequest) {
      const ref: Record<string, string> = { resource: info.resource };
      if (info.namespace) ref.namespace = info.namespace;
      if (info.name) ref.name = info.name;
      if (info.group) ref.apiGroup = info.group;
      ref.apiVersion = info.version;
      if (info.subresource) ref.subresource = info.subresource;
      event.objectRef = ref;
    }
    const f = ctx.failure;
    event.responseStatus =
      f && f.code === code
        ? { metadata: {}, status: 'Failure', message: f.message, reason: f.reason, code }
        : { metadata: {}, code };
    event.requestReceivedTimestamp = microTime(ctx.received);
    event.stageTimestamp = microTime(this.#now());
    appendFileSync(this.#path, `${JSON.stringify(event)}\n`);
  }
}
