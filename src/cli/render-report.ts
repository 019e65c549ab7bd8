/**
 * Human output of a diagnosis for a terminal: the verdict (or the missing pod, or "nothing has failed yet" with what
 * to watch), each problem (cause, evidence, fix, verify) root
 * cause first, then ✅/❌ per check — with timings when writing to a TTY, and with `fix` each problem's patch.
 */
import { LAB_COMMON_PROBLEMS } from '../../diagnostics/categories.ts';
import { patchText } from '../../diagnostics/fixes/patch-text.ts';
import { isPodNotFound } from '../../diagnostics/run-diagnosis.ts';
import type { CheckStatus, DiagnosisReport } from '../../diagnostics/types.ts';

const ICON: Record<CheckStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️ ', skip: '➖', error: '❔' };
const VERDICT: Record<DiagnosisReport['verdict'], string> = {
  healthy: '✅ healthy: the secrets are mounted',
  broken: '❌ broken',
  inconclusive: '❔ inconclusive: some checks could not run',
};

/** The verdict's words: a missing pod names itself (and the closest name), a pod still starting says so. */
function headline(report: DiagnosisReport): string {
  if (report.note) return `⏳ ${report.note.title}`;
  const top = report.problems[0];
  if (top && isPodNotFound(report)) return `❌ ${top.title}`;
  return VERDICT[report.verdict];
}

export function renderReportText(report: DiagnosisReport, options: { timings: boolean; fix?: boolean }): string {
  const { namespace, pod } = report.target;
  const out: string[] = [`kvlab diagnose ${namespace}/${pod} — ${headline(report)}`, ''];
  if (report.note) {
    out.push(`  ${report.note.text}`);
    if (report.note.watch.length) out.push('  Watch:', ...report.note.watch.map((w) => `    $ ${w}`));
    out.push('');
  }
  report.problems.forEach((p, i) => {
    const row = p.commonProblem
      ? `, lab Common Problems row ${p.commonProblem}: "${LAB_COMMON_PROBLEMS[p.commonProblem]}"`
      : '';
    const lead = i === 0 && p.confidence !== 'low' ? 'Root cause' : p.confidence === 'low' ? 'Also noticed' : 'Also';
    out.push(`${lead}: ${p.title} [${p.category}${row}; confidence ${p.confidence}]`);
    out.push(`  Why: ${p.cause}`);
    if (p.evidence.length) out.push('  Evidence:', ...p.evidence.map((e) => `    • ${e}`));
    if (p.fix.length) out.push('  Fix:', ...p.fix.map((f, n) => `    ${n + 1}. ${f}`));
    if (p.verify.length) out.push('  Verify:', ...p.verify.map((v) => `    $ ${v}`));
    if (p.docs) out.push(`  Docs: ${p.docs}`);
    if (options.fix && p.patch) out.push(patchText(p.patch, '  '));
    out.push('');
  });
  out.push('Checks:');
  const width = Math.max(...report.checks.map((c) => c.title.length));
  for (const c of report.checks) {
    const time = options.timings ? `  ${String(c.durationMs).padStart(5)} ms` : '';
    out.push(`  ${ICON[c.status]} ${c.title.padEnd(width)}${time}  ${c.summary}`);
  }
  return `${out.join('\n')}\n`;
}
