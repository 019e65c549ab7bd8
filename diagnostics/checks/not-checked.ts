/**
 * Why a check has nothing to judge. Gathering stops at the first link of pod → CSI volume → SecretProviderClass
 * that is absent or could not be read, so the checks after it get no input. Such a check is not run: it is skipped
 * with "not checked because …" naming that link, never with a sentence that reads like a fact about the pod
 * ("the pod names no SecretProviderClass" after a pod read that failed).
 */

import type { Evidence } from '../gather/gather-evidence.ts';
import { csiVolumeOf } from '../gather/pod-volume.ts';
import type { CheckId, Read } from '../types.ts';
import type { Check } from './check.ts';

/** Checks that judge cluster-wide objects, or the pod read itself: they always run. */
const ALWAYS_RUN: ReadonlySet<CheckId> = new Set(['csi-driver', 'crd', 'pod']);

/** Prefix of every summary of a check that could not run (a failed read, or an input that is absent). */
export const NOT_CHECKED = 'not checked because';

/**
 * The reason `check` cannot judge `e`, or undefined when it can. The events check needs the pod to exist (events
 * left under its name belong to an earlier pod); any other check is not run when none of its reads was made.
 */
export function notCheckedReason(check: Check, e: Evidence): string | undefined {
  if (ALWAYS_RUN.has(check.id)) return undefined;
  if (check.id === 'events') return podAbsent(e);
  if (check.reads(e).some((r: Read<unknown> | undefined) => r !== undefined)) return undefined;
  return firstMissingLink(e);
}

function podAbsent(e: Evidence): string | undefined {
  if (!e.pod.ok || e.pod.value !== null) return undefined;
  const { namespace, pod } = e.target;
  return e.namespaceExists?.ok && !e.namespaceExists.value
    ? `namespace ${namespace} does not exist`
    : `pod ${pod} does not exist in namespace ${namespace}`;
}

/** The first object on the way from the pod to its SecretProviderClass that is absent or could not be read. */
export function firstMissingLink(e: Evidence): string | undefined {
  const { namespace, pod: name } = e.target;
  if (!e.pod.ok) return e.pod.gap.message;
  const pod = e.pod.value;
  if (!pod) return podAbsent(e);
  const volume = csiVolumeOf(pod);
  if (!volume) return `pod ${name} has no Secrets Store CSI volume`;
  if (!volume.secretProviderClass) return `volume ${volume.volumeName} of pod ${name} names no SecretProviderClass`;
  const spc = `SecretProviderClass ${namespace}/${volume.secretProviderClass}`;
  if (e.spc && !e.spc.ok) return e.spc.gap.message;
  if (e.spc?.ok && e.spc.value === null) return `${spc} does not exist`;
  return undefined;
}

/** "not checked because <why>", for a summary; a message that already says so is kept as it is. */
export function notCheckedBecause(why: string): string {
  if (why.startsWith(NOT_CHECKED)) return why;
  // Gap messages read "could not read X: …" (diagnostics/gather/read.ts); say who could not.
  return `${NOT_CHECKED} ${why.replace(/^could not read /, 'kvlab could not read ')}`;
}
