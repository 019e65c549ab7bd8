/**
 * Composition root of the Slack bot: wires the roles `kvlab serve` runs in one process — the receiver (Bolt +
 * handlers + queue producer) and/or the worker (BullMQ worker + engine + Slack poster) — over one Redis.
 * Tests and benchmarks start the bot through this same function. `close()` stops in the safe order: stop
 * receiving, let running jobs finish (`worker.close()`), then close the queue and Redis.
 */

import type { KubeConfig } from '@kubernetes/client-node';
import type { GatherOptions, Ports } from '../../diagnostics/gather/gather-evidence.ts';
import type { ClassReader } from '../../diagnostics/ports/class-reader.ts';
import { registerHandlers } from '../../handlers/register.ts';
import { createSlackChatPoster } from '../adapters/slack-chat-poster.ts';
import type { BotEnvConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createBullDiagnosisQueue } from '../queue/bullmq-diagnosis-queue.ts';
import { createChannelPacer } from '../queue/channel-pacer.ts';
import { createDeliveryLedger } from '../queue/delivery-ledger.ts';
import { createRedis, redisKeys } from '../queue/redis.ts';
import { createUserRateLimit } from '../queue/user-rate-limit.ts';
import type { NamespaceFacts } from '../roster/authorize.ts';
import type { Roster } from '../roster/roster.ts';
import { alertKeys, createAlertStore } from '../watcher/alert-store.ts';
import { loadWatcherSettings } from '../watcher/settings.ts';
import { startWatcherRole, type WatcherRole } from '../watcher/start-watcher.ts';
import { startDiagnosisWorker } from '../worker/start-worker.ts';
import { createBoltApp } from './create-bolt-app.ts';

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
}

export interface RunningBot {
  /** The HTTP receiver's port, when it runs over HTTP. */
  port?: number;
  /** The watcher role, when it runs in this process. */
  watcher?: WatcherRole;
  close(): Promise<void>;
}

export async function startBot(deps: BotDeps): Promise<RunningBot> {
  const { config, log } = deps;
  const runsReceiver = config.role === 'all' || config.role === 'receiver';
  const runsWorker = config.role === 'all' || config.role === 'worker';
  // `all` runs the watcher when given cluster access (kvlab serve does; bot tests that need no alerts do not).
  const runsWatcher = config.role === 'watcher' || (config.role === 'all' && deps.watcher !== undefined);
  const alertStores = (cluster: string) => createAlertStore(redis, alertKeys(config.KVLAB_REDIS_PREFIX, cluster));
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (err) => log.warn({ err: { message: err.message } }, 'Redis connection error'));
  const keys = redisKeys(config.KVLAB_REDIS_PREFIX);
  const ledger = createDeliveryLedger(redis, keys);
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const step of closers.reverse())
      await step().catch((err: unknown) => log.warn({ err }, 'shutdown step failed'));
    closers.length = 0;
  };
  closers.push(() => redis.quit());
  try {
    let port: number | undefined;
    if (runsWorker) {
      if (!deps.engine) throw new Error('startBot: the worker role needs the diagnostic engine');
      const poster = createSlackChatPoster({
        token: config.SLACK_BOT_TOKEN,
        ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
        log,
        pace: createChannelPacer(redis, keys, config.KVLAB_SLACK_PACE_MS, config.KVLAB_SLACK_PACE_BURST),
        maxRateLimitWaitMs: config.KVLAB_SLACK_MAX_WAIT_MS,
      });
      const worker = startDiagnosisWorker(
        {
          redisUrl: config.REDIS_URL,
          prefix: config.KVLAB_REDIS_PREFIX,
          concurrency: config.KVLAB_WORKER_CONCURRENCY,
          lockMs: config.KVLAB_JOB_LOCK_MS,
        },
        { engine: deps.engine, poster, ledger, log, alerts: alertStores, status: { redis, keys } },
      );
      closers.push(() => worker.close());
      log.info({ concurrency: config.KVLAB_WORKER_CONCURRENCY }, 'worker started');
    }
    if (runsReceiver) {
      if (!deps.roster) throw new Error('startBot: the receiver role needs the roster');
      const queue = createBullDiagnosisQueue({
        redisUrl: config.REDIS_URL,
        prefix: config.KVLAB_REDIS_PREFIX,
        attempts: config.KVLAB_JOB_ATTEMPTS,
        backoffMs: config.KVLAB_JOB_BACKOFF_MS,
      });
      closers.push(() => queue.close());
      const bolt = await createBoltApp(config, log);
      registerHandlers(bolt.app, {
        queue,
        roster: deps.roster,
        rateLimit: createUserRateLimit(redis, keys, config.KVLAB_USER_RATE_LIMIT),
        reports: ledger,
        poster: createSlackChatPoster({
          token: config.SLACK_BOT_TOKEN,
          ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
          log,
        }),
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
      const queue = createBullDiagnosisQueue({
        redisUrl: config.REDIS_URL,
        prefix: config.KVLAB_REDIS_PREFIX,
        attempts: config.KVLAB_JOB_ATTEMPTS,
        backoffMs: config.KVLAB_JOB_BACKOFF_MS,
      });
      closers.push(() => queue.close());
      const role = startWatcherRole({
        env: deps.watcher.env,
        prefix: config.KVLAB_REDIS_PREFIX,
        roster: deps.roster,
        kubeconfig: deps.watcher.kubeconfig,
        redis,
        queue,
        poster: createSlackChatPoster({
          token: config.SLACK_BOT_TOKEN,
          ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
          log,
          pace: createChannelPacer(redis, keys, config.KVLAB_SLACK_PACE_MS, config.KVLAB_SLACK_PACE_BURST),
          maxRateLimitWaitMs: config.KVLAB_SLACK_MAX_WAIT_MS,
        }),
        ledger,
        log,
        ...(deps.watcher.identity ? { identity: deps.watcher.identity } : {}),
      });
      watcher = role;
      closers.push(() => role.close());
    }
    return { ...(port !== undefined ? { port } : {}), ...(watcher ? { watcher } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
