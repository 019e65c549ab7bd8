/**
 * One class status serves everyone who asks within a few seconds: the first asker's worker takes a short lock
 * and computes it, the others wait for the cached result, so five instructors pressing Refresh cost the cluster
 * one snapshot, not five. The cached report holds names and statuses only, never a secret value.
 */
import type { Redis } from 'ioredis';
import type { ClassStatusReport } from '../../diagnostics/status/types.ts';

/** How long a computed status is reused. */
export const STATUS_CACHE_MS = 10_000;
/** Longest one computation may hold the lock; a crashed worker's lock lapses after this. */
const LOCK_MS = 30_000;
const POLL_MS = 100;

export interface StatusCacheKeys {
  statusCache: (className: string) => string;
}

export async function cachedClassStatus(
  redis: Redis,
  keys: StatusCacheKeys,
  className: string,
  compute: () => Promise<ClassStatusReport>,
  options: { cacheMs?: number; fresh?: boolean } = {},
): Promise<ClassStatusReport> {
  const key = keys.statusCache(className);
  const lockKey = `${key}:lock`;
  const cacheMs = options.cacheMs ?? STATUS_CACHE_MS;
  const deadline = Date.now() + LOCK_MS;
  for (;;) {
    const cached = options.fresh ? null : await redis.get(key);
    if (cached) return JSON.parse(cached) as ClassStatusReport;
    if (await redis.set(lockKey, '1', 'PX', LOCK_MS, 'NX')) break;
    if (Date.now() > deadline) break; // the lock holder is gone or stuck: compute rather than wait forever
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    const report = await compute();
    await redis.set(key, JSON.stringify(report), 'PX', cacheMs);
    return report;
  } finally {
    await redis.del(lockKey);
  }
}
