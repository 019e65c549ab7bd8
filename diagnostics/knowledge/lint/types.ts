/**
 * Result shapes of the SecretProviderClass / Pod linter behind `kvlab lint` (docs/contracts.md "Command line": lint JSON).
 * Pure data: no YAML, no I/O.
 */
import type { Category } from '../../categories.ts';
import type { RuleId } from './rule-table.ts';

export type Severity = 'error' | 'warning';

/**
 * Which rules apply: `provider` (default) — what the Secrets Store CSI driver and the Azure provider reject, per
 * identity mode; `lab` — those plus the lab's conventions (workload identity only, its placeholders and object
 * names), used where kvlab knows it looks at the lab (`kvlab lint --profile lab`, a roster namespace).
 */
export type LintProfile = 'provider' | 'lab';

export const LINT_PROFILES: readonly LintProfile[] = ['provider', 'lab'];

export interface LintOptions {
  profile?: LintProfile;
  /**
   * The input's real size, when the caller read only the first MAX_LINT_BYTES + 1 bytes of a larger one (`atLeast`:
   * it stopped counting), so a refusal says how large the file really is.
   */
  inputSize?: { bytes: number; atLeast?: boolean };
}

/** One step of a path into an object: a map key or a list index. */
export type PathSegment = string | number;

/** The object a finding is about, as far as it is known. */
export interface LintObjectRef {
  kind: string;
  name?: string;
  namespace?: string;
}

/** One problem in a manifest. Severity and category come from the rule table (`LINT_RULES`), never from the rule. */
export interface LintFinding {
  rule: RuleId;
  severity: Severity;
  category: Category;
  /** JSON path from the object's root, e.g. `spec.parameters.objects.array[1].objectType`; `''` for the whole file. */
  path: string;
  message: string;
  fix: string;
  /** 1-based line in the linted text, when linting text and the position is known. */
  line?: number;
  /** 1-based index of the YAML document in the file (multi-document files), when linting text. */
  document?: number;
  object?: LintObjectRef;
}

/** All findings for one file (or one pasted text). */
export interface LintFileResult {
  file: string;
  findings: LintFinding[];
  /** What was linted how, e.g. "SecretProviderClass app-secrets is for the aws provider: …" (not findings). */
  notes?: string[];
}

/**
 * What a rule reports: where (relative to the object it inspected) and what to say. The engine adds severity,
 * category, the document, the object reference and the line.
 */
export interface Issue {
  rule: RuleId;
  at: PathSegment[];
  message: string;
  /**
   * The exact step for what the rule found (the misspelt key and its spelling, the value to quote); absent, the
   * rule's fix from the knowledge base's table (kb-lint-entries.ts `LINT_FIXES`) applies.
   */
  fix?: string;
}
