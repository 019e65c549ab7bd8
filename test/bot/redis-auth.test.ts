/**
 * Redis as users run it: a password-protected Redis (a second redis-server started here on a free port with
 * `--requirepass`, stopped afterwards), the password given as REDIS_PASSWORD (kept out of REDIS_URL), and a key
 * prefix with a hash tag (`{…}`, what BullMQ needs on Redis Cluster). The bot answers a diagnosis through it, and
 * every key it wrote carries the prefix.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSIS_QUEUE } from '../../src/queue/redis.ts';
import { type BotFixture, startBotFixture } from './bot-fixture.ts';

const PASSWORD = `pw-${randomUUID()}`;
const PREFIX = `{kvlab-auth-${randomUUID().slice(0, 8)}}`;
let server: ChildProcess | undefined;
let port: number;
let fx: BotFixture;
let redis: Redis;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  port = await freePort();
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', PASSWORD, '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  redis = new Redis({ port, host: '127.0.0.1', password: PASSWORD, lazyConnect: true, retryStrategy: () => 100 });
  redis.on('error', () => {}); // refused while the server starts
  for (let i = 0; ; i++) {
    try {
      await redis.connect();
      await redis.ping();
      break;
    } catch (err) {
      if (i > 50) throw err;
      redis.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  fx = await startBotFixture({
    env: { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PASSWORD: PASSWORD, KVLAB_REDIS_PREFIX: PREFIX },
  });
}, 30_000);

afterAll(async () => {
  await fx?.close();
  redis?.disconnect();
  server?.kill('SIGTERM');
});

describe('a password-protected Redis with a hash-tag prefix', () => {
  it('refuses clients without the password (the server really requires it)', async () => {
    const anonymous = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    anonymous.on('error', () => {});
    const answer = await anonymous
      .connect()
      .then(() => anonymous.get('x'))
      .then(
        () => 'allowed',
        (err: Error) => err.message,
      );
    anonymous.disconnect();
    expect(answer).not.toBe('allowed'); // ioredis fails the handshake (NOAUTH) and closes
    expect(await redis.config('GET', 'requirepass')).toEqual(['requirepass', PASSWORD]);
  });

  it('answers a diagnosis through it, and every key it wrote carries the prefix', async () => {
    const { jobId } = await fx.ask('student-02');
    const queue = new Queue(DIAGNOSIS_QUEUE, {
      connection: { host: '127.0.0.1', port, password: PASSWORD },
      prefix: PREFIX,
    });
    const deadline = Date.now() + 20_000;
    let state = await queue.getJobState(jobId);
    while (state !== 'completed' && state !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      state = await queue.getJobState(jobId);
    }
    await queue.close();
    expect(state).toBe('completed');
    const keys = await redis.keys('*');
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.filter((k) => !k.startsWith(`${PREFIX}:`))).toEqual([]);
    const ready = await fetch(fx.url.replace('/slack/events', '/readyz'));
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.redis).toBe('ok');
  });
});
