/**
 * The engine for one-shot processes (`kvlab diagnose`, `kvlab status`): the lean Kubernetes transport when the
 * kubeconfig is one a plain HTTPS client can use (tokens, client certificates, CA files — src/adapters/k8s-lean-config.ts),
 * otherwise — exec plugins such as kubelogin, auth providers, proxies — the @kubernetes/client-node engine
 * (src/engine.ts), loaded only then. `KVLAB_K8S_CLIENT=client-node` forces the latter. `kvlab serve --role worker`
 * builds its engine the same way (src/serve.ts), so a worker does not load client-node (~95 MB resident); the
 * watcher keeps client-node (its informers need it).
 */

import { assembleEngine, type Engine } from './engine-assembly.ts';
import type { EnvConfig } from './engine-settings.ts';
import { type LeanClusterConnection, openLeanCluster } from './lean-cluster.ts';

/** Which Kubernetes client the engine was built on (for benchmarks and tests). */
export type EngineClient = 'lean' | 'client-node';

/** The cluster a lean engine reads, for readiness (`/version` answers) and request metrics. */
export interface LeanCluster {
  server: string;
  version(): Promise<unknown>;
}

/**
 * The engine on the lean transport, or undefined when the kubeconfig needs client-node (or `KVLAB_K8S_CLIENT`
 * says so). Throws ConfigError for a context the kubeconfig does not have. `opened`: a connection already opened
 * (and perhaps already reading, src/cli/early-reads.ts).
 */
export function createLeanEngine(
  config: EnvConfig,
  context?: string,
  env: NodeJS.ProcessEnv = process.env,
  opened: LeanClusterConnection | undefined = openLeanCluster(context, env),
): (Engine & { cluster: LeanCluster }) | undefined {
  if (!opened) return undefined;
  const { target, transport } = opened;
  const engine = assembleEngine(config, {
    cluster: opened.cluster,
    classes: opened.classes,
    defaultNamespace: target.namespace || 'default',
    // With the first reads already out (src/cli/early-reads.ts), the Azure SDKs load while round two travels.
    requestsSent: () => transport.sent?.({ next: true }) ?? Promise.resolve(),
  });
  return { ...engine, cluster: { server: target.server, version: () => transport.json({ path: '/version' }) } };
}

export async function createCliEngine(
  config: EnvConfig,
  context?: string,
  env: NodeJS.ProcessEnv = process.env,
  opened?: LeanClusterConnection,
): Promise<Engine & { client: EngineClient }> {
  const lean = createLeanEngine(config, context, env, opened);
  if (lean) {
    const { cluster: _, ...engine } = lean;
    return { ...engine, client: 'lean' };
  }
  const { createEngine, loadKubeConfig } = await import('./engine.ts');
  return { ...createEngine(config, loadKubeConfig(context)), client: 'client-node' };
}
