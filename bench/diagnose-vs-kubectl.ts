/**
 * Benchmark: `kvlab diagnose` versus the lab's manual kubectl sequence, against the same simulated classroom
 * with the same injected latency on every Kubernetes, Entra ID and Key Vault request (`kvlab sim --latency`),
 * in one run. Two baselines: kubectl with a fresh discovery cache per command (a student's very first command)
 * and with one cache for the whole sequence (every later one: kubectl keeps it in ~/.kube/cache). kvlab as the
 * long-running engine (lean and client-node Kubernetes readers) and as a new process, started the ways people
 * start it: `node bin/kvlab.js`, an installed `kvlab` on PATH (what `npm link` / `npm install -g` make) — run by
 * Node 24 and by an older system node first on PATH —, `npx kvlab`.
 *   npx node bench/diagnose-vs-kubectl.ts [--runs 5] [--latency 20] [--namespace student-13]
 * Prints a table; bench/README.md records the results. Not part of `npm test`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { SingleFlightCache } from '../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../diagnostics/run-diagnosis.ts';
import { startClassroom } from '../sim/classroom.ts';
import { leanKubeTargetFromString } from '../src/adapters/k8s-lean-config.ts';
import { createLeanClusterReader } from '../src/adapters/k8s-lean-readers.ts';
import { createK8sTransport } from '../src/adapters/k8s-lean-transport.ts';
import { loadEnv } from '../src/config.ts';
import { createEngine } from '../src/engine.ts';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    latency: { type: 'string', default: '20' },
    namespace: { type: 'string', default: 'student-13' },
  },
});
const RUNS = Number(values.runs);
const LATENCY = Number(values.latency);
const ns = values.namespace;
const NOT_KVLAB = new Set(['GET /.well-known/openid-configuration', 'GET /openid/v1/jwks']);

const ROOT = join(import.meta.dirname, '..');
const classroom = await startClassroom({ latencyMs: LATENCY });
const config = { ...loadEnv({ ...classroom.settings, KVLAB_REPLAY: 'replay' }), caPem: classroom.caPem };
const kc = new KubeConfig();
kc.loadFromString(classroom.kubeconfigYaml);
kc.setCurrentContext('kvlab-bot');
const engine = createEngine(config, kc);
const leanTarget = leanKubeTargetFromString(classroom.kubeconfigYaml, 'kvlab-bot');
if (!leanTarget) throw new Error('the simulator kubeconfig should suit the lean transport');
const leanCluster = createLeanClusterReader(createK8sTransport(leanTarget));
const dir = await mkdtemp(join(tmpdir(), 'kvlab-bench-'));
const kubeconfig = join(dir, 'kubeconfig');
await writeFile(kubeconfig, classroom.kubeconfigYaml);
const ca = join(dir, 'ca.pem');
await writeFile(ca, classroom.caPem);
const k8s = classroom.k8s;
// An installed `kvlab` on PATH, as `npm link` or `npm install -g` makes it: a link to bin/kvlab.js.
const binDir = join(dir, 'bin');
await mkdir(binDir);
await symlink(join(ROOT, 'bin/kvlab.js'), join(binDir, 'kvlab'));
// The same link run by an older Node.js first on PATH (a system node): bin/kvlab.js runs the command on the project's
// Node 24 (a second process), as a user with `npm link` and an older system node gets it.
const OLDER_NODE_DIR = (process.env.PATH ?? '').split(delimiter).find((d) => {
  try {
    return (
      Number(execFileSync(join(d, 'node'), ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' })) < 24
    );
  } catch {
    return false;
  }
});
const cliEnv = {
  ...process.env,
  PATH: `${binDir}:${process.env.PATH}`,
  KUBECONFIG: kubeconfig,
  KVLAB_CA_FILE: ca,
  ...classroom.settings,
};

/** The lab's troubleshooting steps, in order, as a student types them (Task 1, 2, 3 and Common Problems). */
const MANUAL: string[][] = [
  ['get', 'pods', '-n', 'kube-system', '-l', 'app in (secrets-store-csi-driver,secrets-store-provider-azure)'],
  ['api-resources'],
  ['describe', 'secretproviderclass', 'azure-kv-secrets', '-n', ns],
  ['describe', 'pod', 'pod-keyvault', '-n', ns],
  ['get', 'events', '-n', ns],
];

