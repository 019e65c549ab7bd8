/**
 * `explain`: one error message (an event, a provider log line, pasted text) → its category, the details
 * found in it, and the knowledge base's explanation with those details filled in. No cluster round trip.
 * Input is bounded here, for every entry point (CLI, Slack): empty, binary and oversized pastes are refused
 * with a message that says what to paste instead.
 */

import type { Category } from './categories.ts';
import { detailsToFacts } from './checks/facts-from-details.ts';
import { UserInputError } from './errors.ts';
import { type Classification, classifyMessage, type MessageDetails } from './knowledge/classify/index.ts';
import { lookupsFor } from './knowledge/fact-lookups.ts';
import { renderKnowledge } from './knowledge/knowledge-base.ts';
import { variantDetailOf, variantOf } from './knowledge/variant-of.ts';

/** Largest message accepted: an event or log line, with room for pretty-printed Azure error bodies. */
export const MAX_EXPLAIN_BYTES = 64 * 1024;

export interface Explanation {
  category: Category;
  commonProblem: number | null;
  title: string;
  cause: string;
  confidence: Classification['confidence'];
  details: MessageDetails;
  fix: string[];
  verify: string[];
  /** Values the message did not name, each with how to look it up (one line per hint left in the fix). */
  lookup: string[];
  docs: string;
  /** What in the message decided (structure, not prose). */
  signals: string[];
}

export function explainMessage(text: string): Explanation {
  checkExplainInput(text);
  const classification = classifyMessage(text);
  const { category, details } = classification;
  const variant = variantOf(category, variantDetailOf(details));
  const kb = renderKnowledge(category, detailsToFacts(details), variant);
  const placeholderStep =
    details.placeholder && category !== 'SPC_INVALID'
      ? [
          `${details.placeholder} in the message looks like a template placeholder or a redaction. If your SecretProviderClass really contains ${details.placeholder}, replace it with the real value first.`,
        ]
      : [];
  const fix = [...placeholderStep, ...kb.fix];
  return {
    category,
    commonProblem: kb.commonProblem,
    title: kb.title,
    cause: kb.cause,
    confidence: classification.confidence,
    details,
    fix,
    verify: kb.verify,
    lookup: lookupsFor([kb.title, ...fix, ...kb.verify]),
    docs: kb.docs,
    signals: classification.signals,
  };
}

/** Throws UserInputError for input that is not an error message kvlab can read. */
export function checkExplainInput(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (text.trim() === '') {
    throw new UserInputError(
      'nothing to explain: paste the error message, e.g. the FailedMount line of `kubectl describe pod`.',
    );
  }
  if (bytes > MAX_EXPLAIN_BYTES) {
    throw new UserInputError(
      `the text is larger than ${MAX_EXPLAIN_BYTES / 1024} KiB; paste at most ${MAX_EXPLAIN_BYTES / 1024} KiB — the event message or log line itself, not a whole log.`,
    );
  }
  const controls = [...text].filter((ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return (c < 32 && ch !== '\n' && ch !== '\r' && ch !== '\t') || c === 0xfffd;
  }).length;
  if (text.includes('\u0000') || controls > Math.max(8, text.length * 0.05)) {
    throw new UserInputError(
      'the input looks binary, not like an error message: paste the text of the event or log line.',
    );
  }
}
