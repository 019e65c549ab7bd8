/**
 * Proportionate lint output: findings that say the same thing (same rule, severity, message and fix once the list
 * indices are set aside, e.g. the same placeholder in 500 objects) are shown a few times, then once as
 * "… and 497 more like this". Used by `kvlab lint` in a terminal and by `/kvlab lint` in Slack; `--json` keeps every
 * finding.
 */
import type { LintFinding } from '../diagnostics/knowledge/lint/types.ts';

/** How many findings of one kind are shown in full before the rest are counted. */
export const SHOWN_PER_KIND = 3;

export type OutputItem<F extends LintFinding> =
  | { kind: 'finding'; finding: F }
  /** Stands for `count` more findings like `like`; `lines` are where they are (in the file), when known. */
  | { kind: 'more'; count: number; like: F; lines: number[] };

/** `array[12]`, `[3]` → `[*]`: the same mistake at another index of a list is the same mistake. */
function shape(text: string): string {
  return text.replace(/\[\d+\]/g, '[*]').trim();
}

function kindOf(f: LintFinding): string {
  return [f.rule, f.severity, shape(f.path), shape(f.message), shape(f.fix)].join('\u0000');
}

/**
 * The findings in their order, each kind shown at most `shown` times; right after the last one shown, one item
 * counts the rest of that kind.
 */
export function capRepeats<F extends LintFinding>(findings: readonly F[], shown = SHOWN_PER_KIND): OutputItem<F>[] {
  const byKind = new Map<string, F[]>();
  for (const f of findings) {
    const key = kindOf(f);
    byKind.set(key, [...(byKind.get(key) ?? []), f]);
  }
  const seen = new Map<string, number>();
  const out: OutputItem<F>[] = [];
  for (const f of findings) {
    const key = kindOf(f);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > shown) continue;
    out.push({ kind: 'finding', finding: f });
    const all = byKind.get(key) ?? [];
    if (n === shown && all.length > shown) {
      const rest = all.slice(shown);
      const lines = rest.map((r) => r.line).filter((l): l is number => l !== undefined);
      out.push({ kind: 'more', count: rest.length, like: f, lines });
    }
  }
  return out;
}

/** `at lines 27–1518` (or `at line 27`), for a "more like this" line; empty when no line is known. */
export function linesText(lines: readonly number[]): string {
  if (lines.length === 0) return '';
  const min = lines.reduce((a, b) => Math.min(a, b));
  const max = lines.reduce((a, b) => Math.max(a, b));
  return min === max ? `at line ${min}` : `at lines ${min}–${max}`;
}
