import type { Classification } from './types.ts';

const CONFIDENCE_ORDER: Record<Classification['confidence'], number> = { high: 2, medium: 1, low: 0 };

/**
 * Orders classified items root cause first: higher specificity, then higher confidence, then input order
 * (stable). Returns a new array; the input is not modified. Used to rank all FailedMount events of a pod,
 * so a Key Vault 403 with an inner code comes before kubelet's generic "Unable to attach or mount volumes".
 */
export function rankClassifications<T extends { classification: Classification }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        b.item.classification.specificity - a.item.classification.specificity ||
        CONFIDENCE_ORDER[b.item.classification.confidence] - CONFIDENCE_ORDER[a.item.classification.confidence] ||
        a.index - b.index,
    )
    .map(({ item }) => item);
}
