/**
 * Round 1 of a diagnosis (gather-evidence.ts): the reads that need nothing but the target's names. A new CLI
 * process sends them before it has loaded the rest of the engine (src/cli/early-reads.ts), so this module stays
 * free of heavy imports.
 */
import type { ClusterReader } from '../ports/cluster-reader.ts';

export const CSI_DRIVER_NAME = 'secrets-store.csi.k8s.io';

export function roundOneReads(cluster: ClusterReader, namespace: string, pod: string) {
  return {
    csiDriver: () => cluster.getCsiDriver(CSI_DRIVER_NAME),
    driverPods: () => cluster.listCsiDriverPods(),
    pod: () => cluster.getPod(namespace, pod),
    events: () => cluster.listPodEvents(namespace, pod),
  };
}
