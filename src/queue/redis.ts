/**
 * Redis connections and key names. Redis is kvlab's only shared state (docs/architecture.md "Data flow"): the BullMQ queue,
 * the delivery ledger, rate-limit counters and channel pacing all live under one prefix (`KVLAB_REDIS_PREFIX`), so
 * several kvlab installations — or test files — can share one Redis without touching each other's keys. On Redis
 * Cluster use a prefix with a hash tag (`{kvlab}`): every key then hashes to one slot, which BullMQ's multi-key
 * scripts require.
 */
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Where Redis is and how to sign in: a URL (`redis://` or `rediss://` for TLS; `redis://user:pass@host:port/db`
 * works too), or the URL plus credentials and a CA kept out of it (REDIS_USERNAME, REDIS_PASSWORD, REDIS_CA_FILE),
 * as managed Redis services hand them out.
 */
export type RedisTarget = string | { url: string; username?: string; password?: string; caPem?: string };

/** ioredis options for a target (beyond its URL). */
function targetOptions(target: RedisTarget): { url: string; options: RedisOptions } {
  if (typeof target === 'string') return { url: target, options: {} };
  const options: RedisOptions = {};
  if (target.username) options.username = target.username;
  if (target.password) options.password = target.password;
  if (target.caPem) options.tls = { ca: target.caPem };
  else if (target.url.startsWith('rediss:')) options.tls = {};
  return { url: target.url, options };
}

/** The BullMQ queue that carries diagnosis jobs. */
export const DIAGNOSIS_QUEUE = 'diagnose';

/** The BullMQ queue of threaded answers waiting for their channel's pace (src/worker/delivery-processor.ts). */
export const DELIVERY_QUEUE = 'deliver';

/** Key names under one prefix. BullMQ's own keys are `<prefix>:diagnose:*`. */
export function redisKeys(prefix: string) {
  return {
    prefix,
    ledger: (jobId: string) => `${prefix}:ledger:${jobId}`,
    pace: (channel: string) => `${prefix}:pace:${channel}`,
    rate: (user: string) => `${prefix}:rate:${user}`,
    /** A computed class status, reused for a few seconds (src/queue/status-cache.ts). */
    statusCache: (className: string) => `${prefix}:status:${className}`,
    /** The thread replies (row pages) of a class status message, in order, for Refresh to edit. */
    statusReplies: (channel: string, ts: string) => `${prefix}:status-replies:${channel}:${ts}`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;

/** BullMQ connection options for `url` (workers need `maxRetriesPerRequest: null` for their blocking calls). */
export function bullConnection(target: RedisTarget) {
  const { url, options } = targetOptions(target);
  // BullMQ hands `url` and the rest to its own ioredis; its option type is that ioredis copy's, hence the cast.
  return { url, ...options, maxRetriesPerRequest: null } as { url: string; maxRetriesPerRequest: null };
}

/**
 * A client for kvlab's own keys. Commands fail fast (one retry, no offline queue once connected) so a receiver
 * answers "try again" within Slack's 3 seconds rather than hanging when Redis is down.
 */
export function createRedis(target: RedisTarget): Redis {
  const { url, options } = targetOptions(target);
  return new Redis(url, { ...options, maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false });
}

/**
 * Deletes every key under `<prefix>:` with SCAN (never KEYS or FLUSHALL: the server may be shared). For tests,
 * benchmarks and an operator retiring a prefix.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
