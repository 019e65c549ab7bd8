/**
 * The diagnosis pipeline: validate the target, gather evidence through the ports, run every check (pure),
 * judge the findings into ranked problems, and fill the knowledge base's texts with the real names.
 */

import type { Check } from './checks/check.ts';
import { notChecked } from './checks/check.ts';
import { crdCheck } from './checks/crd.ts';
import { csiDriverCheck } from './checks/csi-driver.ts';
import { eventsCheck } from './checks/events.ts';
import { keyVaultCheck } from './checks/key-vault.ts';
import { mountStatusCheck } from './checks/mount-status.ts';
import { notCheckedReason } from './checks/not-checked.ts';
import { POD_NOT_FOUND_VARIANTS, podCheck } from './checks/pod.ts';
import { secretProviderClassCheck } from './checks/secret-provider-class.ts';
import { serviceAccountCheck } from './checks/service-account.ts';
import { syncedSecretCheck } from './checks/synced-secret.ts';
import { buildPatch } from './fixes/build-patch.ts';
import {
  CSI_DRIVER_NAME,
  type Evidence,
  type GatherOptions,
  gatherEvidence,
  type Ports,
  type ProgressListener,
} from './gather/gather-evidence.ts';
import { csiVolumeOf } from './gather/pod-volume.ts';
import { readValue } from './gather/read.ts';
import { judge, type MergedProblem } from './judge.ts';
import { renderNote } from './knowledge/kb-notes.ts';
import { renderKnowledge } from './knowledge/knowledge-base.ts';
import { spcParameters } from './spc/spc-parameters.ts';
import { validateTarget } from './target.ts';
import type { CheckResult, DiagnosisReport, Problem, Read, ReportNote, Verdict } from './types.ts';

/** In the order they are shown. */
export const CHECKS: readonly Check[] = [
  csiDriverCheck,
  crdCheck,
  podCheck,
  eventsCheck,
  secretProviderClassCheck,
  serviceAccountCheck,
  keyVaultCheck,
  syncedSecretCheck,
  mountStatusCheck,
];

export const DEFAULT_GATHER: Omit<GatherOptions, 'cache'> = {
  readTimeoutMs: 5_000,
  replayTimeoutMs: 20_000,
  replay: 'replay',
};

export interface DiagnosisResult {
  report: DiagnosisReport;
  /** The pod (or its namespace) does not exist: the report's root cause says so (`isPodNotFound`). */
  podMissing: boolean;
}

/**
 * Whether a report's answer is "that pod is not there" (a typo, a pod not created yet, a wrong namespace): its root
 * cause is the pod check's pod-not-found, pod-typo or namespace-not-found. For those who hold only the report (a
 * stored one, the Slack worker deciding to answer privately).
 */
export function isPodNotFound(report: DiagnosisReport): boolean {
  const top = report.problems[0];
  return (
    top?.category === 'OTHER' &&
    (top.sources ?? []).some((s) => s.check === 'pod' && POD_NOT_FOUND_VARIANTS.includes(s.rule ?? ''))
  );
}

/** How long a pod may be Pending with nothing failed before "still starting" stops being the likely reading. */
export const FRESH_POD_MS = 5 * 60_000;

export async function runDiagnosis(
  namespace: string,
  pod: string,
  ports: Ports,
  options: GatherOptions,
  now: () => Date = () => new Date(),
  onProgress?: ProgressListener,
): Promise<DiagnosisResult> {
  const target = validateTarget(namespace, pod);
  const evidence = await gatherEvidence(target, ports, options, onProgress);
  return judgeEvidence(evidence, now());
}

/**
 * The pure half of a diagnosis: every check over gathered evidence, judged into ranked problems. Class status
 * calls it too, with evidence cut from its class-wide snapshot, so both answer from the same checks (`checks`
 * narrows them only where a check has nothing to judge, e.g. an SPC with no pod yet; status also skips building
 * patches, which a row does not show).
 */
