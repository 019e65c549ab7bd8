/**
 * Composition root of the diagnostic engine: builds the Kubernetes and Azure adapters from settings and a
 * kubeconfig, and shares one single-flight cache for cluster-wide reads across diagnoses.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../diagnostics/errors.ts';
import { createK8sClassReader } from './adapters/k8s-class-reader.ts';
import { createK8sClusterReader } from './adapters/k8s-cluster-reader.ts';
import { assembleEngine, type Engine } from './engine-assembly.ts';
import type { EnvConfig } from './engine-settings.ts';

export type { Engine } from './engine-assembly.ts';

/** Loads the kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster) and selects `context` if given. */
export function loadKubeConfig(context?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (err) {
    throw new ConfigError(
      `the kubeconfig cannot be read: ${(err as Error).message.split('\n')[0]}. Set KUBECONFIG to a readable file.`,
    );
  }
  if (kc.getClusters().length === 0 || !kc.getCurrentCluster()) {
    throw new ConfigError('no Kubernetes cluster is configured: set KUBECONFIG, or run inside a cluster.');
  }
  if (context !== undefined) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(context)) {
      throw new ConfigError(`kubeconfig has no context "${context}"; contexts: ${names.join(', ') || '(none)'}.`);
    }
    kc.setCurrentContext(context);
  }
  return kc;
}

export function createEngine(config: EnvConfig, kc: KubeConfig): Engine {
  const current = kc.getContextObject(kc.getCurrentContext());
  return assembleEngine(config, {
    cluster: createK8sClusterReader(kc),
    classes: createK8sClassReader(kc),
    defaultNamespace: current?.namespace || 'default',
  });
}
