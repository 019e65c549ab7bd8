/**
 * Class status: one snapshot of the cluster (a constant number of list calls), every student's namespace
 * judged by the diagnosis checks, class-wide problems pulled to the top, and a summary an instructor reads in
 * one look. The Key Vault replay is not run per student; a full diagnosis ("Diagnose") does that.
 */
import type { GatherOptions } from '../gather/gather-evidence.ts';
import { validateTarget } from '../target.ts';
import { collectClassProblems, countBlockers } from './class-problems.ts';
import { type ClassSnapshot, classNamespaces, gatherClass, type StatusPorts } from './gather-class.ts';
import { indexSnapshot } from './namespace-evidence.ts';
import { judgeStudent } from './student-row.ts';
import type { ClassSpec, ClassStatusReport } from './types.ts';

export async function runClassStatus(
  spec: ClassSpec,
  ports: StatusPorts,
  options: Pick<GatherOptions, 'readTimeoutMs' | 'cache'>,
  now: () => Date = () => new Date(),
): Promise<ClassStatusReport> {
  for (const s of spec.students) validateTarget(s.namespace, 'pod-keyvault');
  const snapshot = await gatherClass(spec, ports, options);
  return judgeClass(spec, snapshot, now());
}

/** The pure half: a status from a snapshot. */
export function judgeClass(spec: ClassSpec, snapshot: ClassSnapshot, at: Date): ClassStatusReport {
  const gaps = Object.values(snapshot)
    .filter((r) => !r.ok)
    .map((r) => (r.ok ? '' : r.gap.message));
  const report: ClassStatusReport = {
    class: spec.name,
    generatedAt: at.toISOString(),
    summary: { students: 0, mounted: 0, blocked: 0, inProgress: 0, notStarted: 0 },
    classProblems: [],
    blockers: { instructor: [], student: [] },
    students: [],
    gaps,
  };
  // Without the pods there is nothing to judge: say so instead of calling every student "not started".
  if (!snapshot.pods.ok) return report;
  const index = indexSnapshot(snapshot);
  const existing = snapshot.namespaces.ok
    ? new Set(snapshot.namespaces.value.map((n) => n.metadata?.name ?? ''))
    : undefined;
  const byNamespace = new Map(spec.students.map((s) => [s.namespace, s]));
  const rows = classNamespaces(spec, snapshot).map((namespace) => {
    const student = byNamespace.get(namespace);
    const judged = judgeStudent(
      { user: student?.user ?? null, name: student?.name ?? null, namespace },
      snapshot,
      index,
      at,
    );
    if (existing && !existing.has(namespace) && judged.row.state === 'not-started') {
      judged.row.note = `namespace ${namespace} does not exist yet`;
    }
    return judged;
  });
  report.classProblems = collectClassProblems(rows);
  report.blockers = countBlockers(rows);
  report.students = rows.map((r) => r.row);
  const count = (state: string) => report.students.filter((s) => s.state === state).length;
  report.summary = {
    students: report.students.length,
    mounted: count('mounted'),
    blocked: count('blocked'),
    inProgress: count('in-progress'),
    notStarted: count('not-started'),
  };
  return report;
}
