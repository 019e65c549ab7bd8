/**
 * A student's progress through the lab, from what their namespace holds: Task 2 SPC created → SPC valid (no lint
 * error) → Task 3 pod created → secrets mounted → Task 4 readable (the mount status lists every object the SPC
 * declares) → optional sync (a synced Secret configured and nothing against it). Pure.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { lintObjects } from '../knowledge/lint/index.ts';
import type { SecretProviderClass, SecretProviderClassPodStatus } from '../ports/cluster-reader.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { DiagnosisReport } from '../types.ts';
import { PROGRESS_STEPS, type Progress, type StudentStatus } from './types.ts';

export interface ProgressInput {
  /** The SPC the pod mounts, else the namespace's newest one. */
  spc: SecretProviderClass | undefined;
  pod: V1Pod | undefined;
  podStatus: SecretProviderClassPodStatus | null | undefined;
  report: DiagnosisReport | undefined;
}

export function progressOf(input: ProgressInput): Pick<StudentStatus, 'progress' | 'steps'> {
  const { spc, pod, podStatus, report } = input;
  // The volume is mounted once the driver recorded it, even if a container then fails (e.g. a missing env Secret).
  const mounted = pod !== undefined && podStatus?.status?.mounted === true;
  const readable = mounted && spc !== undefined && listsEveryObject(spc, podStatus);
  const syncs = (spc?.spec?.secretObjects?.length ?? 0) > 0;
  const steps: StudentStatus['steps'] = {
    'spc-created': spc !== undefined,
    'spc-valid':
      spc !== undefined &&
      !lintObjects([spc], 'SecretProviderClass', { profile: 'lab' }).some((f) => f.severity === 'error'),
    'pod-created': pod !== undefined,
    mounted,
    readable,
    synced: readable && syncs && !(report?.problems ?? []).some((p) => p.category === 'SYNC_SECRET_MISSING'),
  };
  let progress: Progress = 'not-started';
  for (const step of PROGRESS_STEPS) if (step !== 'not-started' && steps[step]) progress = step;
  return { progress, steps };
}

/** Every object the SPC declares appears in the mount status (`<type>/<name or alias>`). */
function listsEveryObject(spc: SecretProviderClass, status: SecretProviderClassPodStatus | null | undefined): boolean {
  const mounted = new Set((status?.status?.objects ?? []).map((o) => (o.id ?? '').split('/').pop()));
  const declared = spcParameters(spc).objects;
  return (
    declared.length > 0 &&
    declared.every((o) => mounted.has(o.objectName) || (o.objectAlias !== undefined && mounted.has(o.objectAlias)))
  );
}
