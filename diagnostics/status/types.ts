/**
 * The vocabulary of class status (docs/contracts.md "Command line", `kvlab status`): which class, which students, and
 * what each one's namespace shows — progress through the lab, the current blocker, how long it has blocked, and
 * the problems that belong to the whole class rather than to one student.
 */
import type { Category } from '../categories.ts';
import type { ProblemOwner } from '../knowledge/kb-types.ts';

/** A class as status needs it (the roster's ClassConfig, without Slack ids the engine does not use). */
export interface ClassSpec {
  name: string;
  /** The class's namespaces when listed; otherwise `namespaceSelector` chooses them. */
  namespaces?: string[];
  namespaceSelector?: string;
  /** In roster order. */
  students: Array<{ user: string; namespace: string; name?: string }>;
}

/** The lab's steps in order; a student's progress is the furthest one reached. */
export const PROGRESS_STEPS = [
  'not-started',
  'spc-created',
  'spc-valid',
  'pod-created',
  'mounted',
  'readable',
  'synced',
] as const;
export type Progress = (typeof PROGRESS_STEPS)[number];

/** How a row reads at a glance: done, stuck on a problem, on the way with nothing failing, or not begun. */
export type RowState = 'mounted' | 'blocked' | 'in-progress' | 'not-started';

export interface Blocker {
  category: Category;
  commonProblem: number | null;
  title: string;
  /** One line with the student's real names. */
  cause: string;
  owner: ProblemOwner;
  /** ISO time of the first failure of this blocker, when the cluster recorded one. */
  since: string | null;
  /** The blocker is one of the class-wide problems listed once at the top. */
  classWide: boolean;
}

export interface StudentStatus {
  /** Slack user id from the roster; null for a class namespace no roster student works in. */
  user: string | null;
  name: string | null;
  namespace: string;
  /** The pod judged (the lab's pod-keyvault, else the newest pod with a Secrets Store volume); null when none. */
  pod: string | null;
  progress: Progress;
  /** Which steps hold (a step can hold while an earlier one fails, e.g. a pod created on an invalid SPC). */
  steps: Record<Exclude<Progress, 'not-started'>, boolean>;
  state: RowState;
  blocker: Blocker | null;
  /** Said when the row cannot be decided from the cluster alone, e.g. only the Key Vault replay could tell. */
  note?: string;
  /** ISO time of the latest change seen in the namespace (SPC, pod, events); null when it is empty. */
  lastActivity: string | null;
}

export interface ClassProblem {
  category: Category;
  commonProblem: number | null;
  title: string;
  cause: string;
  owner: ProblemOwner;
  fix: string[];
  /** Namespaces it blocks, in roster order. */
  namespaces: string[];
}

export interface BlockerCount {
  category: Category;
  commonProblem: number | null;
  /** The lab's Common Problems wording for that row, when there is one. */
  labProblem: string | null;
  students: number;
}

export interface ClassStatusReport {
  class: string;
  generatedAt: string;
  summary: { students: number; mounted: number; blocked: number; inProgress: number; notStarted: number };
  classProblems: ClassProblem[];
  /** Blockers counted by who can fix them. */
  blockers: { instructor: BlockerCount[]; student: BlockerCount[] };
  students: StudentStatus[];
  /** What could not be read (one sentence each); a non-empty list with no rows means the cluster was unreadable. */
  gaps: string[];
}
