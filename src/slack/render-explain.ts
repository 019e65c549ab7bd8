/**
 * `/kvlab explain <error text>`: what a pasted error message means, in one message: the knowledge-base title and
 * cause, the category and lab row, what the classifier read out of the message (vault, object, status codes…) and
 * why, an excerpt of the paste, then the fix, how to verify, and the docs. The paste is untrusted text and is
 * shown only escaped, in a code block.
 */
import type { Classification, MessageDetails } from '../../diagnostics/knowledge/classify/index.ts';
import { cut, finishMessage, fitMessage, LIMITS, type Piece, sectionsOf, shorten, type Unit } from './budget.ts';
import { docsLine, labRow, stepPieces } from './knowledge-pieces.ts';
import { context, mrkdwn, type SlackMessage } from './messages.ts';
import { bold, code, escapeCode, escapeMrkdwn } from './mrkdwn.ts';

/** The knowledge-base answer for the classified category (a `RenderedKnowledge` fits). */
export interface ExplainKnowledge {
  title: string;
  cause: string;
  fix: readonly string[];
  verify: readonly string[];
  docs: string;
  commonProblem: number | null;
}

/** Labels of the details the classifier extracts; a new field in MessageDetails is a compile error until named. */
const DETAIL_LABELS: Record<keyof MessageDetails, string> = {
  vault: 'Key Vault',
  objectName: 'Object',
  objectType: 'Object type',
  objectVersion: 'Object version',
  statusCode: 'HTTP status',
  errorCode: 'Error code',
  innerErrorCode: 'Inner error code',
  aadsts: 'AADSTS',
  clientId: 'Client ID',
  objectId: 'Object ID',
  tenantId: 'Tenant ID',
  namespace: 'Namespace',
  pod: 'Pod',
  volume: 'Volume',
  secretProviderClass: 'SecretProviderClass',
  provider: 'Provider',
  assertionIssuer: 'Token issuer',
  assertionSubject: 'Token subject',
  assertionAudience: 'Token audience',
  host: 'Host',
  grpcCode: 'gRPC code',
  providerGeneration: 'Provider generation',
  eventReason: 'Event reason',
  secretName: 'Secret',
  secretKey: 'Secret key',
  driver: 'CSI driver',
  kubernetesUser: 'Kubernetes user',
  identityMode: 'Identity mode',
  podIdentityComponent: 'Pod identity component',
  verb: 'Verb',
  resource: 'Resource',
  placeholder: 'Placeholder',
  keyVaultOperation: 'Refused operation',
  lifecycleModes: 'Driver volume modes',
  contentType: 'Content type',
  keyType: 'Key type',
};

/** How much of the paste is echoed back: enough to recognise it. */
const EXCERPT_MAX = 600;
const SIGNALS_MAX = 8;

/** Section blocks with the extracted details as fields (10 per section, Slack's limit). */
function detailUnits(details: MessageDetails): Unit[] {
  const fields = (Object.keys(DETAIL_LABELS) as Array<keyof MessageDetails>)
    .filter((key) => details[key] !== undefined && String(details[key]).trim() !== '')
    .map((key) => mrkdwn(`*${DETAIL_LABELS[key]}*\n${code(shorten(String(details[key]), 300))}`));
  const units: Unit[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.sectionFields) {
    units.push({ block: { type: 'section', fields: fields.slice(i, i + LIMITS.sectionFields) }, weight: 0 });
  }
  return units;
}

function signalPieces(signals: readonly string[]): Piece[] {
  const shown = signals.filter((s) => s.trim()).slice(0, SIGNALS_MAX);
  if (!shown.length) return [];
  const rest = signals.filter((s) => s.trim()).length - shown.length;
  return [
    { kind: 'text', text: '*Why kvlab thinks so*' },
    ...shown.map((s) => ({ kind: 'text' as const, text: `• ${escapeMrkdwn(cut(s.replace(/\s+/g, ' '), 300))}` })),
    ...(rest > 0 ? [{ kind: 'text' as const, text: `_… and ${rest} more_` }] : []),
  ];
}

/**
 * The answer to `/kvlab explain`. `text` is what the user pasted; `classification` the classifier's reading of
 * it; `knowledge` the knowledge-base entry for its category with the extracted names filled in.
 */
export function renderExplain(input: {
  text: string;
  classification: Classification;
  knowledge: ExplainKnowledge;
}): SlackMessage {
  const { text, classification: c, knowledge: kb } = input;
  const title = shorten(kb.title.replace(/\s+/g, ' '), 300);
  const meta = [code(shorten(c.category, 64)), labRow(kb.commonProblem), `confidence ${c.confidence}`];
  const docs = docsLine(kb.docs);
  const excerpt: Piece[] = text.trim()
    ? [
        { kind: 'text', text: '*You pasted*' },
        { kind: 'code', text: escapeCode(cut(text.trim(), EXCERPT_MAX)) },
      ]
    : [];
  const units: Unit[] = [
    ...sectionsOf([
      { kind: 'text', text: `🔎 ${bold(title)}` },
      { kind: 'text', text: escapeMrkdwn(kb.cause) },
    ]),
    { block: context(meta.filter(Boolean).join(' · ')) },
    ...detailUnits(c.details),
    ...sectionsOf(signalPieces(c.signals)),
    ...sectionsOf(stepPieces('Fix', kb.fix, true)),
    ...sectionsOf(stepPieces('Verify', kb.verify, false)),
    ...(docs ? [{ block: context(docs) }] : []),
    ...sectionsOf(excerpt),
  ];
  const blocks = fitMessage(
    units,
    (_, sections) =>
      `… ${sections} more ${sections === 1 ? 'section' : 'sections'} did not fit in Slack; ${code('kvlab explain -')} in a terminal shows the whole answer.`,
  );
  return finishMessage(`${escapeMrkdwn(title)} (${escapeMrkdwn(shorten(c.category, 64))})`, blocks);
}
