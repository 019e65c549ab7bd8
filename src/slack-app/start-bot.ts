/**
 * Composition root of the Slack bot: wires the roles `kvlab serve` runs in one process — the receiver (Bolt +
 * handlers + queue producer) and/or the worker (BullMQ worker + engine + Slack poster) — over one Redis.
 * Tests and benchmarks start the bot through this same function. `close()` stops in the safe order: stop
 * receiving, let running jobs finish (`worker.close()`), then close the queue and Redis.
 */

import type { GatherOptions, Ports } from '../../diagnostics/gather/gather-evidence.ts';
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
import { startDiagnosisWorker } from '../worker/start-worker.ts';
import { createBoltApp } from './create-bolt-app.ts';

export interface BotDeps {
  config: BotEnvConfig;
  log: Logger;
  /** The roster (receiver role). */
  roster?: Roster;
  /** The diagnostic engine's ports and options (worker role). */
  engine?: { ports: Ports; gather: GatherOptions };
  /** Namespace labels/annotation lookup for rosters that need it (receiver role). */
  namespaceFacts?: (namespace: string) => Promise<NamespaceFacts | undefined>;
  /** Address the HTTP receiver binds to (default: all interfaces). */
  host?: string;
}

export interface RunningBot {
  /** The HTTP receiver's port, when it runs over HTTP. */
  port?: number;
  close(): Promise<void>;
}

export async function startBot(deps: BotDeps): Promise<RunningBot> {
  const { config, log } = deps;
  const runsReceiver = config.role === 'all' || config.role === 'receiver';
  const runsWorker = config.role === 'all' || config.role === 'worker';
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
        { engine: deps.engine, poster, ledger, log },
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
        log: log.child({ component: 'receiver' }),
      });
      ({ port } = await bolt.start(deps.host));
      closers.push(() => bolt.stop());
      log.info({ mode: bolt.mode, port }, 'receiver started');
    }
    return { ...(port !== undefined ? { port } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
