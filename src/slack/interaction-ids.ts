/**
 * The identifiers kvlab's interactive elements carry, shared by the renderers (which put them on buttons and
 * modals) and the handlers (which route on them), and the small versioned value a diagnosis button carries.
 * The value names a pod and a job, never a token or a secret: Slack echoes it back in every `block_actions`.
 */
import { LIMITS } from './budget.ts';

export const RERUN_ACTION_ID = 'kvlab_rerun';
export const SHOW_CHECKS_ACTION_ID = 'kvlab_show_checks';
/** "Show fixed YAML" under a diagnosis that has a ready patch (carries the same value as the two above). */
export const SHOW_FIX_ACTION_ID = 'kvlab_show_fix';
/** "Refresh" on a class status (edits it in place) and "Diagnose" on a blocked student's row. */
export const STATUS_REFRESH_ACTION_ID = 'kvlab_status_refresh';
export const STATUS_DIAGNOSE_ACTION_ID = 'kvlab_status_diagnose';
export const STATUS_ACTIONS_BLOCK_ID = 'kvlab_status_actions';
/** `block_id` of the actions block under a diagnosis. */
export const DIAGNOSIS_ACTIONS_BLOCK_ID = 'kvlab_diagnosis_actions';
/** The lint modal's `callback_id` (the `view_submission` listener matches it). */
export const LINT_MODAL_CALLBACK_ID = 'kvlab_lint_modal';
/** `block_id` and `action_id` of the YAML input: `view.state.values.kvlab_lint_yaml.kvlab_lint_yaml.value`. */
export const LINT_YAML_BLOCK_ID = 'kvlab_lint_yaml';
export const LINT_YAML_ACTION_ID = 'kvlab_lint_yaml';

/** What "Re-run" and "Show all checks" carry. */
export interface DiagnosisButtonValue {
  v: 1;
  namespace: string;
  pod: string;
  jobId: string;
}

/** The JSON value for a diagnosis button, or undefined if it would exceed Slack's 2,000-character button value. */
export function encodeButtonValue(value: Omit<DiagnosisButtonValue, 'v'>): string | undefined {
  const json = JSON.stringify({ v: 1, namespace: value.namespace, pod: value.pod, jobId: value.jobId });
  return json.length <= LIMITS.buttonValue ? json : undefined;
}

/**
 * Reads a diagnosis button's value back. Returns null for anything that is not a version-1 value with string
 * fields (a forged or stale payload); the handler still authorizes the namespace as for a command.
 */
export function decodeButtonValue(value: string): DiagnosisButtonValue | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { v, namespace, pod, jobId } = parsed as Record<string, unknown>;
  if (v !== 1 || typeof namespace !== 'string' || typeof pod !== 'string' || typeof jobId !== 'string') return null;
  return { v, namespace, pod, jobId };
}

/** What "Refresh" on a class status carries: the class name (a DNS label), nothing else. */
export function encodeStatusValue(className: string): string {
  return JSON.stringify({ v: 1, class: className });
}

export function decodeStatusValue(value: string): { class: string } | null {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    return parsed?.v === 1 && typeof parsed.class === 'string' && parsed.class.length <= 63
      ? { class: parsed.class }
      : null;
  } catch {
    return null;
  }
}