/** The discovery cache a student has after their first command (kubectl's ~/.kube/cache), kept across runs. */
const warmCache = join(dir, 'warm-cache');

async function manual(cache: 'cold' | 'warm'): Promise<{ ms: number; requests: number }> {
  k8s.requests.reset();
  const started = performance.now();
  for (const args of MANUAL) {
    // cold: a fresh discovery cache each time, as on a student's very first try; warm: one cache for all.
    const cacheDir = cache === 'cold' ? await mkdtemp(join(dir, 'cache-')) : warmCache;
    await run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'admin', '--cache-dir', cacheDir, ...args], {
      env: { ...process.env, HOME: dir },
    });
  }
  return { ms: performance.now() - started, requests: k8s.requests.total() };
}

/** Every port call kvlab makes, timed, to compute the critical path of dependent requests. */
const calls: Array<{ name: string; ms: number }> = [];
function timed<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await value.apply(obj, args);
        } finally {
          calls.push({ name: String(prop), ms: performance.now() - started });
        }
      };
    },
  });
}
const ports = { cluster: timed(engine.ports.cluster), vault: timed(engine.ports.vault) };
const leanPorts = { cluster: timed(leanCluster), vault: timed(engine.ports.vault) };

/** Longest chain of dependent calls: round 1 → round 2 (with the TokenRequest) → Entra + Key Vault. */
function criticalPathOf(made: typeof calls): number {
  const longest = (names: string[]) => Math.max(0, ...made.filter((c) => names.includes(c.name)).map((c) => c.ms));
  return (
    longest(['getPod', 'listPodEvents', 'getCsiDriver', 'listCsiDriverPods']) +
    longest([
      'getSecretProviderClass',
      'getServiceAccount',
      'getSecretProviderClassPodStatus',
      'listSecretNames',
      'requestServiceAccountToken',
    ]) +
    longest(['replay'])
  );
}

async function kvlab(reader: 'lean' | 'client-node'): Promise<{ ms: number; requests: number; criticalPath: number }> {
  k8s.requests.reset();
  calls.length = 0;
  const gather = { ...engine.gather, cache: new SingleFlightCache(10_000) };
  const started = performance.now();
  await runDiagnosis(ns, 'pod-keyvault', reader === 'lean' ? leanPorts : ports, gather);
  const ms = performance.now() - started;
  const counts = k8s.requests.snapshot() as Record<string, number>;
  const requests = Object.entries(counts)
    .filter(([route]) => !NOT_KVLAB.has(route))
    .reduce((n, [, c]) => n + c, 0);
  return { ms, requests, criticalPath: criticalPathOf(calls) };
}

