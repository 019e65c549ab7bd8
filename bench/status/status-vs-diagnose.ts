/**
 * Benchmark: `kvlab status` of a generated 200-student class against the simulated cluster with 20 ms latency on
 * every Kubernetes, Entra ID and Key Vault request, side by side in the same run with
 *   - the baseline of diagnosing each namespace in turn (what status replaces; Key Vault replay on, as `kvlab
 *     diagnose` runs by default, and off), and
 *   - what an instructor does by hand: `kubectl get pods,secretproviderclasses,events -A` (warm discovery cache).
 *   npx node bench/status/status-vs-diagnose.ts [--students 200] [--latency 20] [--runs 3]
 * Prints a table; bench/README.md records the results. Not part of `npm test`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { runClassStatus } from '../../diagnostics/status/class-status.ts';
import { startClassroom } from '../../sim/classroom.ts';
import { loadEnv } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    students: { type: 'string', default: '200' },
    latency: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
  },
});
const STUDENTS = Number(values.students);
const LATENCY = Number(values.latency);
const RUNS = Number(values.runs);

const classroom = await startClassroom({ classSize: STUDENTS, latencyMs: LATENCY });
const dir = await mkdtemp(join(tmpdir(), 'kvlab-bench-status-'));
const kubeconfigFile = join(dir, 'kubeconfig');
await writeFile(kubeconfigFile, classroom.kubeconfigYaml);
const kc = new KubeConfig();
kc.loadFromString(classroom.kubeconfigYaml);
kc.setCurrentContext('kvlab-bot');
const engineFor = (replay: 'replay' | 'off') =>
  createEngine({ ...loadEnv({ ...classroom.settings, KVLAB_REPLAY: replay }), caPem: classroom.caPem }, kc);
const spec = classroom.slack.roster.classes[0];
if (!spec) throw new Error('the generated roster has no class');
const k8s = classroom.k8s;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function measure(label: string, once: () => Promise<unknown>, runs = RUNS) {
  const times: number[] = [];
  let requests = 0;
  for (let i = 0; i < runs; i++) {
    k8s.requests.reset();
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
    requests = k8s.requests.total();
  }
  return { label, ms: median(times), requests };
}

const status = engineFor('off');
const statusRow = await measure('kvlab status (one snapshot)', async () => {
  // A fresh cache each run: no help from an earlier run's cluster-wide reads.
  const report = await runClassStatus(
    spec,
    { cluster: status.ports.cluster, classes: status.classes },
    {
      ...status.gather,
      cache: new SingleFlightCache(10_000),
    },
  );
  if (report.students.length !== STUDENTS) throw new Error(`status listed ${report.students.length} students`);
});
const eachNamespace = (engine: ReturnType<typeof engineFor>) => async () => {
  const gather = { ...engine.gather, cache: new SingleFlightCache(10_000) };
  for (const s of spec.students) await runDiagnosis(s.namespace, 'pod-keyvault', engine.ports, gather);
};
const diagnoseOff = await measure('diagnose each namespace in turn (replay off)', eachNamespace(engineFor('off')), 1);
const diagnoseOn = await measure('diagnose each namespace in turn (replay on)', eachNamespace(engineFor('replay')), 1);
const cache = join(dir, 'kube-cache');
const kubectl = () =>
  run(
    'kubectl',
    [
      '--kubeconfig',
      kubeconfigFile,
      '--context',
      'admin',
      '--cache-dir',
      cache,
      'get',
      'pods,secretproviderclasses,events',
      '-A',
    ],
    {
      env: { ...process.env, HOME: dir },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
await kubectl(); // warm the discovery cache, as an instructor's second command would find it
const byHand = await measure('kubectl get pods,secretproviderclasses,events -A (warm cache)', kubectl);

console.log(
  `\n${STUDENTS} students, ${LATENCY} ms per request, median of ${RUNS} runs (baselines over all students once)\n`,
);
console.log('| what | wall time | Kubernetes requests | status is … faster |');
console.log('|---|---|---|---|');
for (const row of [statusRow, diagnoseOff, diagnoseOn, byHand]) {
  const ratio = row === statusRow ? '1×' : `${(row.ms / statusRow.ms).toFixed(1)}×`;
  console.log(`| ${row.label} | ${Math.round(row.ms)} ms | ${row.requests} | ${ratio} |`);
}
await classroom.close();
await rm(dir, { recursive: true, force: true });
