import type { Category } from '../../categories.ts';
import type { Classification, Verdict } from './types.ts';

/** Builds a rule's verdict. */
export function verdict(
  category: Category,
  confidence: Classification['confidence'],
  specificity: number,
  ...signals: string[]
): Verdict {
  return { category, confidence, specificity, signals };
}

/** Returns the first signal whose pattern matches `text`, for rules that map several tokens to one verdict. */
export function firstHit(text: string, table: readonly (readonly [RegExp, string])[]): string | null {
  for (const [pattern, signal] of table) if (pattern.test(text)) return signal;
  return null;
}
