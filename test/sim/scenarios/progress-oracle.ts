/**
 * The lab progress a namespace shows, computed from its objects by the definition in docs/simulator.md:
 * the furthest step reached in the order spc-created → spc-valid → pod-created → mounted → synced, where a
 * step counts only when every earlier one is reached. Used to check the `kvlab.io/expect-progress`
 * annotations the scenarios carry (the answer class status must give).
 */
import { lintObjects } from '../../../diagnostics/knowledge/lint/lint-objects.ts';

type Obj = Record<string, unknown>;
export const PROGRESS = ['not-started', 'spc-created', 'spc-valid', 'pod-created', 'mounted', 'synced'] as const;
export type Progress = (typeof PROGRESS)[number];

const meta = (o: Obj) => (o.metadata ?? {}) as Obj;
const spec = (o: Obj) => (o.spec ?? {}) as Obj;

/** The progress of `namespace` given every object of the scenario. */
export function progressOf(objects: readonly Obj[], namespace: string): Progress {
  const inNs = objects.filter((o) => meta(o).namespace === namespace);
  const of = (kind: string) => inNs.filter((o) => o.kind === kind);
  const spcs = of('SecretProviderClass');
  if (spcs.length === 0) return 'not-started';
  if (!spcs.some((s) => lintObjects([s], 'scenario').every((f) => f.severity !== 'error'))) return 'spc-created';
  const csiPods = of('Pod').filter((p) =>
    ((spec(p).volumes ?? []) as Obj[]).some((v) => (v.csi as Obj | undefined)?.driver === 'secrets-store.csi.k8s.io'),
  );
  if (csiPods.length === 0) return 'spc-valid';
  const mounted = of('SecretProviderClassPodStatus').filter(
    (s) =>
      (s.status as Obj | undefined)?.mounted === true &&
      csiPods.some((p) => meta(p).name === (s.status as Obj).podName),
  );
  if (mounted.length === 0) return 'pod-created';
  const secrets = new Set(of('Secret').map((s) => meta(s).name));
  const synced = mounted.some((status) => {
    const spc = spcs.find((s) => meta(s).name === (status.status as Obj).secretProviderClassName);
    const wanted = ((spc ? spec(spc).secretObjects : undefined) ?? []) as Obj[];
    return wanted.length > 0 && wanted.every((w) => secrets.has(w.secretName));
  });
  return synced ? 'synced' : 'mounted';
}
