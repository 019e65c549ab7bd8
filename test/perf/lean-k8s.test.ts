/**
 * The CLI's lean Kubernetes readers (src/adapters/k8s-lean-*.ts) against @kubernetes/client-node's, on the
 * simulated classroom: every namespace's diagnosis and the class status come out the same, errors translate the
 * same (403, a Status 404 → null, a plain 404 → not served, unreachable), and the kubeconfig is read as
 * client-node reads it or handed back to it (exec plugins). The integration suites also run on the lean readers:
 * `KVLAB_TEST_K8S_CLIENT=lean npx vitest run test/integration test/status`.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyError, ForbiddenError, NotServedError } from '../../diagnostics/errors.ts';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { createK8sClassReader } from '../../src/adapters/k8s-class-reader.ts';
import { leanKubeTargetFromString, loadLeanKubeTarget } from '../../src/adapters/k8s-lean-config.ts';
import { createLeanClassReader, createLeanClusterReader } from '../../src/adapters/k8s-lean-readers.ts';
import { createK8sTransport } from '../../src/adapters/k8s-lean-transport.ts';
import { type ClassroomFixture, startClassroomFixture } from '../integration/classroom-fixture.ts';

let fx: ClassroomFixture;
let lean: ReturnType<typeof createLeanClusterReader>;
beforeAll(async () => {
  fx = await startClassroomFixture();
  const target = leanKubeTargetFromString(fx.classroom.kubeconfigYaml, 'kvlab-bot');
  if (!target) throw new Error('no lean target');
  lean = createLeanClusterReader(createK8sTransport(target));
}, 60_000);
afterAll(async () => fx?.classroom.close());

/** A report without what differs between two runs: timings, clocks, Entra's per-request trace ids and times. */
const comparable = (report: unknown) =>
  JSON.parse(JSON.stringify(report), (k, v) => {
    if (k === 'durationMs' || k === 'checkedAt') return undefined;
    if (typeof v !== 'string') return v;
    return v
      .replace(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/(Trace|Correlation) ID: [0-9a-f-]+/g, '$1 ID: <id>')
      .replace(/last \d+s ago|\b\d+s ago/g, '<age>')
      .slice(0, 300);
  });

describe('lean Kubernetes readers', () => {
  it('diagnose every classroom namespace exactly as the client-node readers do', async () => {
    expect(fx.expectations.length).toBeGreaterThan(10);
    const now = () => new Date('2026-12-06T12:00:00Z');
    for (const { namespace } of fx.expectations) {
      const gather = () => ({ ...fx.engine.gather, cache: new SingleFlightCache(10_000) });
      const a = await runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, gather(), now);
      const b = await runDiagnosis(namespace, 'pod-keyvault', { ...fx.engine.ports, cluster: lean }, gather(), now);
      // Event ages are computed from the clock above; messages quoting "last 60s ago" use the simulator's clock.
      expect(comparable(b.report), namespace).toEqual(comparable(a.report));
    }
  }, 120_000);

  it('read the same cluster-wide lists for class status', async () => {
    const target = leanKubeTargetFromString(fx.classroom.kubeconfigYaml, 'kvlab-bot');
    const leanClasses = createLeanClassReader(createK8sTransport(target as NonNullable<typeof target>));
    const classes = createK8sClassReader(fx.kubeconfig);
    const names = (xs: Array<{ metadata?: { name?: string; namespace?: string } }>) =>
      xs.map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`).sort();
    expect(names(await leanClasses.listAllPods())).toEqual(names(await classes.listAllPods()));
    expect(names(await leanClasses.listNamespaces())).toEqual(names(await classes.listNamespaces()));
    expect(names(await leanClasses.listAllSecretProviderClasses())).toEqual(
      names(await classes.listAllSecretProviderClasses()),
    );
  });

  it('translate errors as the client-node readers do', async () => {
    expect(await lean.getPod('student-01', 'no-such-pod')).toBeNull();
    // The bot's Role does not allow reading Secrets' data, only listing them as metadata.
    await expect(lean.listSecretNames('kube-system')).rejects.toBeInstanceOf(ForbiddenError);
    const transport = createK8sTransport(
      leanKubeTargetFromString(fx.classroom.kubeconfigYaml, 'admin') as NonNullable<
        ReturnType<typeof leanKubeTargetFromString>
      >,
    );
    const unserved = createLeanClusterReader({
      json: (req) =>
        transport.json({ ...req, path: req.path.replace('secrets-store.csi.x-k8s.io', 'nothing.example.com') }),
    });
    await expect(unserved.getSecretProviderClass('student-01', 'x')).rejects.toBeInstanceOf(NotServedError);
    const down = createLeanClusterReader(
      createK8sTransport({ server: 'https://127.0.0.1:1', rejectUnauthorized: false, contextName: 'x' }),
    );
    await expect(down.getPod('a', 'b')).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('lean kubeconfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kvlab-lean-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads the current context as client-node does, and merges KUBECONFIG lists first name first', async () => {
    const file = join(dir, 'a');
    await writeFile(file, fx.classroom.kubeconfigYaml);
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const target = loadLeanKubeTarget(undefined, { KUBECONFIG: `${join(dir, 'missing-is-skipped')}:${file}` });
    expect(target).toBeUndefined(); // an unreadable file: client-node reports it
    const t = loadLeanKubeTarget(undefined, { KUBECONFIG: file });
    expect(t?.server).toBe(kc.getCurrentCluster()?.server);
    expect(t?.contextName).toBe(kc.getCurrentContext());
    expect(() => loadLeanKubeTarget('nope', { KUBECONFIG: file })).toThrow(/no context "nope"/);
  });

  it('parses YAML with the parser client-node uses: what client-node refuses (an unknown tag) goes back to it', async () => {
    const tagged = fx.classroom.kubeconfigYaml.replace(/token: /, 'token: !vault ');
    expect(tagged).toContain('!vault');
    expect(() => new KubeConfig().loadFromString(tagged)).toThrow(/unknown scalar tag/);
    const file = join(dir, 'tagged');
    await writeFile(file, tagged);
    expect(loadLeanKubeTarget(undefined, { KUBECONFIG: file })).toBeUndefined();
  });

  it('hands exec plugins and auth providers back to client-node', async () => {
    const exec = fx.classroom.kubeconfigYaml.replace(
      /token: .*/,
      'exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token]}',
    );
    expect(exec).toContain('kubelogin');
    expect(leanKubeTargetFromString(exec, 'kvlab-bot')).toBeUndefined();
  });
});
