/**
 * A new `kvlab diagnose` process sends the diagnosis's first reads (diagnostics/gather/round-one.ts) as soon as it
 * has read the kubeconfig, and loads the rest of the engine — the checks, the knowledge base, the Azure SDKs, ~100 ms
 * of evaluation — while the API server answers. The reader returned answers the engine's first call of each of
 * those reads, with the same arguments, with the request already in flight; every other call goes to the cluster.
 */

import { CSI_DRIVER_NAME, roundOneReads } from '../../diagnostics/gather/round-one.ts';
import type { ClusterReader } from '../../diagnostics/ports/cluster-reader.ts';

export function withEarlyReads(cluster: ClusterReader, namespace: string, pod: string): ClusterReader {
  const inFlight = new Map<string, Promise<unknown>>();
  for (const [read, start] of Object.entries(roundOneReads(cluster, namespace, pod))) {
    const answer = start();
    answer.catch(() => {}); // a failure is the engine's to report when it takes the answer
    inFlight.set(read, answer);
  }
  const take = <T>(read: string, matches: boolean, load: () => Promise<T>): Promise<T> => {
    const answer = matches ? inFlight.get(read) : undefined;
    if (!answer) return load();
    inFlight.delete(read);
    return answer as Promise<T>;
  };
  const same = (ns: string, name: string) => ns === namespace && name === pod;
  return {
    ...cluster,
    getCsiDriver: (name) => take('csiDriver', name === CSI_DRIVER_NAME, () => cluster.getCsiDriver(name)),
    listCsiDriverPods: () => take('driverPods', true, () => cluster.listCsiDriverPods()),
    getPod: (ns, name) => take('pod', same(ns, name), () => cluster.getPod(ns, name)),
    listPodEvents: (ns, name) => take('events', same(ns, name), () => cluster.listPodEvents(ns, name)),
  };
}
