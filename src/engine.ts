/**
 * Composition root of the diagnostic engine: builds the Kubernetes and Azure adapters from settings and a
 * kubeconfig, and shares one single-flight cache for cluster-wide reads across diagnoses.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../diagnostics/errors.ts';
import type { GatherOptions, Ports } from '../diagnostics/gather/gather-evidence.ts';
import { SingleFlightCache } from '../diagnostics/gather/single-flight-cache.ts';
import type { ClassReader } from '../diagnostics/ports/class-reader.ts';
import { createAzureVaultProbe } from './adapters/azure-vault-probe.ts';
import { createK8sClassReader } from './adapters/k8s-class-reader.ts';
import { createK8sClusterReader } from './adapters/k8s-cluster-reader.ts';
import { createAzureTransport } from './azure/transport.ts';
import type { EnvConfig } from './config.ts';

/** How long cluster-wide reads (CSI driver, its pods, the CRD) are shared between diagnoses. */
const PREREQUISITE_TTL_MS = 10_000;

export interface Engine {
  ports: Ports;
  /** Cluster-wide lists for class status. */
  classes: ClassReader;
  gather: GatherOptions;
  /** The namespace of the kubeconfig's current context, for `-n` defaults. */
  defaultNamespace: string;
}

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
  const transport = createAzureTransport({
    ...(config.KVLAB_KEYVAULT_ENDPOINT ? { keyVaultEndpoint: config.KVLAB_KEYVAULT_ENDPOINT } : {}),
    ...(config.caPem ? { caPem: config.caPem } : {}),
    ...(config.AZURE_AUTHORITY_HOST ? { authorityHost: config.AZURE_AUTHORITY_HOST } : {}),
  });
  const current = kc.getContextObject(kc.getCurrentContext());
  return {
    ports: { cluster: createK8sClusterReader(kc), vault: createAzureVaultProbe(transport) },
    classes: createK8sClassReader(kc),
    gather: {
      readTimeoutMs: config.KVLAB_READ_TIMEOUT_MS,
      replayTimeoutMs: config.KVLAB_REPLAY_TIMEOUT_MS,
      replay: config.KVLAB_REPLAY,
      cache: new SingleFlightCache(PREREQUISITE_TTL_MS),
    },
    defaultNamespace: current?.namespace || 'default',
  };
}
