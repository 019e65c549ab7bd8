/**
 * Benchmark: `kvlab diagnose` versus the lab's manual kubectl sequence, against the same simulated classroom
 * with 20 ms injected latency on every Kubernetes API request, in one run.
 *   npx node bench/diagnose-vs-kubectl.ts [--runs 5] [--latency 20] [--namespace student-13]
 * Prints a table; bench/README.md records the results. Not part of `npm test`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { SingleFlightCache } from '../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../diagnostics/run-diagnosis.ts';
import { startClassroomFixture } from '../test/integration/classroom-fixture.ts';

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

const fx = await startClassroomFixture();
const dir = await mkdtemp(join(tmpdir(), 'kvlab-bench-'));
const kubeconfig = join(dir, 'kubeconfig');
await writeFile(kubeconfig, fx.classroom.kubeconfigYaml);
const k8s = fx.classroom.k8s;

/** The lab's troubleshooting steps, in order, as a student types them (Task 1, 2, 3 and Common Problems). */
const MANUAL: string[][] = [
  ['get', 'pods', '-n', 'kube-system', '-l', 'app in (secrets-store-csi-driver,secrets-store-provider-azure)'],
  ['api-resources'],
  ['describe', 'secretproviderclass', 'azure-kv-secrets', '-n', ns],
  ['describe', 'pod', 'pod-keyvault', '-n', ns],
  ['get', 'events', '-n', ns],
];

async function manual(): Promise<{ ms: number; requests: number }> {
  k8s.requests.reset();
  const started = performance.now();
  for (const args of MANUAL) {
    // A fresh discovery cache each time, as on a student's first try.
    const cache = await mkdtemp(join(dir, 'cache-'));
    await run('kubectl', ['--kubeconfig', kubeconfig, '--context', 'admin', '--cache-dir', cache, ...args], {
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
const ports = { cluster: timed(fx.engine.ports.cluster), vault: timed(fx.engine.ports.vault) };

/** Longest chain of dependent calls: round 1 → round 2 → TokenRequest → Entra + Key Vault. */
function criticalPathOf(made: typeof calls): number {
  const longest = (names: string[]) => Math.max(0, ...made.filter((c) => names.includes(c.name)).map((c) => c.ms));
  return (
    longest(['getPod', 'listPodEvents', 'getCsiDriver', 'listCsiDriverPods']) +
    longest(['getSecretProviderClass', 'getServiceAccount', 'getSecretProviderClassPodStatus', 'listSecretNames']) +
    longest(['requestServiceAccountToken']) +
    longest(['replay'])
  );
}

async function kvlab(): Promise<{ ms: number; requests: number; criticalPath: number }> {
  k8s.requests.reset();
  calls.length = 0;
  const gather = { ...fx.engine.gather, cache: new SingleFlightCache(10_000) };
  const started = performance.now();
  await runDiagnosis(ns, 'pod-keyvault', ports, gather);
  const ms = performance.now() - started;
  const counts = k8s.requests.snapshot() as Record<string, number>;
  const requests = Object.entries(counts)
    .filter(([route]) => !NOT_KVLAB.has(route))
    .reduce((n, [, c]) => n + c, 0);
  return { ms, requests, criticalPath: criticalPathOf(calls) };
}

/** The CLI as a person runs it: a new Node process, imports included. */
async function kvlabCli(): Promise<number> {
  const ca = join(dir, 'ca.pem');
  await writeFile(ca, fx.classroom.caPem);
  const started = performance.now();
  await run(
    process.execPath,
    [join(import.meta.dirname, '../bin/kvlab.js'), 'diagnose', 'pod-keyvault', '-n', ns, '--json'],
    {
      env: { ...process.env, KUBECONFIG: kubeconfig, KVLAB_CA_FILE: ca, ...fx.classroom.settings },
    },
  ).catch((err: { code?: number }) => {
    if (err.code !== 1) throw err; // 1 = problems found, as expected for a broken namespace
  });
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// Warm up both paths once (module loading, TLS session, kubectl binary in page cache).
await manual();
await kvlab();
k8s.faults.add({ path: /.*/, latencyMs: LATENCY });
const m: number[] = [];
const k: number[] = [];
const c: number[] = [];
const cli: number[] = [];
let manualRequests = 0;
let kvlabRequests = 0;
for (let i = 0; i < RUNS; i++) {
  const mm = await manual();
  const kk = await kvlab();
  m.push(mm.ms);
  k.push(kk.ms);
  c.push(kk.criticalPath);
  cli.push(await kvlabCli());
  manualRequests = mm.requests;
  kvlabRequests = kk.requests;
}
const criticalPath = median(c);
const rows = [
  ['manual kubectl sequence (5 commands)', median(m), manualRequests],
  ['kvlab diagnose (engine, cold cache)', median(k), kvlabRequests],
  ['kvlab diagnose (new CLI process)', median(cli), kvlabRequests],
];
console.log(`namespace ${ns}, ${LATENCY} ms injected per Kubernetes request, median of ${RUNS} runs`);
for (const [name, ms, req] of rows)
  console.log(`${String(name).padEnd(40)} ${Number(ms).toFixed(0).padStart(6)} ms  ${req} API requests`);
console.log(`speed-up (manual / kvlab engine)         ${(median(m) / median(k)).toFixed(1)}x   (target >= 3x)`);
console.log(`speed-up (manual / kvlab CLI process)    ${(median(m) / median(cli)).toFixed(1)}x`);
console.log(
  `critical path of dependent requests        ${criticalPath.toFixed(0).padStart(6)} ms  (pod/events/driver → SPC/SA/status → TokenRequest → Entra + Key Vault)`,
);
console.log(`kvlab / critical path                    ${(median(k) / criticalPath).toFixed(2)}   (target <= 1.3)`);
await fx.classroom.close();
await rm(dir, { recursive: true, force: true });
