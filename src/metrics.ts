/**
 * kvlab's Prometheus metrics (prom-client), one registry per running bot, served at `GET /metrics`.
 * Names (docs/configuration.md "Metrics"):
 * - `kvlab_commands_total{kind}` — Slack requests received: `diagnose`, `status`, `explain`, `lint`, `help`,
 *   `usage`, or the button/modal kind (`block_actions`, `view_submission`);
 * - `kvlab_ack_duration_seconds` — from a request's arrival to kvlab's answer (Slack allows 3 s);
 * - `kvlab_jobs_total{kind,outcome}` — `completed`, `failed` (for good), `retried`, `delayed` (rate limit);
 *   `kvlab_job_duration_seconds{kind}`;
 * - `kvlab_queue_jobs{state}` — `waiting`, `active`, `delayed`, read from Redis at scrape time;
 * - `kvlab_upstream_requests_total{service,code}` and `kvlab_upstream_request_errors_total{service}` for
 *   `kubernetes`, `azure` and `slack` — every HTTP request the process makes to them, seen through Node's
 *   diagnostics channels (node:http and undici), so the vendor clients need no wrapping;
 * - `kvlab_slack_rate_limited_total{method}`, `kvlab_slack_retries_total{method}`;
 * - `kvlab_alerts_total{action}` — `posted`, `updated`; `kvlab_alerts_suppressed{reason}` — alerts the leading
 *   watcher holds back right now: `folded` into a class-wide alert or summary, or `muted`;
 * - `kvlab_audit_events_total`, and prom-client's default process metrics (`process_*`, `nodejs_*`).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type Service = 'kubernetes' | 'azure' | 'slack';

export interface MetricsOptions {
  /** `host:port` (or bare host) of each service, besides the public Azure and Slack hosts recognised by name. */
  origins?: Partial<Record<Service, string[]>>;
  /** Read at scrape time: job counts by state. */
  queueCounts?: () => Promise<Record<string, number>>;
}

export type Metrics = ReturnType<typeof createMetrics>;

const AZURE_HOST = /(^|\.)(login\.microsoftonline\.com|vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net)$/;
const SLACK_HOST = /(^|\.)slack\.com$/;

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const commands = counter('kvlab_commands_total', 'Slack requests received, by kind', ['kind']);
  const ackSeconds = new Histogram({
    name: 'kvlab_ack_duration_seconds',
    help: 'Time from a Slack request to kvlab’s answer (Slack allows 3 s)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [registry],
  });
  const jobs = counter('kvlab_jobs_total', 'Jobs by kind and outcome', ['kind', 'outcome']);
  const jobSeconds = new Histogram({
    name: 'kvlab_job_duration_seconds',
    help: 'Time a worker spent on one job attempt',
    labelNames: ['kind'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60],
    registers: [registry],
  });
  const queue = new Gauge({
    name: 'kvlab_queue_jobs',
    help: 'Jobs in the queue by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      if (!options.queueCounts) return;
      const counts = await options.queueCounts().catch(() => undefined);
      for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
    },
  });
  const upstream = counter('kvlab_upstream_requests_total', 'HTTP requests to Kubernetes, Azure and Slack', [
    'service',
    'code',
  ]);
  const upstreamErrors = counter(
    'kvlab_upstream_request_errors_total',
    'Requests to Kubernetes, Azure and Slack that failed (network error or HTTP status >= 400)',
    ['service'],
  );
  const rateLimited = counter('kvlab_slack_rate_limited_total', 'Slack 429 answers', ['method']);
  const slackRetries = counter('kvlab_slack_retries_total', 'Slack calls tried again after waiting', ['method']);
  const alerts = counter('kvlab_alerts_total', 'Alert messages by action', ['action']);
  let suppressedNow: (() => Record<string, number>) | undefined;
  new Gauge({
    name: 'kvlab_alerts_suppressed',
    help: 'Alerts the leading watcher holds back now: folded into a class-wide alert or summary, or muted',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(suppressedNow?.() ?? {})) this.set({ reason }, n);
    },
  });
  const audit = counter('kvlab_audit_events_total', 'Audit events written');

  const known = new Map<string, Service>();
  for (const [service, origins] of Object.entries(options.origins ?? {}) as Array<[Service, string[]]>) {
    for (const origin of origins) known.set(origin.toLowerCase(), service);
  }
  const serviceOf = (hostPort: string | undefined): Service | undefined => {
    if (!hostPort) return undefined;
    const key = hostPort.toLowerCase();
    const host = key.replace(/:\d+$/, '');
    return (
      known.get(key) ??
      known.get(host) ??
      (AZURE_HOST.test(host) ? 'azure' : SLACK_HOST.test(host) ? 'slack' : undefined)
    );
  };
  const seen = (hostPort: string | undefined, code: number | 'error') => {
    const service = serviceOf(hostPort);
    if (!service) return;
    upstream.inc({ service, code: String(code) });
    if (code === 'error' || code >= 400) upstreamErrors.inc({ service });
  };

  // node:http(s) (Azure SDK, Slack web-api) and undici (client-node, fetch) announce every request.
  type HttpReq = { getHeader?(name: string): unknown; host?: string };
  const hostOfHttp = (req: HttpReq) => String(req.getHeader?.('host') ?? req.host ?? '');
  const handlers: Record<string, (message: unknown) => void> = {
    'http.client.response.finish': (m) => {
      const { request, response } = m as { request: HttpReq; response: { statusCode?: number } };
      seen(hostOfHttp(request), response.statusCode ?? 0);
    },
    'http.client.request.error': (m) => seen(hostOfHttp((m as { request: HttpReq }).request), 'error'),
    'undici:request:headers': (m) => {
      const { request, response } = m as { request: { origin?: string }; response: { statusCode: number } };
      seen(hostOfOrigin(request.origin), response.statusCode);
    },
    'undici:request:error': (m) => seen(hostOfOrigin((m as { request: { origin?: string } }).request.origin), 'error'),
  };
  for (const [name, handler] of Object.entries(handlers)) subscribe(name, handler);

  return {
    registry,
    command: (kind: string) => commands.inc({ kind }),
    ack: (seconds: number) => ackSeconds.observe(seconds),
    job: (kind: string, outcome: 'completed' | 'failed' | 'retried' | 'delayed', seconds?: number) => {
      jobs.inc({ kind, outcome });
      if (seconds !== undefined) jobSeconds.observe({ kind }, seconds);
    },
    slackRateLimited: (method: string) => rateLimited.inc({ method }),
    slackRetry: (method: string) => slackRetries.inc({ method }),
    alert: (action: 'posted' | 'updated') => alerts.inc({ action }),
    /** Where `kvlab_alerts_suppressed` reads its counts at scrape time (the watcher role). */
    suppressedFrom: (read: () => Record<string, number>) => {
      suppressedNow = read;
    },
    audited: () => audit.inc(),
    queue,
    /** The Prometheus text exposition. */
    text: () => registry.metrics(),
    contentType: registry.contentType,
    close() {
      for (const [name, handler] of Object.entries(handlers)) unsubscribe(name, handler);
      registry.clear();
    },
  };
}

function hostOfOrigin(origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** `host:port` of a URL, for {@link MetricsOptions.origins}. */
export function originOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    return [u.host];
  } catch {
    return [];
  }
}
