/**
 * The engine for one-shot processes (`kvlab diagnose`, `kvlab status`): the lean Kubernetes transport when the
 * kubeconfig is one a plain HTTPS client can use (tokens, client certificates, CA files — src/adapters/k8s-lean-config.ts),
 * otherwise — exec plugins such as kubelogin, auth providers, proxies — the @kubernetes/client-node engine
 * (src/engine.ts), loaded only then. `KVLAB_K8S_CLIENT=client-node` forces the latter. `kvlab serve --role worker`
 * builds its engine the same way (src/serve.ts), so a worker does not load client-node (~95 MB resident); the
 * watcher keeps client-node (its informers need it).
 */
import { ConfigError } from '../diagnostics/errors.ts';
import { loadLeanKubeTarget, UnknownContextError } from './adapters/k8s-lean-config.ts';
import { createLeanClassReader, createLeanClusterReader } from './adapters/k8s-lean-readers.ts';
import { createK8sTransport } from './adapters/k8s-lean-transport.ts';
import { assembleEngine, type Engine } from './engine-assembly.ts';
import type { EnvConfig } from './engine-settings.ts';

/** Which Kubernetes client the engine was built on (for benchmarks and tests). */
export type EngineClient = 'lean' | 'client-node';

/** The cluster a lean engine reads, for readiness (`/version` answers) and request metrics. */
export interface LeanCluster {
  server: string;
  version(): Promise<unknown>;
}

/**
 * The engine on the lean transport, or undefined when the kubeconfig needs client-node (or `KVLAB_K8S_CLIENT`
 * says so). Throws ConfigError for a context the kubeconfig does not have.
 */
export function createLeanEngine(
  config: EnvConfig,
  context?: string,
  env: NodeJS.ProcessEnv = process.env,
): (Engine & { cluster: LeanCluster }) | undefined {
  if (env.KVLAB_K8S_CLIENT === 'client-node') return undefined;
  let target: ReturnType<typeof loadLeanKubeTarget>;
  try {
    target = loadLeanKubeTarget(context, env);
  } catch (err) {
    if (err instanceof UnknownContextError) throw new ConfigError(err.message);
    throw err;
  }
  if (!target) return undefined;
  const transport = createK8sTransport(target);
  const engine = assembleEngine(config, {
    cluster: createLeanClusterReader(transport),
    classes: createLeanClassReader(transport),
    defaultNamespace: target.namespace || 'default',
    requestsSent: () => transport.sent?.() ?? Promise.resolve(),
  });
  return { ...engine, cluster: { server: target.server, version: () => transport.json({ path: '/version' }) } };
}

export async function createCliEngine(
  config: EnvConfig,
  context?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Engine & { client: EngineClient }> {
  const lean = createLeanEngine(config, context, env);
  if (lean) {
    const { cluster: _, ...engine } = lean;
    return { ...engine, client: 'lean' };
  }
  const { createEngine, loadKubeConfig } = await import('./engine.ts');
  return { ...createEngine(config, loadKubeConfig(context)), client: 'client-node' };
}
