/**
 * One problem of a diagnosis as thread replies: what is wrong and why, the evidence, the fix with the student's
 * names, how to verify, the docs link and the lab's Common Problems row. A problem whose evidence is too long for
 * one message continues in further replies ("continued, part 2 of 3"); evidence beyond a generous cap is cut with
 * a notice that says how many lines and where to see them all.
 */
import type { DiagnosisReport, Problem } from '../../diagnostics/types.ts';
import { cut, finishMessage, type Piece, packMessages, sectionsOf, shorten, type Unit } from './budget.ts';
import { docsLine, labRow, stepPieces } from './knowledge-pieces.ts';
import { context, type SlackMessage } from './messages.ts';
import { bold, code, escapeCode, escapeMrkdwn } from './mrkdwn.ts';

/** Characters of one evidence line kept (longer lines are cut with a notice; the CLI prints them whole). */
export const EVIDENCE_LINE_MAX = 12_000;
/** Characters of evidence per problem shown in Slack, about three replies' worth. */
export const EVIDENCE_TOTAL_MAX = 36_000;
const TITLE_MAX = 300;

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "Root cause", "Also", "Also noticed": the same words as the terminal renderer. */
export function problemLead(problem: Problem, index: number): string {
  if (problem.confidence === 'low') return 'Also noticed';
  return index === 0 ? 'Root cause' : 'Also';
}

/** `` `AUTH_FAILED` · lab Common Problems row 2 (…) · confidence high · from key-vault, events ``. */
export function problemMeta(problem: Problem): string {
  return [
    code(shorten(problem.category, 64)),
    labRow(problem.commonProblem),
    `confidence ${problem.confidence}`,
    sourcesLine(problem),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Compactly, which checks and rules said so: `from secret-provider-class (spc/object-type), events`. */
function sourcesLine(problem: Problem): string {
  const seen = new Map<string, Set<string>>();
  for (const source of problem.sources ?? []) {
    const rules = seen.get(source.check) ?? new Set<string>();
    if (source.rule) rules.add(source.rule);
    seen.set(source.check, rules);
  }
  if (seen.size === 0) return '';
  const parts = [...seen].map(([check, rules]) => (rules.size ? `${check} (${[...rules].join(', ')})` : check));
  return `from ${escapeMrkdwn(shorten(parts.join(', '), 160))}`;
}

/** The evidence as a code block, one line per item, within {@link EVIDENCE_TOTAL_MAX}. */
function evidencePieces(problem: Problem, target: DiagnosisReport['target']): Piece[] {
  const lines = problem.evidence.filter((line) => line.trim() !== '');
  if (!lines.length) return [];
  const pieces: Piece[] = [{ kind: 'text', text: '*Evidence*' }];
  let used = 0;
  let shown = 0;
  for (const line of lines) {
    const kept = cut(line, EVIDENCE_LINE_MAX);
    if (shown > 0 && used + kept.length > EVIDENCE_TOTAL_MAX) break;
    pieces.push({ kind: 'code', text: escapeCode(kept), weight: 1 });
    used += kept.length;
    shown++;
  }
  const rest = lines.length - shown;
  if (rest > 0) {
    const command = `kvlab diagnose ${shorten(target.pod, 100)} -n ${shorten(target.namespace, 100)}`;
    pieces.push({
      kind: 'text',
      text: `_… ${rest} more evidence ${rest === 1 ? 'line' : 'lines'} not shown here; ${code(command)} in a terminal prints them all._`,
    });
  }
  return pieces;
}

/** The blocks of one problem, before they are packed into messages. */
function problemUnits(problem: Problem, index: number, target: DiagnosisReport['target']): Unit[] {
  const title = shorten(oneLine(problem.title), TITLE_MAX);
  const docs = docsLine(problem.docs);
  return [
    ...sectionsOf([
      { kind: 'text', text: bold(`${index + 1}. ${problemLead(problem, index)}: ${title}`) },
      { kind: 'text', text: escapeMrkdwn(problem.cause) },
    ]),
    { block: context(problemMeta(problem)) },
    ...sectionsOf(evidencePieces(problem, target)),
    ...sectionsOf(stepPieces('Fix', problem.fix, true)),
    ...sectionsOf(stepPieces('Verify', problem.verify, false)),
    ...(docs ? [{ block: context(docs) }] : []),
  ];
}

/**
 * The thread replies for problem `index` (0 = the root cause): usually one message; more when the evidence or the
 * steps need more than one message, each continuation starting with a line naming the problem and the part.
 */
export function renderProblemReplies(
  problem: Problem,
  index: number,
  target: DiagnosisReport['target'],
): SlackMessage[] {
  const parts = packMessages(problemUnits(problem, index, target));
  const title = oneLine(problem.title);
  const label = `${index + 1}. ${problemLead(problem, index)}: ${shorten(title, TITLE_MAX)}`;
  return parts.map((units, k) => {
    const part = parts.length > 1 ? ` (part ${k + 1} of ${parts.length})` : '';
    const blocks = units.map((u) => u.block);
    if (k > 0) blocks.unshift(context(`_${escapeMrkdwn(`${index + 1}. ${shorten(title, 150)}`)}, continued${part}_`));
    return finishMessage(`${escapeMrkdwn(label)}${part}`, blocks);
  });
}
