/**
 * Ack latency: 50 slash commands sent at once, 5 rounds, as Slack sees it (signed request out, complete HTTP answer
 * back). Every party is its own process, as deployed: the simulated classroom (`kvlab sim`), kvlab (`kvlab serve`)
 * and this driver, which only sends and times. Two set-ups: (a) `--role all` (receiver and worker in one process,
 * the small-class set-up); (b) `--role receiver` with a separate `--role worker`. Each command is a real diagnose
 * (authorize, per-user rate limit in Redis, ack, enqueue) — 22 students, the instructor for 22 namespaces, the
 * operator for 6 — and the workers diagnose meanwhile. Target (issue 4): p99 ≤ 50 ms.
 * Two views: `client`, measured here (it includes this Node client's own cost of 50 parallel fetches; the
 * calibration line is the same client against a bare node:http server), and `server`, kvlab's time from a
 * request's arrival to the end of its answer (its debug log). Run: `npx node bench/bot/ack-latency.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createSlackDriver } from '../../sim/slack/driver.ts';
import { connectToSimulator } from '../../sim/slack/send-command.ts';
import type { ServeRole } from '../../src/config.ts';
import { deleteKeysWithPrefix } from '../../src/queue/redis.ts';
import { percentile, round, spawnKvlab, stopAll } from './bench-bot.ts';

const ROUNDS = 5;
const stats = (xs: number[]) => ({
  p50: round(percentile(xs, 50)),
  p99: round(percentile(xs, 99)),
  max: round(Math.max(...xs)),
});

/** Calibration: the same 50 parallel fetches against a bare node:http server that answers at once. */
async function clientFloor() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"ok"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const samples: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const times = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const started = performance.now();
        await (await fetch(url, { method: 'POST', body: 'x'.repeat(600) })).text();
        return performance.now() - started;
      }),
    );
    if (r > 0) samples.push(...times);
  }
  server.close();
  return stats(samples);
}

process.stdout.write(`${JSON.stringify({ calibration: 'bare node:http server', client: await clientFloor() })}\n`);

const dir = await mkdtemp(join(tmpdir(), 'kvlab-bench-ack-'));
const sim = await spawnKvlab(['sim', '--state-dir', dir], {}, (l) => l === 'kvlab sim ready');
const env = Object.fromEntries(
  (await readFile(join(dir, 'env'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
) as Record<string, string>;
const link = await connectToSimulator((env.SLACK_API_URL ?? '').replace(/\/api\/?$/, ''));
const driver = createSlackDriver(link, { signingSecret: env.SLACK_SIGNING_SECRET ?? '' });
const namespaces = Array.from({ length: 22 }, (_, i) => `student-${String(i + 1).padStart(2, '0')}`);
const commands = [
  ...namespaces.map((ns) => ({ user: `U0STUDENT${ns.slice(-2)}`, text: 'diagnose pod-keyvault' })),
  ...namespaces.map((ns) => ({ user: 'U0INSTRUCT', text: `diagnose pod-keyvault -n ${ns}` })),
  ...namespaces.slice(0, 6).map((ns) => ({ user: 'U0OPERATOR', text: `diagnose pod-keyvault -n ${ns}` })),
];
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
try {
  for (const setup of [['all'], ['receiver', 'worker']] as ServeRole[][]) {
    const prefix = `kvlab-bench-${randomUUID()}`;
    const serveEnv = {
      ...env,
      PORT: '0',
      KVLAB_REDIS_PREFIX: prefix,
      KVLAB_USER_RATE_LIMIT: '1000',
      LOG_LEVEL: 'debug',
    };
    const started = await Promise.all(
      setup.map((role) => spawnKvlab(['serve', '--role', role], serveEnv, (l) => l.includes('kvlab serve ready'))),
    );
    const receiver = started[0];
    const port = receiver?.json().find((l) => l.msg === 'kvlab serve ready')?.port;
    const url = `http://127.0.0.1:${port}/slack/events`;
    for (let i = 0; i < 3; i++)
      await driver.slashCommand({ url, user: 'U0INSTRUCT', channel: 'C0CLASSA01', text: 'help' });
    const skip = receiver?.lines.length ?? 0;
    const samples: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const deliveries = await Promise.all(
        commands.map((c) => driver.slashCommand({ url, user: c.user, channel: 'C0CLASSA01', text: c.text })),
      );
      if (deliveries.some((d) => d.status !== 200)) throw new Error('a command was not acknowledged with 200');
      samples.push(...deliveries.map((d) => d.ackMs));
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    const server = (receiver?.lines.slice(skip) ?? [])
      .filter((l) => l.includes('"acknowledged"'))
      .map((l) => Number((JSON.parse(l) as { ms: number }).ms));
    await stopAll(started.map((s) => s.proc));
    await deleteKeysWithPrefix(redis, prefix);
    process.stdout.write(
      `${JSON.stringify({
        processes: setup.map((r) => `serve --role ${r}`).join(' + '),
        commands: samples.length,
        concurrent: commands.length,
        client: stats(samples),
        server: stats(server),
      })}\n`,
    );
  }
} finally {
  redis.disconnect();
  await stopAll([sim.proc]);
  await rm(dir, { recursive: true, force: true });
}
