/**
 * Composition root of the Slack bot: wires the roles `kvlab serve` runs in one process — the receiver (Bolt +
 * handlers + queue producer) and/or the worker (BullMQ worker + engine + Slack poster) — over one Redis.
 * Tests and benchmarks start the bot through this same function. Every role serves `/healthz`, `/readyz` and
 * `/metrics` (src/health.ts): on the receiver's port, or on KVLAB_HEALTH_PORT. `close()` stops in the safe order:
 * readiness fails, the watcher releases its Lease, receiving stops, running jobs finish within
 * KVLAB_SHUTDOWN_GRACE_MS (then go back to the queue), then the queue and Redis close.
 */

import type { KubeConfig } from '@kubernetes/client-node';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GatherOptions, Ports } from '../../diagnostics/gather/gather-evidence.ts';
import type { ClassReader } from '../../diagnostics/ports/class-reader.ts';
import { registerHandlers } from '../../handlers/register.ts';
import { createSlackChatPoster, createWebClient } from '../adapters/slack-chat-poster.ts';
import { createAuditLog } from '../audit.ts';
import { type BotEnvConfig, redisTargetOf } from '../config.ts';
import { healthRoutes, type Probe, startHealthServer } from '../health.ts';
import type { Logger } from '../logger.ts';
import { createMetrics, type Metrics, originOf } from '../metrics.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import { createBullDiagnosisQueue } from '../queue/bullmq-diagnosis-queue.ts';
import { createChannelPacer } from '../queue/channel-pacer.ts';
import { createDeliveryLedger } from '../queue/delivery-ledger.ts';
import { bullConnection, createRedis, DIAGNOSIS_QUEUE, redisKeys } from '../queue/redis.ts';
import { createUserRateLimit } from '../queue/user-rate-limit.ts';
import type { NamespaceFacts } from '../roster/authorize.ts';
import type { Roster } from '../roster/roster.ts';
import { alertKeys, createAlertStore } from '../watcher/alert-store.ts';
import { loadWatcherSettings } from '../watcher/settings.ts';
import type { WatcherRole } from '../watcher/start-watcher.ts';
import { startDiagnosisWorker } from '../worker/start-worker.ts';

export interface BotDeps {
  config: BotEnvConfig;
  log: Logger;
  /** The roster (receiver role). */
  roster?: Roster;
  /** The diagnostic engine's ports and options, and the class reader for status (worker role). */
  engine?: { ports: Ports; gather: GatherOptions; classes?: ClassReader };
  /** Namespace labels/annotation lookup for rosters that need it (receiver role). */
  namespaceFacts?: (namespace: string) => Promise<NamespaceFacts | undefined>;
  /** Address the HTTP receiver binds to (default: all interfaces). */
  host?: string;
  /** The watcher role's cluster access and its settings' environment (watcher role). */
  watcher?: { kubeconfig: KubeConfig; env: NodeJS.ProcessEnv; identity?: string };
  /** The cluster this process reads, for readiness (`/version` answers) and request metrics. */
  kubeconfig?: KubeConfig;
  /** The same without client-node (a worker on the lean engine, src/lean-engine.ts); wins over `kubeconfig`. */
  cluster?: { server: string; version(): Promise<unknown> };
  /** `host:port` of Entra ID and Key Vault when they are not the public Azure hosts (the simulators). */
  azureOrigins?: string[];
}

