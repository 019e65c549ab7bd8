import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCategory } from '../../../diagnostics/categories.ts';
import { LINT_RULE_IDS, LINT_RULES } from '../../../diagnostics/knowledge/lint/index.ts';

describe('lint rule table', () => {
  it('gives every rule an existing category, a severity and a summary', () => {
    for (const id of LINT_RULE_IDS) {
      const rule = LINT_RULES[id];
      expect(isCategory(rule.category), id).toBe(true);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(rule.summary.trim().length, id).toBeGreaterThan(10);
    }
  });

  it('names rules kind/kebab-case, with the object kind they inspect as prefix', () => {
    for (const id of LINT_RULE_IDS) expect(id).toMatch(/^(file|spc|pod|sa|lab)\/[a-z]+(-[a-z]+)*$/);
  });

  it('lists every rule, with its severity and category, in the module README', () => {
    const readme = readFileSync(new URL('../../../diagnostics/knowledge/lint/README.md', import.meta.url), 'utf8');
    for (const id of LINT_RULE_IDS) {
      const { severity, category } = LINT_RULES[id];
      const row = new RegExp(`^\\|\\s*\`${id}\`\\s*\\|\\s*${severity}\\s*\\|\\s*${category}\\s*\\|`, 'm');
      expect(readme, id).toMatch(row);
    }
  });

  it("makes every lab-profile rule a warning: the lab's conventions never fail a manifest on their own", () => {
    const lab = LINT_RULE_IDS.filter((id) => LINT_RULES[id].profile === 'lab');
    expect(lab.length).toBeGreaterThan(5);
    for (const id of lab) expect(LINT_RULES[id].severity, id).toBe('warning');
    expect(LINT_RULE_IDS.filter((id) => LINT_RULES[id].labSeverity)).toEqual(['spc/pod-identity']);
  });
});
