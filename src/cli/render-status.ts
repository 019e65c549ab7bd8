/**
 * Human output of a class status for a terminal: the summary line, the class-wide problems and the blocker
 * histogram by who can fix them, then a kubectl-style table (STUDENT NAMESPACE PROGRESS BLOCKER STUCK-FOR
 * LAST-ACTIVITY).
 */
import { age } from '../../diagnostics/age.ts';
import type { ClassStatusReport, StudentStatus } from '../../diagnostics/status/types.ts';
import { summaryLine } from '../status/summary-line.ts';

export function renderStatusText(report: ClassStatusReport, now: Date): string {
  const out: string[] = [summaryLine(report, { emoji: true }), ''];
  for (const gap of report.gaps) out.push(`❔ could not check: ${gap}`);
  if (report.gaps.length) out.push('');
  if (report.classProblems.length) {
    out.push('Class-wide problems (once for everyone):');
    for (const p of report.classProblems) {
      out.push(`  ❌ ${p.title} [${p.category}${row(p.commonProblem)}] — ${p.namespaces.length} student(s)`);
      out.push(`     ${p.cause}`);
      for (const [n, f] of p.fix.entries()) out.push(`     ${n + 1}. ${f}`);
    }
    out.push('');
  }
  for (const side of ['instructor', 'student'] as const) {
    const counts = report.blockers[side];
    if (!counts.length) continue;
    out.push(side === 'instructor' ? 'Needs the instructor:' : 'The student can fix:');
    for (const c of counts) {
      const lab = c.labProblem ? ` — lab row ${c.commonProblem}: "${c.labProblem}"` : '';
      out.push(`  ${String(c.students).padStart(3)} × ${c.category}${lab}`);
    }
    out.push('');
  }
  const header = ['STUDENT', 'NAMESPACE', 'PROGRESS', 'BLOCKER', 'STUCK-FOR', 'LAST-ACTIVITY'];
  const rows = report.students.map((s) => [
    s.name ?? s.user ?? '-',
    s.namespace,
    s.progress,
    blockerCell(s),
    s.blocker?.since ? age(now.getTime() - Date.parse(s.blocker.since)) : '-',
    s.lastActivity ? `${age(now.getTime() - Date.parse(s.lastActivity))} ago` : '-',
  ]);
  out.push(...table([header, ...rows]));
  return `${out.join('\n')}\n`;
}

function row(commonProblem: number | null): string {
  return commonProblem ? `, lab row ${commonProblem}` : '';
}

function blockerCell(s: StudentStatus): string {
  if (!s.blocker) return s.state === 'mounted' ? '✅ none' : (s.note ?? '-');
  const where = s.blocker.classWide ? ' (class-wide, see above)' : '';
  return `${s.blocker.category}: ${s.blocker.title}${where}`;
}

/** Left-aligned columns, two spaces apart, the last one unpadded (as kubectl prints). */
function table(lines: string[][]): string[] {
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => [...(l[i] ?? '')].length)));
  return lines.map((l) =>
    l
      .map((cell, i) => (i === l.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length)))
      .join('  ')
      .trimEnd(),
  );
}
