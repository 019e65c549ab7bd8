/**
 * Helpers for the simulated-kubelet tests: a classroom with the kubelet on, reads of pods, events and SPCPS
 * from the live store, and kubectl-style edits (store writes, as the API server would commit them).
 */
import { randomUUID } from 'node:crypto';
import { type Classroom, type ClassroomOptions, startClassroom } from '../../../sim/classroom.ts';
import type { SimulatedKubelet } from '../../../sim/kubelet/kubelet.ts';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON here.
export type Obj = Record<string, any>;

export async function startKubeletClassroom(
  options: ClassroomOptions = {},
): Promise<Classroom & { kubelet: SimulatedKubelet }> {
  const classroom = await startClassroom({ kubelet: { backoff: { initialMs: 60_000 } }, ...options });
  if (!classroom.kubelet) throw new Error('kubelet not started');
  return classroom as Classroom & { kubelet: SimulatedKubelet };
}

export const pod = (c: Classroom, ns: string, name = 'pod-keyvault'): Obj | undefined =>
  (c.k8s.store.list('v1', 'Pod', ns) as Obj[]).find((p) => p.metadata.name === name);

export const eventsOf = (c: Classroom, ns: string, uid: string, reason = 'FailedMount'): Obj[] =>
  (c.k8s.store.list('v1', 'Event', ns) as Obj[]).filter((e) => e.involvedObject?.uid === uid && e.reason === reason);

export const spcpsIn = (c: Classroom, ns: string): Obj[] =>
  c.k8s.store.list('secrets-store.csi.x-k8s.io/v1', 'SecretProviderClassPodStatus', ns) as Obj[];

export function updateSpc(c: Classroom, ns: string, name: string, edit: (spc: Obj) => void): void {
  const spc = c.k8s.store.get({
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    namespace: ns,
    name,
  });
  if (!spc) throw new Error(`no SPC ${ns}/${name}`);
  edit(spc);
  c.k8s.store.update(spc);
}

/** `kubectl delete pod` + `kubectl apply` of the same manifest: a fresh pod (new uid, no status, no node). */
export function recreatePod(c: Classroom, ns: string, name = 'pod-keyvault'): Obj {
  const old = pod(c, ns, name);
  if (!old) throw new Error(`no pod ${ns}/${name}`);
  c.k8s.store.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name });
  const { nodeName: _node, ...spec } = old.spec;
  return c.k8s.store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    // A uid as the API server assigns it (the store alone derives it from the name, the same for every re-creation).
    metadata: { name, namespace: ns, labels: old.metadata.labels, uid: randomUUID() },
    spec,
  });
}
