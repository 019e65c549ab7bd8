import type { Category } from '../../categories.ts';
import { decide } from './decide.ts';
import { extractFacts } from './extract.ts';
import { buildViews, prepareMessage, type Segment } from './normalize.ts';
import { rankClassifications } from './rank.ts';
import type { Classification, Facts, MessageDetails, Verdict } from './types.ts';

/**
 * Glue: normalise → (split events tables into rows) → extract facts → decide → assemble the Classification
 * with the details of the layer that decided.
 */

const MAX_ROWS = 200;
const IDENTIFYING: readonly (keyof MessageDetails)[] = [
  'objectName',
  'vault',
  'aadsts',
  'innerErrorCode',
  'errorCode',
  'statusCode',
  'secretProviderClass',
  'clientId',
  'tenantId',
  'driver',
  'provider',
  'secretName',
  'kubernetesUser',
];

/** Status, codes and host of the layer the verdict is about (Key Vault, or the token issuer for AUTH_FAILED). */
function decisiveDetails(facts: Facts, category: Category): MessageDetails {
  const details: MessageDetails = { ...facts.details };
  const kv = facts.keyVault;
  const id = facts.identity;
  const identityFirst = category === 'AUTH_FAILED' && (id.status !== undefined || id.code !== undefined || !kv.status);
  const status = identityFirst ? (id.status ?? kv.status) : (kv.status ?? id.status);
  const code = identityFirst ? (id.code ?? kv.code) : (kv.code ?? id.code);
  const host = facts.dns?.host ?? (identityFirst ? (id.host ?? kv.host) : (kv.host ?? id.host));
  if (status !== undefined) details.statusCode = status;
  if (code) details.errorCode = code;
  if (kv.inner) details.innerErrorCode = kv.inner;
  if (host) details.host = host;
  return details;
}

function assemble(verdict: Verdict, facts: Facts, reason: string | undefined): Classification {
  const details = decisiveDetails(facts, verdict.category);
  if (reason) details.eventReason ??= reason;
  const bonus = Math.min(5, IDENTIFYING.filter((key) => details[key] !== undefined).length);
  const signals = [...verdict.signals];
  if (details.placeholder && verdict.category !== 'SPC_INVALID') {
    signals.push(
      `${details.placeholder} looks like a template placeholder or a redaction; the server's answer decides. If your SPC really contains ${details.placeholder}, replace it with the real value too`,
    );
  }
  if (facts.layers.length > 0) signals.push(`wrappers: ${facts.layers.join(' → ')}`);
  return {
    category: verdict.category,
    confidence: verdict.confidence,
    specificity: Math.min(100, verdict.specificity + bonus),
    details,
    signals,
  };
}

function classifySegment(segment: Segment): Classification {
  const views = buildViews(segment.text);
  const facts = extractFacts(views);
  return assemble(decide(facts, views), facts, segment.reason);
}

function empty(signal: string): Classification {
  return { category: 'OTHER', confidence: 'low', specificity: 0, details: {}, signals: [signal] };
}

/** Classifies one pasted message (or an events table, answering for its most specific row). Never throws. */
export function classifyText(input: string): Classification {
  const prepared = prepareMessage(input);
  if (prepared.text.trim() === '') return empty('nothing to classify: the message is empty');
  let result: Classification;
  if (prepared.segments.length > 1) {
    const rows = prepared.segments.slice(0, MAX_ROWS).map((segment) => ({ classification: classifySegment(segment) }));
    const best = rankClassifications(rows)[0]?.classification ?? empty('no event row could be read');
    result = {
      ...best,
      signals: [...best.signals, `events table: ${rows.length} rows, answered for the most specific one`],
    };
  } else {
    result = classifySegment(prepared.segments[0] ?? { text: prepared.text });
  }
  if (prepared.truncated) result.signals.push('long paste: only its head and tail were read');
  if (prepared.printableRatio < 0.85 && result.specificity <= 5) {
    result.signals.push('the input is mostly not text (binary?), so nothing could be read from it');
  }
  return result;
}
