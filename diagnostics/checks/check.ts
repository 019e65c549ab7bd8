/**
 * The uniform shape of a check: a pure function over gathered evidence (and `now`, passed in), returning a
 * status, a one-line summary with names, and findings. Checks never call ports; they only judge.
 */
import type { Category } from '../categories.ts';
import type { Evidence } from '../gather/gather-evidence.ts';
import type { FindingVariant, KbFact, KbVariant } from '../knowledge/knowledge-base.ts';
import { LINT_RULES, type LintFinding } from '../knowledge/lint/index.ts';
import type { CategoryTag, CheckId, CheckStatus, Finding, Read } from '../types.ts';
import { notCheckedBecause } from './not-checked.ts';

export interface CheckOutcome {
  status: CheckStatus;
  summary: string;
  findings: Finding[];
}

export interface Check {
  id: CheckId;
  title: string;
  /** The knowledge-base variants and facts its findings can carry (test/diagnostics/kb-registry.test.ts). */
  emits: Emits;
  /** The reads this check judges; their durations become the check's duration. */
  reads(evidence: Evidence): Array<Read<unknown> | undefined>;
  run(evidence: Evidence, now: Date): CheckOutcome;
}

export const skip = (summary: string): CheckOutcome => ({ status: 'skip', summary, findings: [] });
export const pass = (summary: string): CheckOutcome => ({ status: 'pass', summary, findings: [] });
/** A check whose own read failed: status `error`, summary "not checked because <the read's Gap message>". */
export const couldNotCheck = (message: string): CheckOutcome => ({
  status: 'error',
  summary: notCheckedBecause(message),
  findings: [],
});
/** A check with nothing to judge (an input absent or unreadable upstream): status `skip`, "not checked because …". */
export const notChecked = (why: string): CheckOutcome => skip(notCheckedBecause(why));

/** Status from findings: any error → fail, any warning → warn, else the given default. */
export function outcome(findings: Finding[], summary: string): CheckOutcome {
  const status = findings.some((f) => f.severity === 'error') ? 'fail' : findings.length > 0 ? 'warn' : 'pass';
  return { status, summary, findings };
}

/**
 * What a check's findings can carry, declared next to the check: the knowledge-base variants it names literally
 * (per category; the type makes a variant the table lacks a compile error) and the knowledge-base facts it fills.
 * Variants a check takes from `variantOf` or a lint rule are listed there instead. The registry test
 * (test/diagnostics/kb-registry.test.ts) checks the table against these lists in both directions.
 */
export interface Emits {
  variants: { readonly [C in Category]?: readonly KbVariant<C>[] };
  facts: readonly KbFact[];
}

/** `{ category, variant }` for a finding, where the pair must be one the check declares in its `Emits`. */
export function tagged<const E extends Emits, C extends keyof E['variants'] & Category>(
  _emits: E,
  category: C,
  variant: NonNullable<E['variants'][C]>[number],
): CategoryTag {
  return tagOf(category, variant as FindingVariant<C>);
}

/**
 * `{ category, variant }` from a category and a variant of it (or none). The signature ties the variant to the
 * category; the one cast is where TypeScript cannot follow a generic category into the per-category union.
 */
export function tagOf<C extends Category>(category: C, variant?: FindingVariant<C>): CategoryTag {
  return (variant === undefined ? { category } : { category, variant }) as CategoryTag;
}

/** A lint finding's category, with its rule id as the variant (the rule table gives each rule one category). */
export function lintVariant(finding: Pick<LintFinding, 'rule'>): CategoryTag {
  const { category } = LINT_RULES[finding.rule];
  return tagOf(category, finding.rule as FindingVariant<typeof category>);
}
