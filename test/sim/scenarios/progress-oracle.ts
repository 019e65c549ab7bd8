/**
 * The lab progress a namespace shows, computed from its objects by the definition in docs/simulator.md: each
 * step (spc-created → spc-valid → pod-created → mounted → readable → synced) holds on its own evidence, and
 * progress is the furthest step that holds. Written independently of the product's status code (it shares only
 * the SPC linter, which defines "valid"), and it may look at Secrets, which the product never reads.
 */
import { parse } from 'yaml';
import { lintObjects } from '../../../diagnostics/knowledge/lint/lint-objects.ts';
import { PROGRESS_STEPS } from '../../../diagnostics/status/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: dumps are untyped JSON; the oracle reads them field by field.
type Obj = Record<string, any>;
/** The step names are the product's contract (docs/contracts.md); how they are judged here is the oracle's own. */
export const PROGRESS = PROGRESS_STEPS;
export type Progress = (typeof PROGRESS)[number];

const csiSpcOf = (pod: Obj): string | undefined =>
  (pod.spec?.volumes ?? []).find((v: Obj) => v.csi?.driver === 'secrets-store.csi.k8s.io')?.csi.volumeAttributes
    ?.secretProviderClass;

/** The progress of `namespace` given every object of the scenario. */
export function progressOf(objects: readonly Obj[], namespace: string): Progress {
  const of = (kind: string) => objects.filter((o) => o.kind === kind && o.metadata?.namespace === namespace);
  const spcs = of('SecretProviderClass');
  const pods = of('Pod');
  const pod = pods.find((p) => p.metadata.name === 'pod-keyvault') ?? pods.find((p) => csiSpcOf(p) !== undefined);
  const newest = [...spcs].sort((a, b) =>
    String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
  )[0];
  const spc = spcs.find((s) => pod && s.metadata.name === csiSpcOf(pod)) ?? newest;
  const status = of('SecretProviderClassPodStatus').find(
    (s) => pod && s.status?.mounted === true && s.status.podName === pod.metadata.name,
  );
  const declared: Obj[] =
    (spc && parse(String(spc.spec?.parameters?.objects ?? ''))?.array?.map((i: string) => parse(i))) ?? [];
  const ids = new Set((status?.status?.objects ?? []).map((o: Obj) => String(o.id).split('/').pop()));
  const secrets = new Set(of('Secret').map((s) => s.metadata.name));
  const wanted: Obj[] = spc?.spec?.secretObjects ?? [];
  const holds: Record<Exclude<Progress, 'not-started'>, boolean> = {
    'spc-created': spc !== undefined,
    'spc-valid': spc !== undefined && lintObjects([spc], 'scenario').every((f) => f.severity !== 'error'),
    'pod-created': pod !== undefined,
    mounted: status !== undefined,
    readable:
      status !== undefined &&
      declared.length > 0 &&
      declared.every((o) => ids.has(o.objectName) || (o.objectAlias !== undefined && ids.has(o.objectAlias))),
    synced: status !== undefined && wanted.length > 0 && wanted.every((w) => secrets.has(w.secretName)),
  };
  let progress: Progress = 'not-started';
  for (const step of PROGRESS) if (step !== 'not-started' && holds[step]) progress = step;
  return progress;
}
