/**
 * The engine's vocabulary: what a read of the cluster or Azure yields (a value or a Gap), what a check
 * concludes (a CheckResult with Findings), and what a diagnosis reports (docs/contracts.md "Command line").
 * Checks supply only facts; titles, causes and fixes come from the knowledge base.
 */
import type { Category } from './categories.ts';
import type { Patch } from './fixes/patch-types.ts';
import type { FindingVariant } from './knowledge/knowledge-base.ts';

/** Why something could not be checked. A failed read becomes a Gap, never an exception. */
export interface Gap {
  /** What could not be read, e.g. `pods in namespace student-01`. */
  what: string;
  reason: 'forbidden' | 'not_served' | 'unavailable' | 'timeout' | 'invalid';
  /** One sentence for the user: what happened and why. No raw stack traces, never a secret value. */
  message: string;
}

/** The outcome of one read: the value, or why it is missing. `null` values mean "does not exist". */
export type Read<T> = { ok: true; value: T; durationMs?: number } | { ok: false; gap: Gap; durationMs?: number };

export type Confidence = 'high' | 'medium' | 'low';

/** Names the knowledge base can fill into its texts (see diagnostics/knowledge/knowledge-base.ts KB_FACTS). */
export type Facts = Record<string, string | undefined>;

/** What every finding carries besides its category and variant. */
export interface FindingFields {
  /** `error` breaks the mount; `warning` is worth fixing but does not (or no longer does). */
  severity: 'error' | 'warning';
  confidence: Confidence;
  /** Short lines a learner can check themselves: event text, status codes, field values. Already secret-free. */
  evidence: string[];
  facts: Facts;
  /** Steps specific to this finding (e.g. a lint rule's fix), shown before the knowledge base's general ones. */
  fixes?: string[];
  /** How directly this finding names the root cause; higher wins among findings of equal category rank. */
  specificity?: number;
}

/** A category with a variant it has: a knowledge-base variant of that category, or the id of a lint rule of it. */
export type CategoryTag = {
  [C in Category]: {
    category: C;
    /** Knowledge-base variant, e.g. `rbac` for ACCESS_DENIED under Azure RBAC, or a lint rule id of the category. */
    variant?: FindingVariant<C>;
  };
}[Category];

/**
 * One conclusion of a check: a category (with the variant that refines it, typed per category, so a variant the
 * knowledge base lacks does not compile), the facts that name things, and the evidence behind it.
 */
export type Finding = CategoryTag & FindingFields;

export const CHECK_IDS = [
  'csi-driver',
  'crd',
  'pod',
  'events',
  'secret-provider-class',
  'service-account',
  'key-vault',
  'synced-secret',
  'mount-status',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** One line: what was found, with names. */
  summary: string;
  findings: Finding[];
  durationMs: number;
}

/** Where a problem came from: the check, the lint rule or knowledge-base variant, and that finding's evidence. */
export interface ProblemSource {
  check: CheckId;
  /** The lint rule id (e.g. `spc/object-type`) or the knowledge-base variant the finding named. */
  rule?: string;
  severity: 'error' | 'warning';
  evidence: string[];
}

export interface Problem {
  category: Category;
  commonProblem: number | null;
  title: string;
  cause: string;
  evidence: string[];
  fix: string[];
  verify: string[];
  docs: string;
  /** Who can fix it in the lab (knowledge base): the student, or the instructor. */
  owner: 'student' | 'instructor';
  confidence: Confidence;
  /** The ready fix built from the live objects (diagnostics/fixes), when kvlab has an exact one. */
  patch?: Patch;
  /** Why kvlab says this: each check and rule behind the problem with the evidence lines it read. */
  sources?: ProblemSource[];
}

export type Verdict = 'healthy' | 'broken' | 'inconclusive';

export interface DiagnosisReport {
  target: { namespace: string; pod: string };
  verdict: Verdict;
  problems: Problem[];
  checks: Array<Pick<CheckResult, 'id' | 'title' | 'status' | 'summary' | 'durationMs'>>;
  /** ISO time the diagnosis finished. */
  checkedAt: string;
  /**
   * Set when the verdict needs a word more than its name: `not-failed-yet` is an inconclusive pod that is still
   * starting with every check passed (docs/contracts.md "Exit codes"). Texts from diagnostics/knowledge/kb-notes.ts.
   */
  note?: ReportNote;
}

export interface ReportNote {
  kind: 'not-failed-yet';
  title: string;
  text: string;
  watch: string[];
}