export interface RunningBot {
  /** The HTTP receiver's port, when it runs over HTTP. */
  port?: number;
  /** The watcher role, when it runs in this process. */
  watcher?: WatcherRole;
  /** Port of `/healthz`, `/readyz`, `/metrics` when a separate health server serves them (no HTTP receiver). */
  healthPort?: number;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function startBot(deps: BotDeps): Promise<RunningBot> {
  const { config, log } = deps;
  const runsReceiver = config.role === 'all' || config.role === 'receiver';
  const runsWorker = config.role === 'all' || config.role === 'worker';
  // `all` runs the watcher when given cluster access (kvlab serve does; bot tests that need no alerts do not).
  const runsWatcher = config.role === 'watcher' || (config.role === 'all' && deps.watcher !== undefined);
  const alertStores = (cluster: string) => createAlertStore(redis, alertKeys(config.KVLAB_REDIS_PREFIX, cluster));
  const redisTarget = redisTargetOf(config);
  const redis = createRedis(redisTarget);
  redis.on('error', (err) => log.warn({ err: { message: err.message } }, 'Redis connection error'));
  const keys = redisKeys(config.KVLAB_REDIS_PREFIX);
  const ledger = createDeliveryLedger(redis, keys);
  const closers: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const close = async () => {
    stopping = true;
    for (const step of closers.reverse())
      await step().catch((err: unknown) => log.warn({ err }, 'shutdown step failed'));
    closers.length = 0;
  };
  closers.push(() => redis.quit());
  // Queue depth for /metrics, read at scrape time.
  const countsQueue = new Queue(DIAGNOSIS_QUEUE, {
    connection: bullConnection(redisTarget),
    prefix: config.KVLAB_REDIS_PREFIX,
  });
  closers.push(() => countsQueue.close());
  const kubeconfig = deps.kubeconfig ?? deps.watcher?.kubeconfig;
  const metrics = createMetrics({
    origins: {
      slack: originOf(config.SLACK_API_URL),
      kubernetes: originOf(deps.cluster?.server ?? kubeconfig?.getCurrentCluster()?.server),
      azure: deps.azureOrigins ?? [],
    },
    queueCounts: () => countsQueue.getJobCounts('waiting', 'active', 'delayed'),
  });
  closers.push(async () => metrics.close());
  const audit = createAuditLog({
    redis,
    prefix: config.KVLAB_REDIS_PREFIX,
    maxLen: config.KVLAB_AUDIT_MAXLEN,
    log,
    onRecorded: metrics.audited,
  });
  const posterHooks = {
    onRateLimited: (method: string) => metrics.slackRateLimited(method),
    onRetry: (method: string) => metrics.slackRetry(method),
  };
  /** The queue producer the receiver and the watcher share (one connection, closed once). */
  let producer: ReturnType<typeof createBullDiagnosisQueue> | undefined;
  const producerQueue = () => {
    if (!producer) {
      const queue = createBullDiagnosisQueue({
        redisUrl: redisTarget,
        prefix: config.KVLAB_REDIS_PREFIX,
        attempts: config.KVLAB_JOB_ATTEMPTS,
        backoffMs: config.KVLAB_JOB_BACKOFF_MS,
      });
      closers.push(() => queue.close());
      producer = queue;
    }
    return producer;
  };
  /** A Slack poster; `paced` ones (worker, watcher) keep Slack's per-channel pace and wait out 429s. */
  const slackPoster = (paced: boolean) =>
    createSlackChatPoster({
      token: config.SLACK_BOT_TOKEN,
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      log,
      ...(paced
        ? {
            pace: createChannelPacer(redis, keys, config.KVLAB_SLACK_PACE_MS, config.KVLAB_SLACK_PACE_BURST),
            maxRateLimitWaitMs: config.KVLAB_SLACK_MAX_WAIT_MS,
            ...posterHooks,
          }
        : {}),
    });
  const routes = healthRoutes({
    probes: await readinessProbes(config, log, redis, deps.cluster ?? kubeconfig),
    metrics,
    stopping: () => stopping,
  });
  try {
    let port: number | undefined;
    if (runsWorker) {
      if (!deps.engine) throw new Error('startBot: the worker role needs the diagnostic engine');
      const poster = slackPoster(true);
      const worker = startDiagnosisWorker(
        {
          redisUrl: redisTarget,
          prefix: config.KVLAB_REDIS_PREFIX,
          concurrency: config.KVLAB_WORKER_CONCURRENCY,
          lockMs: config.KVLAB_JOB_LOCK_MS,
          attempts: config.KVLAB_JOB_ATTEMPTS,
          backoffMs: config.KVLAB_JOB_BACKOFF_MS,
        },
        {
          engine: deps.engine,
          poster,
          ledger,
          log,
          alerts: alertStores,
          status: { redis, keys },
          metrics,
          audit,
          giveUpMs: config.KVLAB_SLACK_GIVE_UP_MS,
        },
      );
      closers.push(() => worker.close(config.KVLAB_SHUTDOWN_GRACE_MS));
      log.info({ concurrency: config.KVLAB_WORKER_CONCURRENCY }, 'worker started');
    }
    if (runsReceiver) {
      if (!deps.roster) throw new Error('startBot: the receiver role needs the roster');
      const queue = producerQueue();
      // Bolt (~25 MB resident) only where it receives: a worker or watcher never loads it.
      const { createBoltApp } = await import('./create-bolt-app.ts');
      const bolt = await createBoltApp(config, log, { routes, metrics });
      bolt.app.use(async ({ body, next }) => {
        const request = describeRequest(body as Record<string, unknown>);
        metrics.command(request.kind);
        void audit.record({ stage: 'received', ...request.audit });
        await next();
      });
      registerHandlers(bolt.app, {
        queue,
        roster: deps.roster,
        rateLimit: createUserRateLimit(redis, keys, config.KVLAB_USER_RATE_LIMIT),
        reports: ledger,
        poster: slackPoster(false),
        ...(deps.namespaceFacts ? { namespaceFacts: deps.namespaceFacts } : {}),
        mutes: {
          mute: (cluster, namespace, pod, untilMs) => alertStores(cluster).mute(namespace, pod, untilMs),
          muteMs: loadWatcherSettings(deps.watcher?.env ?? {}).muteMs,
        },
        log: log.child({ component: 'receiver' }),
      });
      ({ port } = await bolt.start(deps.host));
      closers.push(() => bolt.stop());
      log.info({ mode: bolt.mode, port }, 'receiver started');
    }
    let watcher: WatcherRole | undefined;
    if (runsWatcher) {
      if (!deps.roster || !deps.watcher)
        throw new Error('startBot: the watcher role needs the roster and a kubeconfig');
      const queue = producerQueue();
      // Loaded only here: the watcher's informers need client-node, which a worker on the lean engine never loads.
      const { startWatcherRole } = await import('../watcher/start-watcher.ts');
      const role = startWatcherRole({
        env: deps.watcher.env,
        prefix: config.KVLAB_REDIS_PREFIX,
        roster: deps.roster,
        kubeconfig: deps.watcher.kubeconfig,
        redis,
        queue,
        poster: countAlertEdits(slackPoster(true), metrics),
        ledger,
        log,
        ...(deps.watcher.identity ? { identity: deps.watcher.identity } : {}),
      });
      watcher = role;
      closers.push(() => role.close());
      metrics.suppressedFrom(() => {
        const counts = { folded: 0, muted: 0 };
        const now = Date.now();
        for (const alert of role.current()?.state.alerts.values() ?? []) {
          if (alert.status === 'folded') counts.folded++;
          else if (alert.status !== 'resolved' && alert.mutedUntil !== undefined && alert.mutedUntil > now)
            counts.muted++;
        }
        return counts;
      });
    }
    let healthPort: number | undefined;
    if (port === undefined) {
      // No HTTP receiver here (worker, watcher, Socket Mode): a small server of its own for probes and scrapes.
      const health = await startHealthServer(routes, config.KVLAB_HEALTH_PORT ?? config.PORT, deps.host);
      healthPort = health.port;
      closers.splice(1, 0, () => health.close()); // closes just before Redis
      log.info({ port: healthPort }, 'health server started');
    }
    return {
      ...(port !== undefined ? { port } : {}),
      ...(watcher ? { watcher } : {}),
      ...(healthPort !== undefined ? { healthPort } : {}),
      metrics,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** What `/readyz` checks: Redis, the Kubernetes API (when this process reads it) and the bot token. */
async function readinessProbes(
  config: BotEnvConfig,
  log: Logger,
  redis: Redis,
  cluster?: KubeConfig | { version(): Promise<unknown> },
): Promise<Probe[]> {
  const probes: Probe[] = [{ name: 'redis', check: () => redis.ping() }];
  if (cluster && 'version' in cluster) {
    probes.push({ name: 'kubernetes', check: () => cluster.version() });
  } else if (cluster) {
    const { VersionApi } = await import('@kubernetes/client-node');
    const version = cluster.makeApiClient(VersionApi);
    probes.push({ name: 'kubernetes', check: () => version.getCode() });
  }
  const slack = createWebClient({
    token: config.SLACK_BOT_TOKEN,
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    log,
    timeoutMs: 2_000,
  });
  // A token that worked stays good for a minute; auth.test is Tier 4, but probes run every few seconds.
  let slackOkUntil = 0;
  probes.push({
    name: 'slack',
    check: async () => {
      if (Date.now() < slackOkUntil) return;
      await slack.auth.test();
      slackOkUntil = Date.now() + 60_000;
    },
  });
  return probes;
}

/** The kind of a Slack request (for metrics) and who asked what (for the audit log) — no pasted text. */
function describeRequest(body: Record<string, unknown>): {
  kind: string;
  audit: { user: string; action: string; channel?: string; namespace?: string; pod?: string; class?: string };
} {
  const user = String(body.user_id ?? (body.user as { id?: string } | undefined)?.id ?? 'unknown');
  const channel = body.channel_id ?? (body.channel as { id?: string } | undefined)?.id;
  const where = typeof channel === 'string' ? { channel } : {};
  if (typeof body.command === 'string') {
    const words = String(body.text ?? '')
      .trim()
      .split(/\s+/);
    const sub = words[0]?.toLowerCase() ?? '';
    const kind = ['diagnose', 'status', 'explain', 'lint', 'help'].includes(sub) ? sub : sub ? 'usage' : 'help';
    const target: { namespace?: string; pod?: string; class?: string } = {};
    if (kind === 'diagnose') {
      const n = words.findIndex((w) => w === '-n' || w === '--namespace');
      if (n > 0 && words[n + 1]) target.namespace = words[n + 1]?.slice(0, 63);
      const pod = words.slice(1).find((w, i) => !w.startsWith('-') && words[i] !== '-n' && words[i] !== '--namespace');
      if (pod) target.pod = pod.slice(0, 253);
    }
    if (kind === 'status' && words[1]) target.class = words[1].slice(0, 63);
    return { kind, audit: { user, action: kind, ...where, ...target } };
  }
  const type = typeof body.type === 'string' ? body.type : 'other';
  const action = (body.actions as Array<{ action_id?: string }> | undefined)?.[0]?.action_id;
  return { kind: type, audit: { user, action: action ?? type, ...where } };
}

/** The watcher's poster, counting alert edits (`chat.update`) and thread notes for `kvlab_alerts_total`. */
function countAlertEdits(poster: ChatPoster, metrics: Metrics): ChatPoster {
  return {
    ...poster,
    post: async (...args) => {
      const posted = await poster.post(...args);
      metrics.alert('posted');
      return posted;
    },
    update: async (...args) => {
      await poster.update(...args);
      metrics.alert('updated');
    },
  };
}
