/**
 * Starts the simulated classroom once per test file and builds the product's real engine against it: the
 * client-node ClusterReader with the bot's least-privilege kubeconfig context, and the Azure probe with the
 * settings `kvlab sim` writes to its env file. `KVLAB_TEST_K8S_CLIENT=lean` builds the engine on the CLI's lean
 * Kubernetes readers instead (src/adapters/k8s-lean-readers.ts), so the same suites prove both.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';
import { leanKubeTargetFromString } from '../../src/adapters/k8s-lean-config.ts';
import { createLeanClassReader, createLeanClusterReader } from '../../src/adapters/k8s-lean-readers.ts';
import { createK8sTransport } from '../../src/adapters/k8s-lean-transport.ts';
import { loadEnv } from '../../src/config.ts';
import { createEngine, type Engine } from '../../src/engine.ts';

export interface ClassroomFixture {
  classroom: Classroom;
  engine: Engine;
  kubeconfig: KubeConfig;
  /** Namespaces annotated `kvlab.io/expect`, with the expected category (or `healthy`). */
  expectations: Array<{ namespace: string; expect: string; story: string }>;
}

export async function startClassroomFixture(scenario = 'classroom', context = 'kvlab-bot'): Promise<ClassroomFixture> {
  const classroom = await startClassroom({ scenario });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromString(classroom.kubeconfigYaml);
  kubeconfig.setCurrentContext(context);
  const config = { ...loadEnv({ ...classroom.settings, KVLAB_REPLAY: 'replay' }), caPem: classroom.caPem };
  const engine = createEngine(config, kubeconfig);
  if (process.env.KVLAB_TEST_K8S_CLIENT === 'lean') {
    const target = leanKubeTargetFromString(classroom.kubeconfigYaml, context);
    if (!target) throw new Error(`the lean transport cannot use context ${context}`);
    const transport = createK8sTransport(target);
    engine.ports = { ...engine.ports, cluster: createLeanClusterReader(transport) };
    engine.classes = createLeanClassReader(transport);
  }
  const expectations = classroom.scenario.objects
    .filter((o) => o.kind === 'Namespace')
    .map((o) => o.metadata as { name: string; annotations?: Record<string, string> })
    .filter((m) => m.annotations?.['kvlab.io/expect'])
    .map((m) => ({
      namespace: m.name,
      expect: m.annotations?.['kvlab.io/expect'] as string,
      story: m.annotations?.['kvlab.io/scenario'] ?? '',
    }));
  return { classroom, engine, kubeconfig, expectations };
}
