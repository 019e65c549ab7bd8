/**
 * The bot under test, as `kvlab serve --role all` runs it: the simulated classroom (Kubernetes, Entra ID, Key
 * Vault, Slack with the roster's people), the real Bolt HTTP receiver on a random port, a real BullMQ worker and
 * the real Redis, under a key prefix unique to this test file and deleted afterwards (never FLUSHALL). Log lines
 * are collected so tests can grep them.
 */
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type { GatherOptions, Ports } from '../../diagnostics/gather/gather-evidence.ts';
import type { ClassReader } from '../../diagnostics/ports/class-reader.ts';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';
import { createSlackDriver, type Delivery, type Forgery, type SlackDriver } from '../../sim/slack/driver.ts';
import type { RateLimitOptions } from '../../sim/slack/rate-limits.ts';
import type { SlackMessage as StoredMessage } from '../../sim/slack/store.ts';
import { type BotEnvConfig, loadBotEnv, loadEnv, type ServeRole } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { originOf } from '../../src/metrics.ts';
import type { DeliveryJobV1, DiagnosisJob } from '../../src/ports/diagnosis-queue.ts';
import { jobIdFor } from '../../src/queue/bullmq-diagnosis-queue.ts';
import { DELIVERY_QUEUE, DIAGNOSIS_QUEUE, deleteKeysWithPrefix } from '../../src/queue/redis.ts';
import { createNamespaceFacts } from '../../src/slack-app/namespace-facts.ts';
import { type RunningBot, startBot } from '../../src/slack-app/start-bot.ts';
import { deliveryJobId } from '../../src/worker/delivery-processor.ts';

export interface BotFixtureOptions {
  role?: ServeRole;
  /** Extra or overriding settings (strings, as in the environment). */
  env?: Record<string, string>;
  /** Slack simulator rate limits; default off (`{}` for Slack's). */
  slackRateLimits?: RateLimitOptions | false;
}

export interface BotFixture {
  classroom: Classroom;
  config: BotEnvConfig;
  /** `http://127.0.0.1:<port>/slack/events`. */
  url: string;
  driver: SlackDriver;
  prefix: string;
  redis: Redis;
  queue: Queue<DiagnosisJob>;
  /** The threaded answers waiting for their channel's turn (job id `deliveryJobId(diagnosis job id)`). */
  deliveries: Queue<DeliveryJobV1>;
  logLines: string[];
  /** The settings the bot was started with (a separate worker process needs them too). */
  env: Record<string, string>;
  kubeconfigYaml: string;
  /** The engine the in-process worker uses (for starting more workers). */
  engine: { ports: Ports; gather: GatherOptions; classes: ClassReader };
  bot: RunningBot;
  /** The roster's student working in `namespace`. */
  studentOf(namespace: string): string;
  /** Waits until the job BullMQ runs for a delivered command is finished; returns its final state. */
  settled(jobId: string, timeoutMs?: number): Promise<string>;
  jobIdOfCommand(triggerId: string): string;
  /**
   * `user` (id or handle) types `/kvlab <text>` (default `diagnose pod-keyvault`), in the class channel unless
   * `channel` says otherwise; the bot's answer to Slack and the id of the job it would queue.
   */
  command(user: string, text?: string, where?: CommandOptions): Promise<Command>;
  /** The student of `namespace` types `/kvlab <text>` (default `diagnose pod-keyvault`) in the class channel. */
  ask(namespace: string, text?: string, where?: CommandOptions): Promise<Command & { namespace: string }>;
  close(): Promise<void>;
}

export interface CommandOptions {
  /** Channel id or name (default: the class channel). */
  channel?: string;
  /** Make the request one Bolt must refuse (signature, timestamp). */
  forge?: Forgery;
}

/** The bot's answer to a typed command, the user who typed it and the id of the job it queues for it. */
export type Command = Delivery & { user: string; jobId: string };

/** Redis for the bot tests, or a clear failure telling how to start it. */
export function redisUrl(): string {
  const url = inject('redisUrl');
  if (!url) throw new Error('test/bot needs Redis at REDIS_URL (default 127.0.0.1:6379): start `redis-server`.');
  return url;
}

