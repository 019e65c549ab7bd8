/**
 * Problems that belong to the class, not to one student, listed once at the top of a status: cluster
 * prerequisites (add-on, driver, CRD) for every student they block, and an instructor-side Azure fault that hits
 * several students the same way (one vault's 403 for all → its access policy or role assignment; the same
 * identity's sign-in failure for all → its federation). The rows they block are marked `classWide`. Pure.
 */
import type { Category } from '../categories.ts';
import { LAB_COMMON_PROBLEMS } from '../categories.ts';
import { readValue } from '../gather/read.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { JudgedRow } from './student-row.ts';
import type { BlockerCount, ClassProblem, ClassStatusReport } from './types.ts';

/** Categories that are the cluster's whatever the namespace: one student hit is already a class problem. */
const CLUSTER_LEVEL: ReadonlySet<Category> = new Set([
  'CSI_DRIVER_NOT_INSTALLED',
  'CSI_DRIVER_UNHEALTHY',
  'CRD_MISSING',
]);
/** How many students one Azure-side cause must block before it is the class's problem. */
export const SHARED_CAUSE_MIN_STUDENTS = 2;

/** What makes two students' blockers "the same": the category, and the vault or identity it concerns. */
function causeKey(judged: JudgedRow): string | undefined {
  const blocker = judged.row.blocker;
  if (!blocker) return undefined;
  if (CLUSTER_LEVEL.has(blocker.category)) return blocker.category;
  if (blocker.owner !== 'instructor') return undefined;
  const spc = readValue(judged.evidence.spc);
  const params = spc ? spcParameters(spc) : undefined;
  const subject = blocker.category === 'AUTH_FAILED' ? params?.clientId : params?.keyvaultName;
  return subject ? `${blocker.category}|${subject.toLowerCase()}` : undefined;
}

/** Groups shared causes into class problems and marks the rows they block. Mutates `rows[].row.blocker`. */
export function collectClassProblems(rows: readonly JudgedRow[]): ClassProblem[] {
  const groups = new Map<string, JudgedRow[]>();
  for (const judged of rows) {
    const key = causeKey(judged);
    if (key) groups.set(key, [...(groups.get(key) ?? []), judged]);
  }
  const problems: ClassProblem[] = [];
  for (const members of groups.values()) {
    const first = members[0]!;
    const cluster = CLUSTER_LEVEL.has(first.row.blocker!.category);
    if (!cluster && members.length < SHARED_CAUSE_MIN_STUDENTS) continue;
    const lead = first.report!.problems[0]!;
    for (const m of members) m.row.blocker!.classWide = true;
    problems.push({
      category: lead.category,
      commonProblem: lead.commonProblem,
      title: lead.title,
      cause: lead.cause,
      owner: lead.owner,
      fix: lead.fix,
      namespaces: members.map((m) => m.row.namespace),
    });
  }
  return problems;
}

/** Blockers counted by who can fix them, most frequent first, with the lab's Common Problems wording. */
export function countBlockers(rows: readonly JudgedRow[]): ClassStatusReport['blockers'] {
  const counts = { instructor: new Map<Category, number>(), student: new Map<Category, number>() };
  for (const { row } of rows) {
    if (!row.blocker) continue;
    const side = counts[row.blocker.owner];
    side.set(row.blocker.category, (side.get(row.blocker.category) ?? 0) + 1);
  }
  const list = (m: Map<Category, number>): BlockerCount[] =>
    [...m]
      .map(([category, students]) => {
        const commonProblem =
          rows.find((r) => r.row.blocker?.category === category)?.row.blocker?.commonProblem ?? null;
        return {
          category,
          commonProblem,
          labProblem: commonProblem === null ? null : (LAB_COMMON_PROBLEMS[commonProblem] ?? null),
          students,
        };
      })
      .sort((a, b) => b.students - a.students || a.category.localeCompare(b.category));
  return { instructor: list(counts.instructor), student: list(counts.student) };
}