export function judgeEvidence(
  evidence: Evidence,
  at: Date,
  checks: readonly Check[] = CHECKS,
  options: { patches?: boolean } = {},
): DiagnosisResult {
  const patches = options.patches ?? true;
  const { target } = evidence;
  const results = checks.map((check) => runCheck(check, evidence, at));
  const context = judgeContext(evidence);
  const merged = judge(results, context, baseFacts(evidence));
  const podMissing = evidence.pod.ok && evidence.pod.value === null;
  const verdict = verdictOf(merged, results, context.mounted);
  const note = verdict === 'inconclusive' ? notFailedYet(evidence, results, at) : undefined;
  return {
    podMissing,
    report: {
      target,
      verdict,
      problems: merged.map((p) => (patches ? withPatch(toProblem(p), buildPatch(evidence, p)) : toProblem(p))),
      checks: results.map(({ id, title, status, summary, durationMs }) => ({ id, title, status, summary, durationMs })),
      checkedAt: at.toISOString(),
      ...(note ? { note } : {}),
    },
  };
}

/**
 * Runs the checks and the judge once on the evidence gathered so far, one check per turn of the event loop, and
 * drops the results. A new process compiles the checks' code and regular expressions the first time they run
 * (~25–35 ms); rehearsed while the replay is in flight, that happens during the wait instead of after the last
 * answer. Only for one-shot processes (a long-running worker has compiled them long ago). Never throws.
 */
export async function rehearseChecks(soFar: Evidence, at: Date): Promise<void> {
  try {
    for (const check of CHECKS) {
      await new Promise((resolve) => setImmediate(resolve));
      runCheck(check, soFar, at);
    }
    await new Promise((resolve) => setImmediate(resolve));
    judgeEvidence(soFar, at);
  } catch {
    // a rehearsal has no result to lose
  }
}

/**
 * A pod created less than FRESH_POD_MS ago that is still Pending (not scheduled, or ContainerCreating while kubelet
 * mounts), where every check that ran passed, none could not run, and no warning event exists: nothing has failed,
 * and nothing has succeeded yet. The verdict stays `inconclusive` — it is not proven healthy — and this note says
 * why and what to watch. The mount status check's "no successful mount recorded yet" is expected then.
 */
function notFailedYet(e: Evidence, results: CheckResult[], at: Date): ReportNote | undefined {
  const pod = readValue(e.pod);
  if (pod?.status?.phase !== 'Pending') return undefined;
  const created = pod.metadata?.creationTimestamp;
  const ageMs = created ? at.getTime() - new Date(created as unknown as string).getTime() : Number.NaN;
  if (!(ageMs >= 0 && ageMs < FRESH_POD_MS)) return undefined;
  const waitingOnMount = (r: CheckResult) => r.id === 'mount-status' && r.status === 'fail' && r.findings.length === 0;
  if (results.some((r) => r.findings.length > 0 || r.status === 'error' || (r.status === 'fail' && !waitingOnMount(r))))
    return undefined;
  const { pod: name, namespace } = e.target;
  const note = renderNote('not-failed-yet', { pod: name, namespace });
  return { kind: 'not-failed-yet', title: note.title, text: note.text, watch: [...note.watch] };
}

function runCheck(check: Check, evidence: Evidence, now: Date): CheckResult {
  const durationMs = check.reads(evidence).reduce((sum, r: Read<unknown> | undefined) => sum + (r?.durationMs ?? 0), 0);
  // An input absent or unreadable upstream (the pod, its SecretProviderClass): say so instead of judging nothing.
  const why = notCheckedReason(check, evidence);
  if (why) return { id: check.id, title: check.title, durationMs, ...notChecked(why) };
  try {
    return { id: check.id, title: check.title, durationMs, ...check.run(evidence, now) };
  } catch (err) {
    // A check is pure; if one still fails on unexpected data, the others go on.
    return {
      id: check.id,
      title: check.title,
      durationMs,
      status: 'error',
      summary: `check failed: ${(err as Error).message}`,
      findings: [],
    };
  }
}

