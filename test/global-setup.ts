/**
 * Vitest global setup: checks once whether the Redis the integration tests use (REDIS_URL, default
 * redis://127.0.0.1:6379) answers PING, and provides the URL — or null — to the test files (`inject('redisUrl')`).
 * Tests that need Redis fail at once with a message saying how to start it; the others run without it.
 */
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Redis that answered PING, or null when none did. */
    redisUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  let ok = false;
  try {
    await redis.connect();
    ok = (await redis.ping()) === 'PONG';
  } catch {
    ok = false;
  } finally {
    redis.disconnect();
  }
  project.provide('redisUrl', ok ? url : null);
}