export async function startBotFixture(options: BotFixtureOptions = {}): Promise<BotFixture> {
  const url = redisUrl();
  const classroom = await startClassroom({ slackRateLimits: options.slackRateLimits ?? false });
  const prefix = `kvlab-test-${randomUUID()}`;
  const logLines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromString(classroom.kubeconfigYaml);
  kubeconfig.setCurrentContext('kvlab-bot');
  const env: Record<string, string> = {
    ...classroom.settings,
    REDIS_URL: url,
    KVLAB_REDIS_PREFIX: prefix,
    PORT: '0',
    KVLAB_SLACK_PACE_MS: '0',
    KVLAB_JOB_BACKOFF_MS: '200',
    // The job lock keeps kvlab's default (30 s): with 1 s, a loaded CI machine that stalls this process (simulators,
    // bot and test share its event loop) lets BullMQ hand a running job to a second run. Tests about a lapsed lock
    // (worker-crash.test.ts) set their own.
    KVLAB_WORKER_CONCURRENCY: '8',
    KVLAB_USER_RATE_LIMIT: '30',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const config = loadBotEnv(env, options.role ?? 'all');
  const engine = createEngine({ ...loadEnv({ ...env, KVLAB_REPLAY: 'replay' }), caPem: classroom.caPem }, kubeconfig);
  const roster = classroom.slack.roster;
  const bot = await startBot({
    config,
    log,
    roster,
    engine: { ports: engine.ports, gather: engine.gather, classes: engine.classes },
    namespaceFacts: createNamespaceFacts(kubeconfig, roster),
    host: '127.0.0.1',
    kubeconfig,
    azureOrigins: [env.AZURE_AUTHORITY_HOST, env.KVLAB_KEYVAULT_ENDPOINT].flatMap(originOf),
  });
  const redis = new Redis(url);
  const queue = new Queue<DiagnosisJob>(DIAGNOSIS_QUEUE, { connection: { url }, prefix });
  const deliveries = new Queue<DeliveryJobV1>(DELIVERY_QUEUE, { connection: { url }, prefix });
  const students = new Map(roster.classes.flatMap((c) => c.students.map((s) => [s.namespace, s.user] as const)));
  const fixture: BotFixture = {
    classroom,
    config,
    url: `http://127.0.0.1:${bot.port}/slack/events`,
    driver: createSlackDriver(classroom.slack.server),
    prefix,
    redis,
    queue,
    deliveries,
    logLines,
    env,
    kubeconfigYaml: classroom.kubeconfigYaml,
    engine: { ports: engine.ports, gather: engine.gather, classes: engine.classes },
    bot,
    studentOf(namespace) {
      const user = students.get(namespace);
      if (!user) throw new Error(`no student of ${namespace} on the roster`);
      return user;
    },
    jobIdOfCommand: (triggerId) => jobIdFor('cmd', triggerId),
    async command(user, text = 'diagnose pod-keyvault', where = {}) {
      const channel = where.channel ?? classroom.slack.channel;
      const res = await fixture.driver.slashCommand({ url: fixture.url, user, channel, text, forge: where.forge });
      return { ...res, user, jobId: fixture.jobIdOfCommand(res.triggerId) };
    },
    async ask(namespace, text, where) {
      return { ...(await fixture.command(fixture.studentOf(namespace), text, where)), namespace };
    },
    async settled(jobId, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const until = async (q: Queue<DiagnosisJob> | Queue<DeliveryJobV1>, id: string, absentIsDone: boolean) => {
        for (;;) {
          const state = await q.getJobState(id);
          if (state === 'completed' || state === 'failed' || (absentIsDone && state === 'unknown')) return state;
          if (Date.now() > deadline) throw new Error(`job ${id} still ${state} after ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const state = await until(queue, jobId, false);
      if (state !== 'completed') return state;
      // A diagnosis is done once its threaded answer, queued for the channel's turn, is posted too.
      const delivered = await until(deliveries, deliveryJobId(jobId), true);
      return delivered === 'unknown' ? state : delivered;
    },
    async close() {
      await bot.close();
      await queue.close();
      await deliveries.close();
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await classroom.close();
    },
  };
  return fixture;
}

/** Deletes every key under `prefix:` (this test file's only). */
export const deleteKeys = deleteKeysWithPrefix;

/** Every text a person can read in a message: fallback text, section and context texts. */
export function readable(message: { text?: string; blocks?: Array<Record<string, unknown>> }): string {
  const parts = [message.text ?? ''];
  for (const block of message.blocks ?? []) {
    const text = block.text as { text?: string } | undefined;
    if (text?.text) parts.push(text.text);
    for (const el of (block.elements as Array<{ text?: unknown }> | undefined) ?? []) {
      if (typeof el.text === 'string') parts.push(el.text);
    }
  }
  return parts.join('\n');
}

/** The bot's top-level messages in `channel` about `namespace/pod`. */
export function parentsFor(fx: BotFixture, channel: string, target: string): StoredMessage[] {
  const bot = fx.classroom.slack.server.workspace.bot.userId;
  return fx.classroom.slack.server.store
    .messages(channel)
    .filter((m) => m.user === bot && m.subtype !== 'thread_broadcast' && readable(m).includes(target));
}
