/**
 * The knowledge base: one table from problem category to what a learner needs (docs/architecture.md "Conventions"):
 * title, cause, fix steps, verification steps and a docs link, with `{fact}` placeholders filled by `renderKnowledge`
 * from the student's real names. Entries live in four sibling files (cluster, SecretProviderClass, sign-in, Key
 * Vault); the lint rules' texts, keyed by rule id, live in kb-lint-entries.ts and become variants of their rule's
 * category. All are assembled here; the `satisfies` below makes a missing or unknown category a compile error
 * (docs/knowledge.md).
 */
import type { Category } from '../categories.ts';
import { AUTH_ENTRIES } from './kb-auth-entries.ts';
import { CLUSTER_ENTRIES } from './kb-cluster-entries.ts';
import { LINT_ENTRIES, LINT_FIXES, type RuleWithText } from './kb-lint-entries.ts';
import { SPC_ENTRIES } from './kb-spc-entries.ts';
import { FACT_HINTS, isKbFact, type KbEntry, type KbFact, type KbText, type RenderedKnowledge } from './kb-types.ts';
import { VAULT_ENTRIES } from './kb-vault-entries.ts';
import { LINT_RULES, type LintRuleOf, type RuleId } from './lint/rule-table.ts';

export {
  FACT_HINTS,
  KB_FACTS,
  type KbEntry,
  type KbFact,
  type KbText,
  type ProblemOwner,
  type RenderedKnowledge,
} from './kb-types.ts';

/** The category entries, from disjoint parts (checked by the knowledge-base test). */
const ENTRIES = {
  ...CLUSTER_ENTRIES,
  ...SPC_ENTRIES,
  ...AUTH_ENTRIES,
  ...VAULT_ENTRIES,
} as const satisfies Record<Category, KbEntry>;

/** The parts the table is assembled from, for the disjointness test; kb-lint-entries.ts adds variants to them. */
export const KNOWLEDGE_BASE_PARTS = [CLUSTER_ENTRIES, SPC_ENTRIES, AUTH_ENTRIES, VAULT_ENTRIES] as const;

/** Each lint rule's text becomes a variant, named by the rule id, of the rule's category. */
function withLintEntries(entries: Readonly<Record<Category, KbEntry>>): Record<Category, KbEntry> {
  const table: Record<Category, KbEntry> = { ...entries };
  for (const [rule, text] of Object.entries(LINT_ENTRIES) as Array<[RuleWithText, Partial<KbText>]>) {
    const { category } = LINT_RULES[rule];
    const entry = table[category];
    if (entry.variants && Object.hasOwn(entry.variants, rule)) throw new Error(`${category}/${rule} is defined twice`);
    table[category] = { ...entry, variants: { ...entry.variants, [rule]: text } };
  }
  return table;
}

/** Every category's knowledge: the entries of the four parts plus the lint rules' texts as variants. */
export const KNOWLEDGE_BASE: Readonly<Record<Category, KbEntry>> = withLintEntries(ENTRIES);

type Table = typeof ENTRIES;

/**
 * The variant names a category has (e.g. `'rbac' | 'access-policy' | 'policy'` for ACCESS_DENIED); `never` when it
 * has none. Distributes over a union of categories.
 */
export type KbVariant<C extends Category> = C extends Category
  ? (Table[C] extends { variants: infer V } ? keyof V & string : never) | (LintRuleOf<C> & RuleWithText)
  : never;

/**
 * What a finding of category `C` may name as its variant: one of the category's variants, or the id of any lint rule
 * of that category (rules without a text of their own use the category's general text, with the rule's message and
 * fix as the finding's evidence and first step).
 */
export type FindingVariant<C extends Category> = C extends Category ? KbVariant<C> | LintRuleOf<C> : never;

/** Whether `value` names a variant of `category` (for variant names that arrive as runtime strings). */
export function isKbVariant<C extends Category>(category: C, value: string): value is KbVariant<C> {
  const entry: KbEntry = KNOWLEDGE_BASE[category];
  return entry.variants !== undefined && Object.hasOwn(entry.variants, value);
}

/** `{fact}` placeholders in knowledge texts. */
export const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/**
 * A fix step that only tells how to look a fact up starts with `{unless:<fact>}`: it is shown while the fact is
 * unknown and dropped once the diagnosis or the message named it (the object ID a Key Vault 403 carries).
 */
export const UNLESS_KNOWN = /^\{unless:([A-Za-z]+)\}/;

/** The steps of `steps` that still apply with `facts` known, filled in. */
function fillSteps(steps: readonly string[], facts: Partial<Record<KbFact, string>>): string[] {
  return steps.flatMap((step) => {
    const lookup = UNLESS_KNOWN.exec(step);
    if (!lookup) return [fill(step, facts)];
    const fact = lookup[1] as string;
    return isKbFact(fact) && facts[fact]?.trim() ? [] : [fill(step.slice(lookup[0].length), facts)];
  });
}

function fill(text: string, facts: Partial<Record<KbFact, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isKbFact(name)) return whole;
    const value = facts[name]?.trim();
    return value ? value : FACT_HINTS[name];
  });
}

/**
 * The entry for `category`, refined by `variant` when the category has that variant (an unknown variant name, e.g.
 * one a classifier produced for another category, falls back to the entry itself), with every `{fact}` replaced by
 * the student's value, or by a visible hint such as `<vault name>` when the fact is missing. Plain text.
 */
export function renderKnowledge<C extends Category>(
  category: C,
  facts: Partial<Record<KbFact, string>>,
  variant?: KbVariant<C> | (string & {}),
): RenderedKnowledge {
  const entry: KbEntry = KNOWLEDGE_BASE[category];
  const refined: Partial<KbText> | undefined =
    variant !== undefined && isKbVariant(category, variant) ? entry.variants?.[variant] : undefined;
  const text: KbText = { ...entry, ...refined };
  const rendered: RenderedKnowledge = {
    title: fill(text.title, facts),
    cause: fill(text.cause, facts),
    fix: fillSteps(text.fix, facts),
    verify: fillSteps(text.verify, facts),
    docs: text.docs,
    owner: text.owner,
    commonProblem: entry.commonProblem,
  };
  if (refined !== undefined && variant !== undefined) rendered.variant = variant;
  return rendered;
}

/** A lint rule's fix from the table (kb-lint-entries.ts), with the facts known where it was found filled in. */
export function renderLintFix(rule: RuleId, facts: Partial<Record<KbFact, string>> = {}): string {
  return fill(LINT_FIXES[rule], facts);
}
