/**
 * Settings from the environment, parsed and validated once (docs/architecture.md "Conventions"). Only entry points call
 * `loadEnv(process.env)` (the engine, src/engine-settings.ts — without zod, for the CLI's start-up) and
 * `loadBotEnv(process.env, role)` (the Slack bot); everything else receives the typed result. Errors name the
 * setting, never its value.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../diagnostics/errors.ts';

export { type EnvConfig, loadEnv } from './engine-settings.ts';

/**
 * Validates the environment against `schema`. An empty variable (`FOO=` in an env file or compose's `${FOO:-}`)
 * means "not set", as for most tools. The error names each bad setting and why, never its value.
 */
export function parseSettings<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid settings in the environment — ${problems}. See README "Configuration".`);
  }
  return parsed.data;
}

/** Roles of `kvlab serve` (docs/architecture.md "Data flow"); `all` runs receiver, worker and watcher in one process. */
export const SERVE_ROLES = ['all', 'receiver', 'worker', 'watcher'] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

const BotEnv = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-'),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  /** App-level token: when set, the receiver uses Socket Mode instead of HTTP. */
  SLACK_APP_TOKEN: z.string().startsWith('xapp-').optional(),
  /** Web API base URL; only for the simulator (default https://slack.com/api/). */
  SLACK_API_URL: z.string().url().optional(),
  REDIS_URL: z
    .string()
    .url()
    .refine((u) => /^rediss?:\/\//.test(u), 'use a redis:// or rediss:// (TLS) URL')
    .default('redis://127.0.0.1:6379'),
  /** Redis ACL user and password, kept out of REDIS_URL (managed Redis hands them out separately). */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** CA bundle (PEM) for a `rediss://` server whose certificate a public CA did not sign. */
  REDIS_CA_FILE: z.string().min(1).optional(),
  /** The classroom roster YAML (who may diagnose which namespace). */
  KVLAB_CONFIG: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Port of `/healthz`, `/readyz` and `/metrics` for roles without the HTTP receiver (default: PORT). */
  KVLAB_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** On SIGTERM, how long running jobs may take before they are handed back to the queue. */
  KVLAB_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  /** Entries kept in the audit stream `<prefix>:audit` (approximately; XADD MAXLEN ~). 0 turns the stream off. */
  KVLAB_AUDIT_MAXLEN: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  /** Prefix of every Redis key kvlab writes (BullMQ queue, delivery ledger, rate limits). */
  KVLAB_REDIS_PREFIX: z
    .string()
    .regex(
      /^([A-Za-z0-9_-]{1,64}|\{[A-Za-z0-9_-]{1,62}\})$/,
      'use 1–64 letters, digits, "-" or "_", or one such name in braces (a hash tag, e.g. {kvlab}, for Redis Cluster)',
    )
    .default('kvlab'),
  KVLAB_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  KVLAB_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  KVLAB_JOB_BACKOFF_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** How long a worker's claim on a job lasts without renewal; a dead worker's job moves on after about this. */
  KVLAB_JOB_LOCK_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
  /** Commands one user may send per minute before kvlab answers "slow down". */
  KVLAB_USER_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000).default(10),
  /** Sustained gap between kvlab's messages in one channel (Slack allows about one per second). */
  KVLAB_SLACK_PACE_MS: z.coerce.number().int().min(0).max(10_000).default(1_000),
  /** Messages kvlab may post to one channel at once before the pace applies (Slack tolerates short bursts). */
  KVLAB_SLACK_PACE_BURST: z.coerce.number().int().min(1).max(10).default(3),
  /** Longest a worker waits out Slack 429s for one message before handing the job back to the queue. */
  KVLAB_SLACK_MAX_WAIT_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  /** Longest a job keeps waiting for Slack's Retry-After, counted from when it was queued, before it gives up. */
  KVLAB_SLACK_GIVE_UP_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(24 * 3_600_000)
    .default(30 * 60_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type BotEnvConfig = z.infer<typeof BotEnv> & { role: ServeRole; redisCaPem?: string };

/**
 * Settings of `kvlab serve --role <role>`: Slack credentials, Redis, the roster path and the queue's tuning.
 * The receiver needs `KVLAB_CONFIG` and either `SLACK_SIGNING_SECRET` (HTTP) or `SLACK_APP_TOKEN` (Socket Mode).
 */
export function loadBotEnv(env: NodeJS.ProcessEnv, role: ServeRole): BotEnvConfig {
  const config: BotEnvConfig = { ...parseSettings(BotEnv, env), role };
  if (config.REDIS_CA_FILE) {
    try {
      config.redisCaPem = readFileSync(config.REDIS_CA_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `REDIS_CA_FILE names a file that cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${config.REDIS_CA_FILE}`,
      );
    }
  }
  if (role !== 'worker') {
    if (!config.KVLAB_CONFIG) {
      throw new ConfigError('KVLAB_CONFIG is not set: point it at the classroom roster YAML (see README "Roster").');
    }
  }
  if (role === 'all' || role === 'receiver') {
    if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
      throw new ConfigError(
        'SLACK_SIGNING_SECRET is not set: the HTTP receiver needs it to verify requests (or set SLACK_APP_TOKEN for Socket Mode).',
      );
    }
  }
  return config;
}

/** The Redis connection the settings describe (URL plus credentials and CA kept out of it). */
export function redisTargetOf(config: BotEnvConfig) {
  return {
    url: config.REDIS_URL,
    ...(config.REDIS_USERNAME ? { username: config.REDIS_USERNAME } : {}),
    ...(config.REDIS_PASSWORD ? { password: config.REDIS_PASSWORD } : {}),
    ...(config.redisCaPem ? { caPem: config.redisCaPem } : {}),
  };
}
