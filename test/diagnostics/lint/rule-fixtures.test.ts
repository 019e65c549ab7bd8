import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LINT_RULE_IDS, LINT_RULES, lintText, type RuleId } from '../../../diagnostics/knowledge/lint/index.ts';

const ROOT = new URL('../../fixtures/manifests/lint/', import.meta.url);
/** Rules whose input cannot sensibly be a fixture file; bad-input.test.ts generates it. */
const GENERATED: ReadonlySet<RuleId> = new Set(['file/too-large', 'file/binary']);

const dirOf = (rule: string) => rule.replace('/', '--');
const read = (rule: string, kind: 'trigger' | 'near-miss') =>
  readFileSync(new URL(`${dirOf(rule)}/${kind}.yaml`, ROOT), 'utf8');

/** Fixtures of lab conventions say so on a line of their own: "# profile: lab". */
const profileOf = (text: string) => (/^# profile: lab$/m.test(text) ? ('lab' as const) : ('provider' as const));

/** The 1-based line carrying the trailing "# lint-here" marker, if any. */
function markedLine(text: string): number | undefined {
  const index = text.split('\n').findIndex((line) => /#\s*lint-here\s*$/.test(line));
  return index < 0 ? undefined : index + 1;
}

describe('rule fixtures', () => {
  it('exist for every rule, and only for rules in the table', () => {
    const dirs = readdirSync(ROOT).sort();
    const expected = LINT_RULE_IDS.filter((rule) => !GENERATED.has(rule))
      .map(dirOf)
      .sort();
    expect(dirs).toEqual(expected);
  });

  for (const rule of LINT_RULE_IDS.filter((r) => !GENERATED.has(r))) {
    describe(rule, () => {
      it('is triggered by its trigger fixture, at the marked line', () => {
        const text = read(rule, 'trigger');
        expect(profileOf(text), 'lab rules are tested under the lab profile').toBe(
          LINT_RULES[rule].profile ?? profileOf(text),
        );
        const hits = lintText(text, 'trigger.yaml', { profile: profileOf(text) }).findings.filter(
          (f) => f.rule === rule,
        );
        expect(hits.length).toBeGreaterThan(0);
        const line = markedLine(text);
        if (line !== undefined) expect(hits.map((f) => f.line)).toContain(line);
      });

      it('is not triggered by its near miss, which has no errors at all', () => {
        const path = new URL(`${dirOf(rule)}/near-miss.yaml`, ROOT);
        expect(existsSync(path)).toBe(true);
        const text = read(rule, 'near-miss');
        const findings = lintText(text, 'near-miss.yaml', { profile: profileOf(text) }).findings;
        expect(findings.filter((f) => f.rule === rule)).toEqual([]);
        expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      });
    });
  }
});