function judgeContext(e: Evidence) {
  const replay = readValue(e.replay);
  const pod = readValue(e.pod);
  return {
    mounted: readValue(e.podStatus)?.status?.mounted === true && pod?.status?.phase === 'Running',
    replayAllReadable:
      replay?.performed === true &&
      replay.outcome.token.ok &&
      replay.outcome.objects.length > 0 &&
      replay.outcome.objects.every((o) => o.outcome.readable),
    driverInstalled: Boolean(readValue(e.csiDriver)) && (readValue(e.driverPods)?.length ?? 0) > 0,
    volumeNamesDriver: pod ? csiVolumeOf(pod)?.driver === CSI_DRIVER_NAME : true,
  };
}

/** Names every problem text may use, from what was read: the learner's own pod, SPC, identity and vault. */
function baseFacts(e: Evidence): Record<string, string> {
  const pod = readValue(e.pod);
  const spc = readValue(e.spc);
  const params = spc ? spcParameters(spc) : undefined;
  const facts: Record<string, string | undefined> = {
    namespace: e.target.namespace,
    pod: e.target.pod,
    node: pod?.spec?.nodeName,
    serviceAccount: pod ? pod.spec?.serviceAccountName || 'default' : undefined,
    spc: spc?.metadata.name ?? (pod ? csiVolumeOf(pod)?.secretProviderClass : undefined),
    vault: params?.keyvaultName || undefined,
    clientId: params?.clientId || undefined,
    tenantId: params?.tenantId || undefined,
  };
  return Object.fromEntries(Object.entries(facts).filter((kv): kv is [string, string] => Boolean(kv[1])));
}

function toProblem(p: MergedProblem): Problem {
  const kb = renderKnowledge(p.category, p.facts, p.variant);
  return {
    category: p.category,
    commonProblem: kb.commonProblem,
    title: kb.title,
    cause: kb.cause,
    evidence: p.evidence,
    fix: fixSteps(p.fixes, kb.fix),
    verify: kb.verify,
    docs: kb.docs,
    owner: kb.owner,
    confidence: p.severity === 'error' ? p.confidence : 'low',
    sources: p.sources,
  };
}

/**
 * The finding's own steps (e.g. a lint rule's exact fix) first, then the knowledge base's general ones, each step
 * once: a knowledge-base step that repeats a specific one (same words, or one contains the other) is dropped.
 */
export function fixSteps(specific: readonly string[], general: readonly string[]): string[] {
  const steps: string[] = [];
  for (const step of [...specific, ...general]) {
    if (!steps.some((kept) => nearDuplicate(kept, step))) steps.push(step);
  }
  return steps;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9][a-z0-9._/-]*/g) ?? []);
}

function nearDuplicate(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x === y || x.includes(y) || y.includes(x)) return true;
  const wa = words(a);
  const wb = words(b);
  const shared = [...wa].filter((w) => wb.has(w)).length;
  const union = new Set([...wa, ...wb]).size;
  return Math.min(wa.size, wb.size) >= 6 && shared / union >= 0.85;
}

function withPatch(problem: Problem, patch: Problem['patch']): Problem {
  return patch ? { ...problem, patch } : problem;
}

/** Healthy needs positive proof: the pod runs, the mount is recorded, and no check found an error. */
function verdictOf(problems: MergedProblem[], results: CheckResult[], mountedAndRunning: boolean): Verdict {
  if (problems.some((p) => p.severity === 'error')) return 'broken';
  // A replay kvlab could not run (its own egress, DNS, TLS) does not outweigh the pod's proof that it mounted.
  if (mountedAndRunning && !results.some((r) => r.status === 'error' && r.id !== 'key-vault')) return 'healthy';
  return 'inconclusive';
}
