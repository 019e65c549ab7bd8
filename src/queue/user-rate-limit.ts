/**
 * A per-user command budget in Redis, shared by every receiver replica: at most `limit` commands per user in a
 * fixed one-minute window. Past it the receiver answers "slow down" and queues nothing, so one person (or a
 * stuck client) cannot flood the workers. The window starts at the user's first command.
 */
import type { Redis } from 'ioredis';
import type { UserRateLimit } from '../ports/user-rate-limit.ts';
import type { RedisKeys } from './redis.ts';

export type { RateDecision, UserRateLimit } from '../ports/user-rate-limit.ts';

const WINDOW_MS = 60_000;

/** INCR and start the window's expiry atomically; returns [count, ms left in the window]. */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`;

export function createUserRateLimit(redis: Redis, keys: RedisKeys, limit: number): UserRateLimit {
  return {
    async take(user) {
      const [count, ttl] = (await redis.eval(TAKE, 1, keys.rate(user), WINDOW_MS)) as [number, number];
      return count <= limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: Math.max(ttl, 0) };
    },
  };
}
