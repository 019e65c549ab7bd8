/**
 * Shared set-up of the Slack bot benchmarks: the simulated classroom, the bot (in process, or its workers as
 * `kvlab serve --role worker` child processes), a Redis key prefix of its own (deleted at the end), and — when a
 * benchmark needs more students than the classroom roster has — a generated roster that spreads extra Slack users
 * over the 22 student namespaces. Not a test: run the scripts next to it with `npx node bench/bot/<script>.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';
import { createSlackDriver, type SlackDriver } from '../../sim/slack/driver.ts';
import type { RateLimitOptions } from '../../sim/slack/rate-limits.ts';
import { loadBotEnv, loadEnv, type ServeRole } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';
import { createLogger } from '../../src/logger.ts';
import type { DiagnosisJob } from '../../src/ports/diagnosis-queue.ts';
import { createDeliveryLedger } from '../../src/queue/delivery-ledger.ts';
import { DIAGNOSIS_QUEUE, deleteKeysWithPrefix, redisKeys } from '../../src/queue/redis.ts';
import { loadRoster, type Roster } from '../../src/roster/roster.ts';
import { createNamespaceFacts } from '../../src/slack-app/namespace-facts.ts';
import { startBot } from '../../src/slack-app/start-bot.ts';

export interface BenchBotOptions {
  /** Role of the bot started in this process; `none` starts none (use `spawnServe`). */
  role: ServeRole | 'none';
  env?: Record<string, string>;
  slackRateLimits?: RateLimitOptions | false;
  /** At least this many students on the roster (generated beyond the classroom's 22). */
  students?: number;
}

export async function startBenchBot(options: BenchBotOptions) {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const classroom: Classroom = await startClassroom({ slackRateLimits: options.slackRateLimits ?? false });
  const dir = await mkdtemp(join(tmpdir(), 'kvlab-bench-'));
  const roster = await benchRoster(classroom, dir, options.students ?? 0);
  const prefix = `kvlab-bench-${randomUUID()}`;
  const kubeconfigPath = join(dir, 'kubeconfig');
  const caPath = join(dir, 'ca.pem');
  await writeFile(kubeconfigPath, classroom.kubeconfigYaml, { mode: 0o600 });
  await writeFile(caPath, classroom.caPem);
  const env: Record<string, string> = {
    ...classroom.settings,
    KVLAB_CONFIG: roster.path,
    REDIS_URL: redisUrl,
    KVLAB_REDIS_PREFIX: prefix,
    PORT: '0',
    KVLAB_USER_RATE_LIMIT: '1000',
    KUBECONFIG: kubeconfigPath,
    KVLAB_CA_FILE: caPath,
    NODE_EXTRA_CA_CERTS: caPath,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const kc = new KubeConfig();
  kc.loadFromString(classroom.kubeconfigYaml);
  kc.setCurrentContext('kvlab-bot');
  const engine = createEngine(loadEnv(env), kc);
  const bot =
    options.role === 'none'
      ? undefined
      : await startBot({
          config: loadBotEnv(env, options.role),
          log: createLogger({ level: 'warn' }),
          roster: roster.roster,
          engine: { ports: engine.ports, gather: engine.gather },
          namespaceFacts: createNamespaceFacts(kc, roster.roster),
          host: '127.0.0.1',
        });
  const redis = new Redis(redisUrl);
  const queue = new Queue<DiagnosisJob>(DIAGNOSIS_QUEUE, { connection: { url: redisUrl }, prefix });
  const children: ChildProcess[] = [];
  return {
    classroom,
    env,
    queue,
    ledger: createDeliveryLedger(redis, redisKeys(prefix)),
    students: roster.students,
    url: `http://127.0.0.1:${bot?.port ?? 0}/slack/events`,
    driver: createSlackDriver(classroom.slack.server) as SlackDriver,
    /** Starts `kvlab serve --role <role>` in a child process; resolves once it is ready, with its Request URL. */
    async spawnServe(role: ServeRole, extra: Record<string, string> = {}) {
      const child = await spawnKvlab(['serve', '--role', role], { ...env, LOG_LEVEL: 'info', ...extra }, (l) =>
        l.includes('kvlab serve ready'),
      );
      children.push(child.proc);
      const port = (child.json().find((l) => l.msg === 'kvlab serve ready')?.port as number | undefined) ?? 0;
      return { ...child, url: `http://127.0.0.1:${port}/slack/events` };
    },
    async close() {
      await stopAll(children);
      await bot?.close();
      await queue.close();
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      await classroom.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The classroom roster, extended to `count` students (extra users share the 22 namespaces round robin). */
async function benchRoster(classroom: Classroom, dir: string, count: number) {
  const base = classroom.slack.roster;
  const cls = base.classes[0];
  if (!cls) throw new Error('the classroom roster has no class');
  const students = [...cls.students];
  const namespaces = cls.students.map((s) => s.namespace);
  for (let i = students.length; i < count; i++) {
    students.push({ user: `U0BENCH${String(i).padStart(4, '0')}`, namespace: namespaces[i % namespaces.length] ?? '' });
  }
  const { server } = classroom.slack;
  const members = server.store.conversation(cls.channel ?? '')?.members;
  for (const s of students.slice(cls.students.length)) {
    server.workspace.users.push({ id: s.user, name: s.user.toLowerCase() });
    members?.add(s.user);
  }
  const text = (await readFile(classroom.slack.rosterPath, 'utf8')).replace(
    /students:\n(?:\s+- .*\n?)+/,
    `students:\n${students.map((s) => `      - { user: ${s.user}, namespace: ${s.namespace} }`).join('\n')}\n`,
  );
  const path = join(dir, 'roster.yaml');
  await writeFile(path, text);
  const roster: Roster = loadRoster(path);
  return { path, roster, students };
}

/**
 * Runs `kvlab <args>` on this Node (24) in a child process and resolves once a line of its output passes `ready`.
 * `lines` is everything it printed so far; `json()` parses the JSON (log) lines among them.
 */
export async function spawnKvlab(args: string[], env: Record<string, string>, ready: (line: string) => boolean) {
  const proc = spawn(process.execPath, ['bin/kvlab.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let partial = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      if (parts.some(ready)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`kvlab ${args[0]} exited (${code}) before it was ready`)));
  });
  const json = () => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { proc, lines, json };
}

/** Stops child processes with SIGTERM and waits for them to exit. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
}

/** p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export const round = (ms: number) => Math.round(ms * 10) / 10;
