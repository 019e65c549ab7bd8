/**
 * Builds a class-status snapshot straight from a scenario's objects, as the cluster-wide lists would return
 * them, so the pure half of status (judgeClass) is tested without servers.
 */
import type { ClassSnapshot } from '../../diagnostics/status/gather-class.ts';
import type { ClassSpec } from '../../diagnostics/status/types.ts';
import { loadScenario } from '../../sim/scenarios/load.ts';

// biome-ignore lint/suspicious/noExplicitAny: scenario objects are untyped JSON.
export type Obj = Record<string, any>;

export const NOW = new Date('2026-03-12T15:40:00Z');

export async function scenarioObjects(name = 'classroom'): Promise<Obj[]> {
  const scenario = await loadScenario(name, { now: NOW });
  return structuredClone(scenario.objects) as Obj[];
}

const ok = <T>(value: T) => ({ ok: true as const, value });

export function snapshotOf(objects: Obj[]): ClassSnapshot {
  const kind = (k: string) => objects.filter((o) => o.kind === k);
  const one = (k: string, name: string) => kind(k).find((o) => o.metadata.name === name) ?? null;
  const driverApps = ['secrets-store-csi-driver', 'secrets-store-provider-azure'];
  return {
    namespaces: ok(kind('Namespace')),
    pods: ok(kind('Pod')),
    events: ok(kind('Event').filter((e) => e.type === 'Warning')),
    serviceAccounts: ok(kind('ServiceAccount')),
    spcs: ok(kind('SecretProviderClass')),
    podStatuses: ok(kind('SecretProviderClassPodStatus')),
    csiDriver: ok(one('CSIDriver', 'secrets-store.csi.k8s.io')),
    driverPods: ok(
      kind('Pod').filter((p) => p.metadata.namespace === 'kube-system' && driverApps.includes(p.metadata.labels?.app)),
    ),
    spcCrd: ok(one('CustomResourceDefinition', 'secretproviderclasses.secrets-store.csi.x-k8s.io')),
  } as ClassSnapshot;
}

export function classOf(namespaces: string[]): ClassSpec {
  return {
    name: 'class-a',
    namespaces,
    students: namespaces.map((namespace, i) => ({ user: `U0TEST${String(i).padStart(4, '0')}`, namespace })),
  };
}
