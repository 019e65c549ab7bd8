/**
 * The knowledge base as a registry, checked against what produces findings, in both directions:
 *
 * 1. every (category, variant) a producer can emit has a text in the table, so no finding silently falls back;
 * 2. every variant in the table is emitted by some producer, so no text is dead;
 * 3. every `{fact}` a text uses is filled by some producer, so a student reads a `<hint>` only where kvlab cannot know
 *    the value (the list below says which, and why).
 *
 * Producers are enumerated by importing them, never by reading their source:
 * - the checks (`CHECKS` of run-diagnosis.ts): each declares `emits`, the variants it names literally and the facts
 *   it fills. The declaration is the type of what the code can emit: findings get their variant through
 *   `tagged(EMITS, category, variant)`, which only accepts a declared pair, and `Emits` only accepts variants the
 *   table has and facts in KB_FACTS (checks/check.ts). So the lists cannot drift from the code without a type error.
 * - `variantOf` (live replay, event check, explain): `VARIANT_OF_PAIRS`, derived from its own mapping tables.
 * - the linter: a lint finding's variant is its rule id, under the rule's category (checks/lint-findings.ts, used by
 *   the SecretProviderClass, pod and ServiceAccount checks). A rule id has a text of its own (kb-lint-entries.ts)
 *   only where the category's general text is not enough; the others use the general text on purpose, with the
 *   rule's own message and fix as the finding's evidence and first fix step.
 * - facts from messages: `detailsToFacts`, run on details where every field is set.
 * - baseFacts in run-diagnosis.ts fills namespace, pod, node, serviceAccount, spc, vault, clientId and tenantId,
 *   all of which the checks declare too, so it adds no fact of its own here.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../../diagnostics/categories.ts';
import { detailsToFacts } from '../../diagnostics/checks/facts-from-details.ts';
import type { MessageDetails } from '../../diagnostics/knowledge/classify/index.ts';
import { LINT_ENTRIES, LINT_FIXES } from '../../diagnostics/knowledge/kb-lint-entries.ts';
import {
  KB_FACTS,
  type KbEntry,
  type KbText,
  KNOWLEDGE_BASE,
  PLACEHOLDER,
} from '../../diagnostics/knowledge/knowledge-base.ts';
import { LINT_RULE_IDS, LINT_RULES } from '../../diagnostics/knowledge/lint/index.ts';
import { VARIANT_OF_PAIRS } from '../../diagnostics/knowledge/variant-of.ts';
import { CHECKS } from '../../diagnostics/run-diagnosis.ts';

type Pair = { category: Category; variant: string; by: string };

/** Facts no producer can fill: Azure-side names kvlab does not read (it has no Azure management access). */
const LOOKED_UP_BY_THE_STUDENT = {
  identityName: 'the managed identity is known by its client ID; its name is in Azure (FACT_LOOKUPS says how)',
  resourceGroup: "the identity's and cluster's resource group is in Azure",
  cluster: 'the AKS cluster name is not in anything kvlab reads from the cluster',
};

function checkPairs(): Pair[] {
  return CHECKS.flatMap((check) =>
    Object.entries(check.emits.variants).flatMap(([category, variants]) =>
      (variants ?? []).map((variant: string) => ({ category: category as Category, variant, by: check.id })),
    ),
  );
}

const variantOfPairs = (): Pair[] => VARIANT_OF_PAIRS.map((p) => ({ ...p, by: 'variantOf' }));
const lintPairs = (): Pair[] =>
  LINT_RULE_IDS.map((id) => ({ category: LINT_RULES[id].category, variant: id, by: 'lint' }));

function tableVariants(): Array<{ category: Category; variant: string }> {
  return CATEGORIES.flatMap((category) => {
    const entry: KbEntry = KNOWLEDGE_BASE[category];
    return Object.keys(entry.variants ?? {}).map((variant) => ({ category, variant }));
  });
}

const key = (p: { category: Category; variant: string }) => `${p.category}/${p.variant}`;