/** The CLI as a person runs it: a new process, imports included. */
async function kvlabCli(how: CliWay, args = ['diagnose', 'pod-keyvault', '-n', ns, '--json']): Promise<number> {
  const [file, argv, env] =
    how === 'npx'
      ? ['npx', ['kvlab', ...args], {}]
      : how === 'installed'
        ? ['kvlab', args, {}]
        : how === 'installed, older node'
          ? ['kvlab', args, { PATH: `${binDir}${delimiter}${OLDER_NODE_DIR}${delimiter}${process.env.PATH}` }]
          : how === 'sources'
            ? [process.execPath, [join(ROOT, 'bin/kvlab.js'), ...args], { KVLAB_BUNDLE: 'off' }]
            : how === 'sources, client-node'
              ? [
                  process.execPath,
                  [join(ROOT, 'bin/kvlab.js'), ...args],
                  { KVLAB_BUNDLE: 'off', KVLAB_K8S_CLIENT: 'client-node' },
                ]
              : [process.execPath, [join(ROOT, 'bin/kvlab.js'), ...args], {}];
  const started = performance.now();
  await run(file as string, argv as string[], { cwd: ROOT, env: { ...cliEnv, ...env } }).catch(
    (err: { code?: number }) => {
      if (err.code !== 1) throw err; // 1 = problems found, as expected for a broken namespace
    },
  );
  return performance.now() - started;
}
type CliWay = 'node bin/kvlab.js' | 'installed' | 'installed, older node' | 'npx' | 'sources' | 'sources, client-node';
const WAYS: CliWay[] = [
  'node bin/kvlab.js',
  'installed',
  ...(OLDER_NODE_DIR ? (['installed, older node'] as const) : []),
  'npx',
  'sources',
  'sources, client-node',
];
const EXPLAIN = [
  'explain',
  'AADSTS70021: No matching federated identity record found for presented assertion.',
  '--json',
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// Warm up every path once (module loading, compile cache, the bundle, kubectl's cache and binary in page cache).
await manual('cold');
await manual('warm');
await kvlab('lean');
await kvlab('client-node');
for (const way of WAYS) await kvlabCli(way);
await kvlabCli('node bin/kvlab.js', EXPLAIN);
const t: Record<string, number[]> = {};
const add = (name: string, ms: number) => {
  t[name] ??= [];
  t[name].push(ms);
};
const c: number[] = [];
const req: Record<string, number> = {};
for (let i = 0; i < RUNS; i++) {
  const cold = await manual('cold');
  add('manual, cold cache', cold.ms);
  req['manual, cold cache'] = cold.requests;
  const warm = await manual('warm');
  add('manual, warm cache', warm.ms);
  req['manual, warm cache'] = warm.requests;
  for (const reader of ['lean', 'client-node'] as const) {
    const kk = await kvlab(reader);
    add(`engine (${reader})`, kk.ms);
    req[`engine (${reader})`] = kk.requests;
    if (reader === 'lean') c.push(kk.criticalPath);
  }
  for (const way of WAYS) add(`CLI: ${way}`, await kvlabCli(way));
  add('CLI: explain (node bin/kvlab.js)', await kvlabCli('node bin/kvlab.js', EXPLAIN));
}
const criticalPath = median(c);
const warmMs = median(t['manual, warm cache'] ?? []);
const coldMs = median(t['manual, cold cache'] ?? []);
console.log(
  `namespace ${ns}, ${LATENCY} ms injected per Kubernetes, Entra ID and Key Vault request, median of ${RUNS} runs`,
);
console.log(
  `${'what'.padEnd(38)} ${'median'.padStart(8)}  ${'warm/x'.padStart(7)}  ${'cold/x'.padStart(7)}  API requests`,
);
for (const [name, xs] of Object.entries(t)) {
  const ms = median(xs);
  console.log(
    `${name.padEnd(38)} ${ms.toFixed(0).padStart(6)} ms  ${(warmMs / ms).toFixed(2).padStart(6)}x  ${(coldMs / ms).toFixed(2).padStart(6)}x  ${req[name] ?? ''}`,
  );
}
console.log(
  `critical path of dependent requests    ${criticalPath.toFixed(0).padStart(6)} ms  (pod/events/driver → SPC/SA/status/TokenRequest → Entra + Key Vault)`,
);
console.log(
  `engine (lean) / critical path          ${(median(t['engine (lean)'] ?? []) / criticalPath).toFixed(2).padStart(6)}   (target <= 1.3)`,
);
console.log(
  'targets: CLI new process >= 3x the warm manual sequence, engine >= 4x, explain <= 150 ms; warm/x = manual warm ÷ row',
);
await classroom.close();
await rm(dir, { recursive: true, force: true });
