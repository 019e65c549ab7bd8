/**
 * A diagnosis in Slack (issue 4 "Working"): a parent message with the verdict and the top cause in one line, edited
 * in place from the progress message, with "Re-run", "Show all checks" and (when a patch exists) "Show fixed YAML"
 * buttons; then thread replies, one per problem (root cause first), and a compact table of all checks. A healthy pod gets a short green answer.
 * Pure: the worker posts what this returns. Reports carry no secret values, and nothing here adds one.
 */
import type { DiagnosisReport, Problem, ReportNote } from '../../diagnostics/types.ts';
import { clipEscaped, finishMessage, fitMessage, LIMITS, sectionsOf, shorten, type Unit } from './budget.ts';
import {
  DIAGNOSIS_ACTIONS_BLOCK_ID,
  encodeButtonValue,
  RERUN_ACTION_ID,
  SHOW_CHECKS_ACTION_ID,
  SHOW_FIX_ACTION_ID,
} from './interaction-ids.ts';
import { labRow } from './knowledge-pieces.ts';
import { actions, context, type SlackMessage, section } from './messages.ts';
import { bold, code, escapeCode, escapeMrkdwn } from './mrkdwn.ts';
import { checkCounts, checkedAt, checkTablePieces, moreChecksNotice } from './render-checks.ts';
import { renderProblemReplies } from './render-problem.ts';

export { renderChecksTable } from './render-checks.ts';

type Target = DiagnosisReport['target'];

/** `namespace/pod`, bounded so a pathological name cannot blow a section's budget. */
function targetName(target: Target): string {
  return shorten(`${target.namespace}/${target.pod}`, 200);
}

/**
 * The parent message while the checks run: `⏳ Diagnosing student-07/pod-keyvault…`, with the checks done so far
 * (names as given, e.g. check titles) in a context line.
 */
