/**
 * The error-message classifier behind `kvlab explain` and the classification of every FailedMount event.
 *
 * It maps one message (kubelet event, driver or provider log line, text pasted into Slack) to a category of
 * the public taxonomy (`diagnostics/categories.ts`) and extracts details, deciding by structure: gRPC and
 * kubelet wrappers, HTTP status numbers, Key Vault error and inner codes, AADSTS numbers, well-known hosts
 * and ports. Precedence between evidence layers is explicit in `decide.ts`. Pure and offline: needs no
 * permission and makes no call.
 */
import { classifyText } from './classify.ts';
import type { Classification } from './types.ts';

export { normalizeMessage } from './normalize.ts';
export { rankClassifications } from './rank.ts';
export type { Classification, MessageDetails } from './types.ts';

/**
 * Classifies one error message. Handles copy-paste mangling (see {@link normalizeMessage}), both Azure
 * provider generations, and `kubectl describe` event tables (answering for the most specific row). Empty,
 * binary or unrecognised input yields category `OTHER` with confidence `low` and a signal saying why.
 * At most 64 KiB (head and tail) of a long paste is read, so the cost is bounded. Never throws.
 */
export function classifyMessage(text: string): Classification {
  if (typeof text !== 'string') return classifyOnce(text);
  const known = RECENT.get(text);
  if (known) return structuredClone(known);
  const result = classifyOnce(text);
  if (text.length <= MEMO_MAX_TEXT) {
    if (RECENT.size >= MEMO_ENTRIES) RECENT.delete(RECENT.keys().next().value as string);
    RECENT.set(text, structuredClone(result));
  }
  return result;
}

/**
 * The same event text is classified many times (the events check, class status's "stuck since", the watcher on
 * every count bump): remember the latest answers. Bounded in entries and text size; callers get copies.
 */
const RECENT = new Map<string, Classification>();
const MEMO_ENTRIES = 2_000;
const MEMO_MAX_TEXT = 16 * 1024;

function classifyOnce(text: string): Classification {
  try {
    return classifyText(text);
  } catch (error) {
    // Defensive: a bug in one rule must not take down `explain` or the event watcher.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      category: 'OTHER',
      confidence: 'low',
      specificity: 0,
      details: {},
      signals: [`the classifier failed on this input (${reason}); please report it`],
    };
  }
}
