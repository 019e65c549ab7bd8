/**
 * The answer to "Show fixed YAML": the top problem's patch (diagnostics/fixes) as Slack blocks — what changes,
 * the questions to answer first with the candidates that exist, and the shell commands with the corrected
 * manifests in a code block, packed within Slack's limits (budget.ts). Cluster text is escaped for mrkdwn.
 */
import { shellCommands, unknownLines } from '../../diagnostics/fixes/patch-text.ts';
import type { DiagnosisReport, Problem } from '../../diagnostics/types.ts';
import { finishMessage, fitMessage, type Piece, sectionsOf, shorten } from './budget.ts';
import { context, type SlackMessage } from './messages.ts';
import { bold, escapeCode, escapeMrkdwn } from './mrkdwn.ts';

/** The problem whose patch the button shows: the first one that has a patch. */
export function problemWithPatch(
  report: DiagnosisReport,
): (Problem & { patch: NonNullable<Problem['patch']> }) | undefined {
  return report.problems.find((p): p is Problem & { patch: NonNullable<Problem['patch']> } => p.patch !== undefined);
}

export function renderFix(report: DiagnosisReport): SlackMessage {
  const { namespace, pod } = report.target;
  const problem = problemWithPatch(report);
  if (!problem) {
    return finishMessage('No ready patch', [
      context(escapeMrkdwn(`kvlab has no ready patch for ${namespace}/${pod}: follow the steps in the thread.`)),
    ]);
  }
  const { patch } = problem;
  const who =
    patch.owner === 'instructor'
      ? 'Only your instructor can apply this (it needs Azure rights): send them these commands.'
      : 'Run these in your terminal, in order. kvlab changes nothing itself.';
  const pieces: Piece[] = [
    { kind: 'text', text: `🩹 ${bold(shorten(`Fix for ${problem.title}`, 280))}\n${escapeMrkdwn(who)}` },
    ...patch.changes.map((c) => ({ kind: 'text' as const, text: `• ${escapeMrkdwn(shorten(c, 600))}`, weight: 1 })),
    ...unknownLines(patch).map((l) => ({
      kind: 'text' as const,
      text: `❓ ${escapeMrkdwn(shorten(l, 900))}`,
      weight: 1,
    })),
    ...shellCommands(patch).map((c) => ({ kind: 'code' as const, text: escapeCode(c), weight: 1 })),
  ];
  const blocks = fitMessage(sectionsOf(pieces), () =>
    escapeMrkdwn(`The patch is too long for Slack: run kvlab diagnose ${pod} -n ${namespace} --fix in a terminal.`),
  );
  return finishMessage(`Fixed YAML for ${namespace}/${pod}`, blocks);
}
