/**
 * Timeline of one diagnosis against the simulated classroom with injected latency: every HTTP request kvlab sends
 * (start → response end), every TLS handshake, and what the simulators receive, in milliseconds from the start.
 * Shows what is on the critical path and what overlaps (bench/README.md "`kvlab diagnose` versus …").
 *   npx node bench/diagnose-timeline.ts [--latency 20] [--namespace student-13] [--runs 3]
 * Not part of `npm test`.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { SingleFlightCache } from '../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../diagnostics/run-diagnosis.ts';
import { startClassroom } from '../sim/classroom.ts';
import { loadEnv } from '../src/config.ts';
import { createLeanEngine } from '../src/lean-engine.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '20' },
    namespace: { type: 'string', default: 'student-13' },
    runs: { type: 'string', default: '3' },
  },
});
const classroom = await startClassroom({ latencyMs: Number(values.latency) });
const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
const { join } = await import('node:path');
const { tmpdir } = await import('node:os');
const dir = await mkdtemp(join(tmpdir(), 'kvlab-timeline-'));
await writeFile(join(dir, 'kubeconfig'), classroom.kubeconfigYaml);
const config = { ...loadEnv({ ...classroom.settings, KVLAB_REPLAY: 'replay' }), caPem: classroom.caPem };
const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') };

let t0 = performance.now();
const lines: Array<[number, string]> = [];
const at = () => performance.now() - t0;
const ports = new Map<number, string>([
  [Number(new URL(classroom.k8s.httpsUrl).port), 'k8s'],
  [Number(new URL(classroom.settings.KVLAB_ENTRA_ENDPOINT).port), 'entra'],
  [Number(new URL(classroom.settings.KVLAB_KEYVAULT_ENDPOINT).port), 'vault'],
]);
const started = new WeakMap<ClientRequest, number>();
subscribe('http.client.request.start', (m) => {
  started.set((m as { request: ClientRequest }).request, at());
});
subscribe('http.client.response.finish', (m) => {
  const { request, response } = m as { request: ClientRequest; response: IncomingMessage };
  const s = started.get(request) ?? Number.NaN;
  const host = ports.get(Number(request.socket?.remotePort)) ?? request.host;
  const reused = (request as unknown as { reusedSocket?: boolean }).reusedSocket ? 'reused' : 'new socket';
  lines.push([
    s,
    `${s.toFixed(0).padStart(4)} → ${at().toFixed(0).padStart(4)}  ${host} ${request.method} ${request.path.split('?')[0]} ${response.statusCode} (${reused})`,
  ]);
});
subscribe('http.server.request.start', (m) => {
  const { request } = m as { request: IncomingMessage };
  const host = ports.get(Number(request.socket.localPort)) ?? '?';
  lines.push([
    at(),
    `${at().toFixed(0).padStart(4)}        server ${host} got ${request.method} ${request.url?.split('?')[0]}`,
  ]);
});

for (let i = 0; i < Number(values.runs); i++) {
  const engine = createLeanEngine(config, 'kvlab-bot', env);
  if (!engine) throw new Error('the simulator kubeconfig should suit the lean transport');
  lines.length = 0;
  t0 = performance.now();
  await runDiagnosis(values.namespace, 'pod-keyvault', engine.ports, {
    ...engine.gather,
    cache: new SingleFlightCache(10_000),
  });
  const total = at();
  console.log(`run ${i + 1}: ${total.toFixed(0)} ms`);
  for (const [, line] of lines.sort((a, b) => a[0] - b[0])) console.log(`  ${line}`);
}
await classroom.close();
await rm(dir, { recursive: true, force: true });
