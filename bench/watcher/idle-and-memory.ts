/**
 * The watcher against the real Kubernetes simulator: 5,000 pods (100 namespaces × 50, all mounted) watched by
 * `kvlab serve --role watcher` in this process (real informers, Lease, Redis). Measures
 * - the watcher's heap once every namespace is listed and watched (heap after − heap before, after a full GC),
 *   against the JSON size of the pods it caches;
 * - Kubernetes requests per minute while nothing happens (simulator per-route counters), against a poller that
 *   lists each namespace's pods and Warning events every tick (KVLAB_WATCHER_TICK_MS, 500 ms) — what "watch, not
 *   polling" saves.
 * Run: `npx node --expose-gc bench/watcher/idle-and-memory.ts [--namespaces 100] [--pods 50] [--idle-seconds 65]`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { startClassroom } from '../../sim/classroom.ts';
import { loadBotEnv } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { deleteKeysWithPrefix } from '../../src/queue/redis.ts';
import { loadRoster } from '../../src/roster/roster.ts';
import { startBot } from '../../src/slack-app/start-bot.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const NAMESPACES = arg('namespaces', 100);
const PODS = arg('pods', 50);
const IDLE_S = arg('idle-seconds', 65);
const TICK_MS = 500;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const heap = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
  return process.memoryUsage().heapUsed;
};

const classroom = await startClassroom({ slackRateLimits: false });
const store = classroom.k8s.store;
const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `bench-${String(i + 1).padStart(3, '0')}`);
const template = store.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'student-01', name: 'pod-keyvault' });
if (!template) throw new Error('no student-01/pod-keyvault to copy');
for (const ns of namespaces) {
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (let i = 0; i < PODS; i++) {
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: ns, labels: { app: 'lab' } },
      spec: structuredClone(template.spec),
      status: structuredClone(template.status),
    });
  }
}
const podJsonBytes = Buffer.byteLength(JSON.stringify(namespaces.flatMap((ns) => store.list('v1', 'Pod', ns))));

const dir = await mkdtemp(join(tmpdir(), 'kvlab-bench-watcher-'));
const rosterPath = join(dir, 'roster.yaml');
await writeFile(
  rosterPath,
  `admins: [U0OPERATOR]
classes:
  - name: bench
    channel: C0CLASSA01
    alertChannel: C0ALERTS01
    instructors: [U0INSTRUCT]
    namespaces: [${namespaces.join(', ')}]
    students:
${namespaces.map((ns, i) => `      - { user: U0BENCH${String(i).padStart(4, '0')}, namespace: ${ns} }`).join('\n')}
`,
);
const prefix = `kvlab-bench-${randomUUID()}`;
const env = {
  ...classroom.settings,
  KVLAB_CONFIG: rosterPath,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  KVLAB_REDIS_PREFIX: prefix,
  PORT: '0',
  LOG_LEVEL: 'warn',
  KVLAB_WATCHER_TICK_MS: String(TICK_MS),
};
const kc = new KubeConfig();
kc.loadFromString(classroom.kubeconfigYaml);
kc.setCurrentContext('kvlab-bot');

const heapBefore = await heap();
const requests = classroom.k8s.requests;
requests.reset();
const startedAt = Date.now();
const bot = await startBot({
  config: loadBotEnv(env, 'watcher'),
  log: createLogger({ level: 'warn' }),
  roster: loadRoster(rosterPath),
  watcher: { kubeconfig: kc, env },
});
const podLists = () => requests.get('GET /api/v1/namespaces/{namespace}/pods');
const eventLists = () => requests.get('GET /api/v1/namespaces/{namespace}/events');
while (podLists() < NAMESPACES || eventLists() < NAMESPACES) await sleep(100);
const syncedMs = Date.now() - startedAt;
const startupRequests = requests.total();
await sleep(2_000);
const heapAfter = await heap();

requests.reset();
await sleep(IDLE_S * 1000);
const idle = requests.snapshot();
const idleTotal = requests.total();
const perMinute = (n: number) => +((n * 60) / IDLE_S).toFixed(1);
const pollerPerMinute = 2 * NAMESPACES * (60_000 / TICK_MS);

const result = {
  pods: NAMESPACES * PODS,
  namespaces: NAMESPACES,
  informers: 2 * NAMESPACES,
  syncedMs,
  startupRequests,
  memory: {
    watcherHeapMiB: +((heapAfter - heapBefore) / 2 ** 20).toFixed(1),
    podJsonMiB: +(podJsonBytes / 2 ** 20).toFixed(1),
    ratioHeapVsPodJson: +((heapAfter - heapBefore) / podJsonBytes).toFixed(2),
  },
  idle: {
    seconds: IDLE_S,
    requestsPerMinute: perMinute(idleTotal),
    byRoute: Object.fromEntries(Object.entries(idle).map(([k, v]) => [k, perMinute(v)])),
    pollerBaselinePerMinute: pollerPerMinute,
    ratioVsPoller: +(perMinute(idleTotal) / pollerPerMinute).toFixed(4),
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await bot.close();
const redis = new Redis(env.REDIS_URL);
await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();
await classroom.close();
await rm(dir, { recursive: true, force: true });
process.exit(0);