export function renderProgress(target: Target, done: string[] = []): SlackMessage {
  const name = targetName(target);
  const blocks: object[] = [section(`⏳ Diagnosing ${code(name)}…`)];
  const names = done.map((d) => d.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (names.length) {
    const list = escapeMrkdwn(names.map((n) => shorten(n, 100)).join(' · '));
    blocks.push(context(clipEscaped(`Done: ${list}`, LIMITS.contextText)));
  }
  return finishMessage(`Diagnosing ${escapeMrkdwn(name)}…`, blocks);
}

/**
 * Where the details are, as the parent says it: `thread` (the parent's thread in a channel or DM) or `below` (a
 * private answer through the response_url: separate messages under the parent, only the asker sees them).
 */
export type DetailsWhere = 'thread' | 'below';

/** The verdict and the top cause in one line, and the fallback text that says the same without markup. */
function verdictLine(
  report: DiagnosisReport,
  top: Problem | undefined,
  where: DetailsWhere,
): { line: string; fallback: string } {
  const name = targetName(report.target);
  const title = top ? escapeMrkdwn(shorten(top.title.replace(/\s+/g, ' '), 300)) : '';
  const [icon, words] =
    report.verdict === 'healthy'
      ? ['✅', 'is healthy: the secrets are mounted.']
      : report.verdict === 'broken'
        ? [
            '❌',
            title
              ? `is broken: ${title}`
              : `is broken; the checks are ${where === 'below' ? 'below' : 'in the thread'}.`,
          ]
        : report.note
          ? ['⏳', `— ${escapeMrkdwn(shorten(report.note.title, 300))}.`]
          : ['❔', `is inconclusive: some checks could not run.${title ? ` Most likely: ${title}` : ''}`];
  return { line: `${icon} ${code(name)} ${words}`, fallback: `${icon} ${escapeMrkdwn(name)} ${words}` };
}

/** Category, lab row and confidence of the top problem, how many more there are, and the check counts. */
function parentMeta(report: DiagnosisReport, top: Problem | undefined, where: DetailsWhere): string {
  const more = report.problems.length - 1;
  const notes = report.problems.length;
  const inThread = where === 'below' ? 'below' : 'in the thread';
  const parts =
    report.verdict === 'healthy'
      ? [checkCounts(report.checks), notes ? `${notes} ${notes === 1 ? 'note' : 'notes'} ${inThread}` : undefined]
      : [
          top ? code(shorten(top.category, 64)) : undefined,
          top ? labRow(top.commonProblem) : undefined,
          top ? `confidence ${top.confidence}` : undefined,
          more > 0 ? `${more} more ${more === 1 ? 'problem' : 'problems'}` : undefined,
          checkCounts(report.checks),
          where === 'below' ? 'details below 👇' : 'details in the thread 🧵',
        ];
  return parts.filter(Boolean).join(' · ');
}

function parentMessage(report: DiagnosisReport, jobId: string, where: DetailsWhere): SlackMessage {
  const top = report.problems[0];
  const { line, fallback } = verdictLine(report, top, where);
  const blocks: object[] = [section(line), context(parentMeta(report, top, where))];
  const value = encodeButtonValue({ namespace: report.target.namespace, pod: report.target.pod, jobId });
  if (value) {
    blocks.push(
      actions(DIAGNOSIS_ACTIONS_BLOCK_ID, [
        { text: '🔁 Re-run', actionId: RERUN_ACTION_ID, value },
        { text: '📋 Show all checks', actionId: SHOW_CHECKS_ACTION_ID, value },
        ...(report.problems.some((p) => p.patch)
          ? [{ text: '🩹 Show fixed YAML', actionId: SHOW_FIX_ACTION_ID, value }]
          : []),
      ]),
    );
  }
  return finishMessage(fallback, blocks);
}

/** The one reply of a healthy answer: its notes (warnings) in brief, and the checks table when asked for. */
function healthyReply(report: DiagnosisReport, showAllChecks: boolean): SlackMessage | undefined {
  if (!report.problems.length && !showAllChecks) return undefined;
  const notes = report.problems.map((p) => ({
    kind: 'text' as const,
    text: `⚠️ ${bold(shorten(p.title, 300))}\n${escapeMrkdwn(shorten(p.cause, 1000))}`,
    weight: 1,
  }));
  const units: Unit[] = [
    ...sectionsOf(notes.length ? [{ kind: 'text', text: '*Worth a look, though nothing is broken*' }, ...notes] : []),
    ...(showAllChecks ? [...sectionsOf(checkTablePieces(report)), { block: context(checkedAt(report)) }] : []),
  ];
  const blocks = fitMessage(units, moreChecksNotice(report.target));
  return finishMessage(`${escapeMrkdwn(targetName(report.target))}: ${checkCounts(report.checks)}`, blocks);
}

/** The reply that says why nothing has failed yet, and what to watch for (report.note). */
function noteReply(report: DiagnosisReport, note: ReportNote): SlackMessage {
  const units = sectionsOf([
    { kind: 'text', text: bold(`⏳ ${shorten(note.title, 300)}`) },
    { kind: 'text', text: escapeMrkdwn(shorten(note.text, 2000)) },
    ...(note.watch.length ? [{ kind: 'text' as const, text: '*Watch for it:*' }] : []),
    ...note.watch.map((w) => ({ kind: 'code' as const, text: escapeCode(shorten(w, 500)) })),
  ]);
  return finishMessage(
    `${escapeMrkdwn(targetName(report.target))}: ${escapeMrkdwn(note.title)}`,
    fitMessage(units, moreChecksNotice(report.target)),
  );
}

/** The last reply of a thread: every check with ✅/❌ and timings. */
function checksReply(report: DiagnosisReport): SlackMessage {
  const units = [...sectionsOf(checkTablePieces(report)), { block: context(checkedAt(report)) }];
  const blocks = fitMessage(units, moreChecksNotice(report.target));
  return finishMessage(`${escapeMrkdwn(targetName(report.target))} — ${checkCounts(report.checks)}`, blocks);
}

/**
 * The whole answer to a diagnosis. `parent`: verdict and top cause in one line, a context line (category, lab
 * row, confidence, counts) and the buttons (value `{v:1, namespace, pod, jobId}`; left out only if it would exceed
 * Slack's 2,000 characters). `replies`, for the parent's thread: one or more per problem, then the checks table.
 * A healthy report gets at most one reply: its notes, and the checks table when `showAllChecks` is set.
 */
export function renderDiagnosis(
  report: DiagnosisReport,
  opts: { jobId: string; showAllChecks?: boolean },
): { parent: SlackMessage; replies: SlackMessage[] } {
  const parent = parentMessage(report, opts.jobId, 'thread');
  if (report.verdict === 'healthy') {
    const reply = healthyReply(report, opts.showAllChecks === true);
    return { parent, replies: reply ? [reply] : [] };
  }
  const replies = report.problems.flatMap((p, i) => renderProblemReplies(p, i, report.target));
  const note = report.note ? [noteReply(report, report.note)] : [];
  return { parent, replies: [...note, ...replies, checksReply(report)] };
}

/**
 * The parent of an answer given privately through the response_url: the same message, but its replies are
 * separate messages below it that only the asker sees, not a thread — so it says "details below".
 */
export function renderPrivateParent(report: DiagnosisReport, opts: { jobId: string }): SlackMessage {
  return parentMessage(report, opts.jobId, 'below');
}
