/**
 * A minimal Kubernetes REST client over node:https, for the CLI's diagnose and status paths: one keep-alive agent
 * with the kubeconfig's CA and client certificate, a bearer token (re-read from its file once a minute, as bound
 * ServiceAccount tokens rotate), JSON in and out. It loads in a few milliseconds where @kubernetes/client-node
 * takes about half a second (bench/README.md). Objects come back as the API server's JSON (timestamps stay
 * strings; client-node turns them into Dates — the engine reads both).
 *
 * A non-2xx answer throws {@link K8sHttpError}, shaped like client-node's ApiException (numeric `code`, the raw
 * `body`, `headers`), so src/adapters/k8s-errors.ts translates both the same way; a network failure throws the
 * socket's error, which it translates as "could not be reached".
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { LeanKubeTarget } from './k8s-lean-config.ts';

/** Same shape as client-node's ApiException: what src/adapters/k8s-errors.ts reads. */
export class K8sHttpError extends Error {
  readonly code: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
  constructor(code: number, body: string, headers: Record<string, string | string[] | undefined>) {
    super(`HTTP-Code: ${code}`);
    this.name = 'K8sHttpError';
    this.code = code;
    this.body = body;
    this.headers = headers;
  }
}

export interface K8sRequest {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  accept?: string;
}

export interface K8sTransport {
  json<T>(req: K8sRequest): Promise<T>;
  /**
   * Resolves once every request made so far has been written to its connection (TLS handshake done) — when none
   * is waiting to be written, once the next ones are; with `next`, once requests made after this call are: from then on this process only waits for
   * answers, so CPU work started then (loading the Azure SDKs) overlaps the wait instead of delaying the requests.
   * (A request is only written when the event loop gets a turn after its socket connects; CPU work before that
   * delays it.)
   */
  sent?(options?: { next?: boolean }): Promise<void>;
}

/** An answer larger than this is refused rather than buffered (a list of every pod of a big cluster is ~50 MB). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const TOKEN_REREAD_MS = 60_000;

export function createK8sTransport(target: LeanKubeTarget): K8sTransport {
  const url = new URL(target.server);
  // One TLS context for all connections (round 1 opens several at once): CA and client certificate parsed once.
  const custom = target.ca || target.cert || target.key;
  const agent = new Agent({
    keepAlive: true,
    ...(custom
      ? {
          secureContext: createSecureContext({
            ...(target.ca ? { ca: target.ca } : {}),
            ...(target.cert ? { cert: target.cert } : {}),
            ...(target.key ? { key: target.key } : {}),
          }),
        }
      : {}),
    rejectUnauthorized: target.rejectUnauthorized,
    ...(target.servername ? { servername: target.servername } : {}),
  });
  let fileToken: { value: string; readAt: number } | undefined;
  const token = (): string | undefined => {
    if (target.token) return target.token;
    if (!target.tokenFile) return undefined;
    if (!fileToken || Date.now() - fileToken.readAt > TOKEN_REREAD_MS) {
      fileToken = { value: readFileSync(target.tokenFile, 'utf8').trim(), readAt: Date.now() };
    }
    return fileToken.value;
  };
  const prefix = url.pathname.replace(/\/+$/, '');
  let unsent = 0;
  /** Requests made so far; a waiter resolves when all are written and more than `after` were made. */
  let made = 0;
  let waiting: Array<{ after: number; resolve: () => void }> = [];
  const settled = () => {
    if (--unsent > 0) return;
    for (const w of waiting) if (made > w.after) w.resolve();
    waiting = waiting.filter((w) => made <= w.after);
  };

  return {
    json<T>(req: K8sRequest): Promise<T> {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) search.set(k, String(v));
      const qs = search.toString();
      const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
      const bearer = token();
      return new Promise<T>((resolve, reject) => {
        const r = request(
          {
            agent,
            protocol: 'https:',
            hostname: url.hostname.replace(/^\[|\]$/g, ''),
            port: url.port || 443,
            method: req.method ?? 'GET',
            path: `${prefix}${req.path}${qs ? `?${qs}` : ''}`,
            headers: {
              Accept: req.accept ?? 'application/json',
              'User-Agent': 'kvlab',
              ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
              ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_BODY_BYTES) {
                res.destroy(new Error(`the answer to ${req.path} is larger than ${MAX_BODY_BYTES} bytes`));
                return;
              }
              chunks.push(chunk);
            });
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
              if (status < 200 || status >= 300) {
                reject(new K8sHttpError(status, text, res.headers));
                return;
              }
              try {
                resolve(JSON.parse(text) as T);
              } catch (err) {
                reject(new Error(`the Kubernetes API answered ${req.path} with invalid JSON`, { cause: err }));
              }
            });
          },
        );
        unsent++;
        made++;
        let counted = true;
        const written = () => {
          if (!counted) return;
          counted = false;
          settled();
        };
        r.on('finish', written);
        r.on('close', written);
        r.on('error', reject);
        r.end(payload);
      });
    },
    sent: (options) => {
      if (made > 0 && unsent === 0 && !options?.next) return Promise.resolve();
      const after = options?.next ? made : 0;
      return new Promise<void>((resolve) => waiting.push({ after, resolve }));
    },
  };
}
