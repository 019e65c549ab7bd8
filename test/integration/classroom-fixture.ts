/**
 * Starts the simulated classroom once per test file and builds the product's real engine against it: the
 * client-node ClusterReader with the bot's least-privilege kubeconfig context, and the Azure probe with the
 * settings `kvlab sim` writes to its env file.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';
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
