/**
 * The one line an instructor reads first, shared by the CLI and Slack:
 * `class-a · 24 students · 2 mounted ✅ · 20 blocked · 1 in progress · 1 not started · updated 15:40 UTC`.
 */
import type { ClassStatusReport } from '../../diagnostics/status/types.ts';

export function summaryLine(report: ClassStatusReport, options: { emoji: boolean }): string {
  const s = report.summary;
  const parts = [
    report.class,
    `${s.students} student${s.students === 1 ? '' : 's'}`,
    `${s.mounted} mounted${options.emoji ? ' ✅' : ''}`,
    `${s.blocked} blocked`,
    ...(s.inProgress ? [`${s.inProgress} in progress`] : []),
    `${s.notStarted} not started`,
    `updated ${report.generatedAt.slice(11, 16)} UTC`,
  ];
  return parts.join(' · ');
}