function textsOf(part: Partial<KbText>): string[] {
  return [part.title, part.cause, ...(part.fix ?? []), ...(part.verify ?? [])].filter(
    (t): t is string => t !== undefined,
  );
}

function factsUsed(): Set<string> {
  const used = new Set<string>();
  for (const category of CATEGORIES) {
    const entry: KbEntry = KNOWLEDGE_BASE[category];
    for (const part of [entry, ...Object.values(entry.variants ?? {})]) {
      for (const text of textsOf(part)) for (const m of text.matchAll(PLACEHOLDER)) used.add(m[1] ?? '');
    }
  }
  return used;
}

function factsSupplied(): Set<string> {
  // Every detail field set, so detailsToFacts shows every fact it can derive from a message.
  const everything = new Proxy({} as MessageDetails, {
    get: (_, field) => (field === 'assertionSubject' ? 'system:serviceaccount:student-1:sa-1' : 'value-1'),
  });
  return new Set([
    ...CHECKS.flatMap((check) => check.emits.facts),
    ...Object.keys(detailsToFacts(everything)),
    // Lint findings carry the SPC and namespace (checks/secret-provider-class.ts), declared by that check.
  ]);
}

describe('knowledge base registry', () => {
  it('has a text for every variant a check or variantOf can emit', () => {
    const table = new Set(tableVariants().map(key));
    const missing = [...checkPairs(), ...variantOfPairs()].filter((p) => !table.has(key(p)));
    expect(missing.map((p) => `${key(p)} (from ${p.by})`)).toEqual([]);
  });

  it('keys rule-specific texts by lint rules of the same category', () => {
    const rules = new Map(lintPairs().map((p) => [p.variant, p.category]));
    for (const { category, variant } of tableVariants().filter((v) => v.variant.includes('/'))) {
      expect(rules.get(variant), `${category}/${variant}`).toBe(category);
    }
  });

  it('has a fix for every lint rule, and only for lint rules, with knowledge-base facts only', () => {
    expect(Object.keys(LINT_FIXES)).toEqual([...LINT_RULE_IDS]);
    for (const [rule, fix] of Object.entries(LINT_FIXES)) {
      for (const m of fix.matchAll(PLACEHOLDER))
        expect(KB_FACTS as readonly string[], `${rule}: {${m[1]}}`).toContain(m[1]);
      expect(fix.trim(), rule).toBe(fix);
    }
  });

  it("files each lint rule's text under the rule's category, once", () => {
    for (const [rule, text] of Object.entries(LINT_ENTRIES)) {
      expect(LINT_RULE_IDS as readonly string[], rule).toContain(rule);
      const { category } = LINT_RULES[rule as keyof typeof LINT_RULES];
      const entry: KbEntry = KNOWLEDGE_BASE[category];
      expect(entry.variants?.[rule], `${category}/${rule}`).toBe(text);
      const elsewhere = CATEGORIES.filter(
        (c) => c !== category && Object.hasOwn(KNOWLEDGE_BASE[c].variants ?? {}, rule),
      );
      expect(elsewhere, rule).toEqual([]);
    }
  });

  it('emits every variant in the table from some producer (no dead text)', () => {
    const emitted = new Set([...checkPairs(), ...variantOfPairs(), ...lintPairs()].map(key));
    const dead = tableVariants().filter((v) => !emitted.has(key(v)));
    expect(dead.map(key)).toEqual([]);
  });

  it('has each check declare only facts and variants it can name', () => {
    for (const check of CHECKS) {
      for (const fact of check.emits.facts) expect(KB_FACTS as readonly string[], check.id).toContain(fact);
      expect(new Set(check.emits.facts).size, check.id).toBe(check.emits.facts.length);
    }
  });

  it('fills every fact a text uses from some producer, except the ones only Azure knows', () => {
    const supplied = factsSupplied();
    const unsupplied = [...factsUsed()].filter((fact) => !supplied.has(fact)).sort();
    expect(unsupplied).toEqual(Object.keys(LOOKED_UP_BY_THE_STUDENT).sort());
  });
});
