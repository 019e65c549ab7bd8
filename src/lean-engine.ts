/**
 * The engine for one-shot processes (`kvlab diagnose`, `kvlab status`): the lean Kubernetes transport when the
 * kubeconfig is one a plain HTTPS client can use (tokens, client certificates, CA files — src/adapters/k8s-lean-config.ts),
 * otherwise — exec plugins such as kubelogin, auth providers, proxies — the @kubernetes/client-node engine
 * (src/engine.ts), loaded only then. `KVLAB_K8S_CLIENT=client-node` forces the latter. Long-running roles keep
 * client-node (the watcher's informers need it).
 */
import { ConfigError } from '../diagnostics/errors.ts';
import { loadLeanKubeTarget, UnknownContextError } from './adapters/k8s-lean-config.ts';
import { createLeanClassReader, createLeanClusterReader } from './adapters/k8s-lean-readers.ts';
import { createK8sTransport } from './adapters/k8s-lean-transport.ts';
import type { EnvConfig } from './config.ts';
import { assembleEngine, type Engine } from './engine-assembly.ts';

/** Which Kubernetes client the engine was built on (for benchmarks and tests). */
export type EngineClient = 'lean' | 'client-node';

export async function createCliEngine(
  config: EnvConfig,
  context?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Engine & { client: EngineClient }> {
  if (env.KVLAB_K8S_CLIENT !== 'client-node') {
    let target: ReturnType<typeof loadLeanKubeTarget>;
    try {
      target = loadLeanKubeTarget(context, env);
    } catch (err) {
      if (err instanceof UnknownContextError) throw new ConfigError(err.message);
      throw err;
    }
    if (target) {
      const transport = createK8sTransport(target);
      const engine = assembleEngine(config, {
        cluster: createLeanClusterReader(transport),
        classes: createLeanClassReader(transport),
        defaultNamespace: target.namespace || 'default',
      });
      return { ...engine, client: 'lean' };
    }
  }
  const { createEngine, loadKubeConfig } = await import('./engine.ts');
  return { ...createEngine(config, loadKubeConfig(context)), client: 'client-node' };
}
