/**
 * Health, readiness and metrics over HTTP, the same on every role: `GET /healthz` answers 200 while the process
 * serves; `GET /readyz` runs the role's probes (Redis answers, the Kubernetes API answers, Slack accepted the bot
 * token) and answers 200 or 503 with which one failed, and 503 once shutdown began; `GET /metrics` is the
 * Prometheus text format. The receiver serves these routes on its own port (PORT); roles without the HTTP
 * receiver start {@link startHealthServer} on KVLAB_HEALTH_PORT.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.ts';

export interface Probe {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<unknown>;
}

export interface HealthState {
  probes: Probe[];
  metrics?: Metrics;
  /** True once shutdown began: readiness fails so traffic drains. */
  stopping(): boolean;
}

const PROBE_TIMEOUT_MS = 2_000;
/** Readiness results are reused this long, so frequent probes do not hammer Redis, Kubernetes or Slack. */
const PROBE_CACHE_MS = 2_000;

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** The routes for `state`, keyed by path. */
export function healthRoutes(state: HealthState): Record<string, Route> {
  let cached: { at: number; result: Promise<Record<string, string>> } | undefined;
  const runProbes = () => {
    if (cached && Date.now() - cached.at < PROBE_CACHE_MS) return cached.result;
    const result = Promise.all(
      state.probes.map(async (p) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        });
        try {
          await Promise.race([p.check(), timeout]);
          return [p.name, 'ok'] as const;
        } catch (err) {
          return [p.name, `failed: ${brief(err)}`] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    ).then((entries) => Object.fromEntries(entries));
    cached = { at: Date.now(), result };
    return result;
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(body)}\n`);
  };
  return {
    '/healthz': (_req, res) => json(res, 200, { status: 'ok' }),
    '/readyz': (_req, res) => {
      if (state.stopping()) return json(res, 503, { ready: false, reason: 'shutting down' });
      runProbes().then(
        (checks) =>
          json(res, Object.values(checks).every((c) => c === 'ok') ? 200 : 503, {
            ready: Object.values(checks).every((c) => c === 'ok'),
            checks,
          }),
        (err: unknown) => json(res, 503, { ready: false, reason: brief(err) }),
      );
    },
    '/metrics': (_req, res) => {
      if (!state.metrics) return json(res, 404, { error: 'metrics are off' });
      const { metrics } = state;
      metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        },
        (err: unknown) => json(res, 500, { error: brief(err) }),
      );
    },
  };
}

/** Serves `routes` for GET requests; true when it answered. */
export function serveRoute(routes: Record<string, Route>, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const route = routes[(req.url ?? '/').split('?')[0] as string];
  if (!route) return false;
  route(req, res);
  return true;
}

/** The health server of roles without the HTTP receiver. */
export async function startHealthServer(
  routes: Record<string, Route>,
  port: number,
  host?: string,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (!serveRoute(routes, req, res)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A failure in a few words: a message or code, never a stack, never a credential (probes pass none in). */
function brief(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return String(e?.message ?? e?.code ?? err).slice(0, 200);
}
