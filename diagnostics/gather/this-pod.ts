/**
 * Evidence belongs to the pod being diagnosed: a pod recreated under the same name has a new uid, and the
 * SecretProviderClassPodStatus (owned by the earlier pod until garbage collection) or events left by that earlier
 * pod say nothing about it. Objects that name no uid are kept (older clusters, hand-made test data).
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import type { SecretProviderClassPodStatus } from '../ports/cluster-reader.ts';

/** Events whose involvedObject is this pod (or names no uid). */
export function eventsOfThisPod(events: CoreV1Event[], podUid: string | undefined): CoreV1Event[] {
  if (!podUid) return events;
  return events.filter((e) => !e.involvedObject?.uid || e.involvedObject.uid === podUid);
}

/** The mount status when it is owned by this pod; `null` when its Pod owner is an earlier pod of the same name. */
export function podStatusOfThisPod(
  status: SecretProviderClassPodStatus | null,
  podUid: string | undefined,
): SecretProviderClassPodStatus | null {
  if (!status || !podUid) return status;
  const owners = (status.metadata.ownerReferences ?? []).filter((o) => o.kind === 'Pod' && o.uid);
  return owners.length === 0 || owners.some((o) => o.uid === podUid) ? status : null;
}
