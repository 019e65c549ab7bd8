/**
 * The part of the engine's composition that does not depend on how Kubernetes is reached: the Azure transport and
 * probe, and the gather options with one single-flight cache for cluster-wide reads shared across diagnoses.
 * src/engine.ts plugs in the @kubernetes/client-node readers, src/lean-engine.ts the lean ones.
 */
import type { GatherOptions, Ports } from '../diagnostics/gather/gather-evidence.ts';
import { SingleFlightCache } from '../diagnostics/gather/single-flight-cache.ts';
import type { ClassReader } from '../diagnostics/ports/class-reader.ts';
import type { ClusterReader } from '../diagnostics/ports/cluster-reader.ts';
import type { VaultProbe } from '../diagnostics/ports/vault-probe.ts';
import { createAzureVaultProbe } from './adapters/azure-vault-probe.ts';
import { type AzureTransport, createAzureTransport } from './azure/transport.ts';
import type { EnvConfig } from './engine-settings.ts';

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

export function assembleEngine(
  config: EnvConfig,
  kube: {
    cluster: ClusterReader;
    classes: ClassReader;
    defaultNamespace: string;
    /** Resolves when the next Kubernetes reads are written (src/adapters/k8s-lean-transport.ts `sent`). */
    requestsSent?: () => Promise<void>;
  },
): Engine {
  const transport = createAzureTransport({
    ...(config.KVLAB_KEYVAULT_ENDPOINT ? { keyVaultEndpoint: config.KVLAB_KEYVAULT_ENDPOINT } : {}),
    ...(config.caPem ? { caPem: config.caPem } : {}),
    ...(config.AZURE_AUTHORITY_HOST ? { authorityHost: config.AZURE_AUTHORITY_HOST } : {}),
    ...(config.KVLAB_ENTRA_ENDPOINT ? { entraEndpoint: config.KVLAB_ENTRA_ENDPOINT } : {}),
  });
  return {
    ports: { cluster: kube.cluster, vault: deferredProbe(transport, kube.requestsSent) },
    classes: kube.classes,
    gather: {
      readTimeoutMs: config.KVLAB_READ_TIMEOUT_MS,
      replayTimeoutMs: config.KVLAB_REPLAY_TIMEOUT_MS,
      replay: config.KVLAB_REPLAY,
      cache: new SingleFlightCache(PREREQUISITE_TTL_MS),
    },
    defaultNamespace: kube.defaultNamespace,
  };
}

/**
 * The Azure probe, created — and the Azure SDKs loaded, compiled on this thread (~50 ms in a new process), and the
 * TLS context built — once the next Kubernetes reads are on the wire (round two in a CLI run, whose first reads go
 * out before the engine loads), so the loading overlaps the wait for their answers; at the latest when a replay
 * needs it.
 */
function deferredProbe(transport: AzureTransport, requestsSent: (() => Promise<void>) | undefined): VaultProbe {
  let probe: VaultProbe | undefined;
  const ready = () => {
    if (!probe) {
      transport.prepare();
      probe = createAzureVaultProbe(transport);
    }
    return probe;
  };
  if (requestsSent) void requestsSent().then(ready);
  else ready();
  return { replay: (request, signal) => ready().replay(request, signal) };
}
