/**
 * One student's row: judge their namespace with the diagnosis checks (no Key Vault replay), then read off
 * progress, the current blocker, since when it has blocked and the latest activity. Pure over the snapshot.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { secretProviderClassCheck } from '../checks/secret-provider-class.ts';
import type { Evidence } from '../gather/gather-evidence.ts';
import { readValue } from '../gather/read.ts';
import { classifyMessage } from '../knowledge/classify/index.ts';
import type { SecretProviderClass } from '../ports/cluster-reader.ts';
import { judgeEvidence } from '../run-diagnosis.ts';
import type { DiagnosisReport } from '../types.ts';
import type { ClassSnapshot } from './gather-class.ts';
import { type NamespaceIndex, namespaceEvidence } from './namespace-evidence.ts';
import { progressOf } from './progress.ts';
import type { Blocker, StudentStatus } from './types.ts';

export interface JudgedRow {
  row: StudentStatus;
  evidence: Evidence;
  report: DiagnosisReport | undefined;
}

const time = (t: unknown): number => (t ? new Date(t as string).getTime() : Number.NaN);
const newest = <T extends { metadata?: { creationTimestamp?: unknown } }>(items: readonly T[]) =>
  [...items].sort((a, b) => (time(b.metadata?.creationTimestamp) || 0) - (time(a.metadata?.creationTimestamp) || 0))[0];

export function judgeStudent(
  who: { user: string | null; name: string | null; namespace: string },
  snapshot: ClassSnapshot,
  index: NamespaceIndex,
  at: Date,
): JudgedRow {
  const { namespace } = who;
  const evidence = namespaceEvidence(namespace, snapshot, index);
  const pod = readValue(evidence.pod) ?? undefined;
  const spcs = index.spcs.get(namespace) ?? [];
  // The SPC the pod mounts; else (none named, or the name is wrong) the one the student wrote most recently.
  const spc = readValue(evidence.spc) ?? newest(spcs);
  const events = index.events.get(namespace) ?? [];
  let report: DiagnosisReport | undefined;
  const noPatches = { patches: false };
  if (pod) report = judgeEvidence(evidence, at, undefined, noPatches).report;
  // No pod yet: only the SecretProviderClass can be judged, with the same check a diagnosis runs on it.
  else if (spc) {
    const withSpc: Evidence = { ...evidence, spc: { ok: true, value: spc } };
    report = judgeEvidence(withSpc, at, [secretProviderClassCheck], noPatches).report;
  }
  // The SPC check already linted the SPC when it judged this very one: reuse its verdict.
  const judgedSpc = !pod || readValue(evidence.spc) === spc;
  const linted = judgedSpc ? report?.checks.find((c) => c.id === 'secret-provider-class') : undefined;
  const spcValid = linted && (linted.status === 'pass' || linted.status === 'warn' || linted.status === 'fail');
  const { progress, steps } = progressOf({
    spc,
    pod,
    podStatus: readValue(evidence.podStatus),
    report,
    ...(spcValid ? { spcValid: linted?.status !== 'fail' } : {}),
  });
  const top = report?.verdict === 'broken' ? report.problems[0] : undefined;
  const blocker: Blocker | null = top
    ? {
        category: top.category,
        commonProblem: top.commonProblem,
        title: top.title,
        cause: top.cause,
        owner: top.owner,
        since: since(top.category, pod, spc, events, evidence.target.pod),
        classWide: false,
      }
    : null;
  const state = blocker ? 'blocked' : steps.mounted ? 'mounted' : spcs.length || pod ? 'in-progress' : 'not-started';
  const row: StudentStatus = {
    ...who,
    pod: pod?.metadata?.name ?? null,
    progress,
    steps,
    state,
    blocker,
    lastActivity: lastActivity(spcs, index.pods.get(namespace) ?? [], events),
  };
  const note = noteFor(row, report);
  if (note) row.note = note;
  return { row, evidence, report };
}

function noteFor(row: StudentStatus, report: DiagnosisReport | undefined): string | undefined {
  if (row.state === 'not-started') return 'nothing in the namespace yet (Task 2: create the SecretProviderClass)';
  if (row.state !== 'in-progress') return undefined;
  if (!row.pod) return 'SecretProviderClass created; no pod yet (Task 3: create pod-keyvault)';
  if (report?.verdict === 'inconclusive')
    return 'not mounted and nothing has failed yet; only the Key Vault check of a full diagnosis can tell more';
  return undefined;
}

/** When the current blocker first failed: its earliest matching event, else when the object it concerns appeared. */
function since(
  category: Blocker['category'],
  pod: V1Pod | undefined,
  spc: SecretProviderClass | undefined,
  events: readonly CoreV1Event[],
  podName: string,
): string | null {
  const first = events
    .filter((e) => e.involvedObject?.name === podName && classifyMessage(e.message ?? '').category === category)
    .map((e) => time(e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp))
    .filter(Number.isFinite);
  const fallback = time(pod?.metadata?.creationTimestamp ?? spc?.metadata.creationTimestamp);
  const t = first.length ? Math.min(...first) : fallback;
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** The latest change seen: SPC writes, pod creation and condition changes, event repeats. */
function lastActivity(
  spcs: readonly SecretProviderClass[],
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): string | null {
  const spcTimes = spcs.flatMap((s) => {
    const meta = s.metadata as { creationTimestamp?: unknown; managedFields?: Array<{ time?: unknown }> };
    return [meta.creationTimestamp, ...(meta.managedFields ?? []).map((m) => m.time)];
  });
  const podTimes = pods.flatMap((p) => [
    p.metadata?.creationTimestamp,
    ...(p.status?.conditions ?? []).map((c) => c.lastTransitionTime),
  ]);
  const eventTimes = events.map((e) => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp);
  const all = [...spcTimes, ...podTimes, ...eventTimes].map(time).filter(Number.isFinite);
  return all.length ? new Date(Math.max(...all)).toISOString() : null;
}
