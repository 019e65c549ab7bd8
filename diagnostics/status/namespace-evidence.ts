/**
 * Cuts one namespace's Evidence out of the class snapshot, in the same shape gatherEvidence gives a diagnosis,
 * so class status judges every student with the very checks `kvlab diagnose` runs. What a diagnosis reads
 * beyond the snapshot is left out on purpose: the Key Vault replay (that is what "Diagnose" is for) and Secret
 * names (status reads no Secrets at all).
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { Evidence } from '../gather/gather-evidence.ts';
import { csiVolumeOf } from '../gather/pod-volume.ts';
import type { SecretProviderClass, SecretProviderClassPodStatus } from '../ports/cluster-reader.ts';
import type { Read } from '../types.ts';
import type { ClassSnapshot } from './gather-class.ts';

/** The pod the lab asks for. */
export const LAB_POD = 'pod-keyvault';

/** The snapshot's objects grouped by namespace, built once per status. */
export interface NamespaceIndex {
  pods: Map<string, V1Pod[]>;
  events: Map<string, CoreV1Event[]>;
  spcs: Map<string, SecretProviderClass[]>;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function indexSnapshot(s: ClassSnapshot): NamespaceIndex {
  return {
    pods: groupBy(s.pods.ok ? s.pods.value : [], (p) => p.metadata?.namespace),
    events: groupBy(s.events.ok ? s.events.value : [], (e) => e.involvedObject?.namespace ?? e.metadata?.namespace),
    spcs: groupBy(s.spcs.ok ? s.spcs.value : [], (c) => c.metadata.namespace),
  };
}

/** The lab's pod if it exists, else the newest pod with a Secrets Store CSI volume, else none. */
export function choosePod(pods: readonly V1Pod[]): V1Pod | undefined {
  const lab = pods.find((p) => p.metadata?.name === LAB_POD);
  if (lab) return lab;
  const time = (p: V1Pod) => new Date((p.metadata?.creationTimestamp as unknown as string) ?? 0).getTime();
  return pods.filter((p) => csiVolumeOf(p)?.driver === 'secrets-store.csi.k8s.io').sort((a, b) => time(b) - time(a))[0];
}

/** A value found in a list read, or that read's Gap. */
function pick<T, V>(r: Read<T[]>, find: (items: T[]) => V): Read<V> {
  return r.ok ? { ok: true, value: find(r.value) } : r;
}

export function namespaceEvidence(namespace: string, s: ClassSnapshot, index: NamespaceIndex): Evidence {
  const pods = index.pods.get(namespace) ?? [];
  const chosen = choosePod(pods);
  const podName = chosen?.metadata?.name ?? LAB_POD;
  const base = { target: { namespace, pod: podName }, csiDriver: s.csiDriver, driverPods: s.driverPods };
  const events: Read<CoreV1Event[]> = pick(s.events, () =>
    (index.events.get(namespace) ?? []).filter((e) => e.involvedObject?.name === podName),
  );
  const pod: Read<V1Pod | null> = s.pods.ok ? { ok: true, value: chosen ?? null } : s.pods;
  if (!chosen) {
    const otherPods: Read<string[]> = pick(s.pods, () => pods.map((p) => p.metadata?.name ?? '').filter(Boolean));
    return { ...base, pod, events, otherPods, spcCrd: s.spcCrd };
  }
  const evidence: Evidence = { ...base, pod, events };
  const spcName = csiVolumeOf(chosen)?.secretProviderClass;
  const saName = chosen.spec?.serviceAccountName || 'default';
  evidence.serviceAccount = pick(
    s.serviceAccounts,
    (all) => all.find((a) => a.metadata?.namespace === namespace && a.metadata?.name === saName) ?? null,
  );
  if (!spcName) return { ...evidence, spcCrd: s.spcCrd };
  const inNamespace = index.spcs.get(namespace) ?? [];
  evidence.spc = pick(s.spcs, () => inNamespace.find((c) => c.metadata.name === spcName) ?? null);
  const statusName = `${podName}-${namespace}-${spcName}`;
  evidence.podStatus = pick<SecretProviderClassPodStatus, SecretProviderClassPodStatus | null>(
    s.podStatuses,
    (all) => all.find((p) => p.metadata.namespace === namespace && p.metadata.name === statusName) ?? null,
  );
  // As in a diagnosis: a SecretProviderClass read (object or none) proves the API is served.
  if (!evidence.spc.ok && evidence.spc.gap.reason !== 'forbidden') evidence.spcCrd = s.spcCrd;
  // A diagnosis lists these only when it needs them; here they are already in memory.
  evidence.spcsInNamespace = pick(s.spcs, () => inNamespace);
  if (evidence.spc.ok && evidence.spc.value === null) {
    evidence.spcsElsewhere = pick(s.spcs, (all) => all.filter((c) => c.metadata.namespace !== namespace));
  }
  return evidence;
}
