/**
 * The compact table of a diagnosis's checks (✅/❌ per check, its timing and one-line summary), used at the end of
 * a diagnosis thread and, alone, for the "Show all checks" button. Same icons as the terminal renderer.
 */
import type { CheckStatus, DiagnosisReport } from '../../diagnostics/types.ts';
import { cut, finishMessage, fitMessage, type Piece, sectionsOf, shorten } from './budget.ts';
import type { SlackMessage } from './messages.ts';
import { context } from './messages.ts';
import { bold, code, escapeMrkdwn } from './mrkdwn.ts';

type CheckRow = DiagnosisReport['checks'][number];

const ICON: Record<CheckStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '➖', error: '❔' };
const COUNT_WORD: Record<CheckStatus, string> = {
  pass: 'passed',
  fail: 'failed',
  warn: 'warned',
  skip: 'skipped',
  error: 'could not run',
};
/** A check summary is one line; longer ones are cut with a notice (the CLI shows them whole). */
const SUMMARY_MAX = 500;

/** `12 ms`, `1.4 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '? ms';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `9 checks: 7 passed, 1 failed, 1 skipped` (or `9 checks, all passed`). */
export function checkCounts(checks: readonly CheckRow[]): string {
  const n = checks.length;
  const noun = n === 1 ? 'check' : 'checks';
  if (n > 0 && checks.every((c) => c.status === 'pass')) return `${n} ${noun}, all passed`;
  const parts = (Object.keys(COUNT_WORD) as CheckStatus[])
    .map((status) => [status, checks.filter((c) => c.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${COUNT_WORD[status]}`);
  return parts.length ? `${n} ${noun}: ${parts.join(', ')}` : `no ${noun} ran`;
}

/** The table as pieces: a bold heading with the counts, then one row per check (weight 1 each). */
export function checkTablePieces(report: DiagnosisReport): Piece[] {
  const rows: Piece[] = report.checks.map((c) => ({
    kind: 'text',
    text: `${ICON[c.status] ?? '❔'} ${bold(shorten(c.title, 100))} \`${formatDuration(c.durationMs)}\` — ${escapeMrkdwn(
      cut(c.summary.replace(/\s+/g, ' ').trim(), SUMMARY_MAX),
    )}`,
    weight: 1,
  }));
  return [{ kind: 'text', text: `*Checks* (${checkCounts(report.checks)})` }, ...rows];
}

/** `checked 2026-03-01 10:04:05 UTC`, from the report's ISO time. */
export function checkedAt(report: DiagnosisReport): string {
  const at = new Date(report.checkedAt);
  if (Number.isNaN(at.getTime())) return `checked ${escapeMrkdwn(shorten(report.checkedAt, 40))}`;
  return `checked ${at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')}`;
}

/** Notice for rows that did not fit one message. */
export function moreChecksNotice(target: DiagnosisReport['target']): (rows: number) => string {
  return (rows) =>
    `… ${rows} more ${rows === 1 ? 'check' : 'checks'} not shown; ${code(
      `kvlab diagnose ${shorten(target.pod, 100)} -n ${shorten(target.namespace, 100)}`,
    )} in a terminal lists them all.`;
}

/**
 * Every check of a diagnosis with ✅/❌ and timings, as one message (the "Show all checks" button answers with it,
 * ephemerally).
 */
export function renderChecksTable(report: DiagnosisReport): SlackMessage {
  const target = shorten(`${report.target.namespace}/${report.target.pod}`, 200);
  const units = [
    ...sectionsOf([{ kind: 'text', text: `All checks for ${code(target)}` }, ...checkTablePieces(report)]),
    { block: context(checkedAt(report)) },
  ];
  const blocks = fitMessage(units, moreChecksNotice(report.target));
  return finishMessage(`Checks for ${escapeMrkdwn(target)}: ${checkCounts(report.checks)}`, blocks);
}
