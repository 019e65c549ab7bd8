/**
 * The cluster side of the lean engine (src/lean-engine.ts): the kubeconfig's context, one HTTPS transport and the
 * readers over it — without the Azure side, so a new CLI process can open it and send its first reads before it has
 * loaded the rest of the engine (src/cli/early-reads.ts). Undefined when the kubeconfig needs @kubernetes/client-node
 * (exec plugins, auth providers, proxies) or `KVLAB_K8S_CLIENT=client-node` says so.
 */
import { ConfigError } from '../diagnostics/errors.ts';
import type { ClassReader } from '../diagnostics/ports/class-reader.ts';
import type { ClusterReader } from '../diagnostics/ports/cluster-reader.ts';
import { type LeanKubeTarget, loadLeanKubeTarget, UnknownContextError } from './adapters/k8s-lean-config.ts';
import { createLeanClassReader, createLeanClusterReader } from './adapters/k8s-lean-readers.ts';
import { createK8sTransport, type K8sTransport } from './adapters/k8s-lean-transport.ts';

export interface LeanClusterConnection {
  target: LeanKubeTarget;
  transport: K8sTransport;
  cluster: ClusterReader;
  classes: ClassReader;
}

/** Throws ConfigError for a context the kubeconfig does not have. */
export function openLeanCluster(
  context?: string,
  env: NodeJS.ProcessEnv = process.env,
): LeanClusterConnection | undefined {
  if (env.KVLAB_K8S_CLIENT === 'client-node') return undefined;
  let target: LeanKubeTarget | undefined;
  try {
    target = loadLeanKubeTarget(context, env);
  } catch (err) {
    if (err instanceof UnknownContextError) throw new ConfigError(err.message);
    throw err;
  }
  if (!target) return undefined;
  const transport = createK8sTransport(target);
  return {
    target,
    transport,
    cluster: createLeanClusterReader(transport),
    classes: createLeanClassReader(transport),
  };
}
