/**
 * What a pod's object says about its secrets mount (pure). A pod whose CSI volume cannot mount stays `Pending`
 * with its containers `waiting: ContainerCreating` (docs/wire-notes.md §7.4): kubelet starts containers only after every
 * volume is mounted, so any container that is running or has run means the mount succeeded.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { PodView } from './alert-model.ts';

export function mountState(pod: V1Pod | undefined, podUid: string): PodView {
  if (!pod || (pod.metadata?.uid && pod.metadata.uid !== podUid)) return 'gone';
  if (pod.metadata?.deletionTimestamp) return 'gone';
  return hasMounted(pod) ? 'mounted' : 'failing';
}

/** True when the pod's containers have started (so its volumes are mounted). */
export function hasMounted(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Running' || phase === 'Succeeded') return true;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.some((c) => c.state?.running || c.state?.terminated || c.lastState?.terminated);
}

/** True when the pod mounts a Secrets Store CSI volume (the only mounts the watcher alerts about). */
export function usesSecretsStore(pod: V1Pod): boolean {
  return (pod.spec?.volumes ?? []).some((v) => v.csi?.driver === 'secrets-store.csi.k8s.io');
}
