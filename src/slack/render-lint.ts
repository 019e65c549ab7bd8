/**
 * `/kvlab lint`: the linter's findings for pasted SecretProviderClass / Pod YAML, as one message: a summary line,
 * then per file each finding with its severity, rule, line and path, message and fix. Findings that do not fit one
 * message are counted in a closing notice, never dropped silently; findings of one kind past the first few are
 * counted in one line ("… and 497 more like this"). File names, paths and messages quote the
 * user's YAML, so all of it is escaped.
 */
import type { LintFinding } from '../../diagnostics/knowledge/lint/types.ts';
import { capRepeats, linesText } from '../repeated-findings.ts';
import { cut, finishMessage, fitMessage, type Piece, sectionsOf, shorten, type Unit } from './budget.ts';
import type { SlackMessage } from './messages.ts';
import { bold, code, escapeMrkdwn } from './mrkdwn.ts';

/** The linter's result as the `lint` JSON contract has it (docs/contracts.md "Command line"). */
export interface LintResult {
  files: Array<{ file: string; findings: LintFinding[] }>;
  errors: number;
  warnings: number;
}

const TEXT_MAX = 1000;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `❌ 2 errors, 1 warning in 1 file` / `✅ No problems found in 2 files`. */
function summary(result: LintResult): string {
  const files = plural(result.files.length, 'file');
  if (result.errors === 0 && result.warnings === 0) return `✅ No problems found in ${files}.`;
  const icon = result.errors > 0 ? '❌' : '⚠️';
  return `${icon} ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} in ${files}.`;
}

/** Where a finding is: `line 12 (document 2) · spec.parameters.objects · SecretProviderClass azure-kv`. */
function where(f: LintFinding): string {
  const at = [
    f.line !== undefined ? `line ${f.line}${f.document !== undefined ? ` (document ${f.document})` : ''}` : undefined,
    f.path ? code(shorten(f.path, 300)) : undefined,
    f.object ? escapeMrkdwn(shorten(`${f.object.kind} ${f.object.name ?? ''}`.trim(), 200)) : undefined,
  ];
  return at.filter(Boolean).join(' · ');
}

function findingText(f: LintFinding): string {
  const icon = f.severity === 'error' ? '❌' : '⚠️';
  const head = [`${icon} ${code(shorten(f.rule, 100))}`, where(f)].filter(Boolean).join(' · ');
  const message = escapeMrkdwn(cut(f.message.trim(), TEXT_MAX));
  const fix = f.fix.trim() ? `\n_Fix:_ ${escapeMrkdwn(cut(f.fix.trim(), TEXT_MAX))}` : '';
  return `${head}\n${message}${fix}`;
}

/** `_… and 497 more like this (spc/placeholder at lines 24–1512)_`: the findings of a kind past the first few. */
function moreText(count: number, like: LintFinding, lines: number[]): string {
  const at = linesText(lines);
  return `_… and ${count} more like this (${code(shorten(like.rule, 100))}${at ? ` ${at}` : ''})_`;
}

/**
 * The lint answer. Each file gets a heading with its counts; each finding is one item (weight 1) so that a cut
 * notice can say exactly how many findings it left out.
 */
export function renderLint(result: LintResult): SlackMessage {
  const units: Unit[] = [...sectionsOf([{ kind: 'text', text: summary(result) }])];
  for (const file of result.files) {
    const errors = file.findings.filter((f) => f.severity === 'error').length;
    const counts = file.findings.length
      ? `${plural(errors, 'error')}, ${plural(file.findings.length - errors, 'warning')}`
      : 'no problems';
    const pieces: Piece[] = [
      { kind: 'text', text: `📄 ${bold(shorten(file.file, 200))} — ${counts}` },
      ...capRepeats(file.findings).map((item) =>
        item.kind === 'finding'
          ? { kind: 'text' as const, text: `${findingText(item.finding)}\n`, weight: 1 }
          : { kind: 'text' as const, text: `${moreText(item.count, item.like, item.lines)}\n`, weight: item.count },
      ),
    ];
    units.push(...sectionsOf(pieces));
  }
  const blocks = fitMessage(
    units,
    (findings) =>
      `… ${plural(findings, 'more finding')} did not fit in Slack; ${code('kvlab lint <file>')} in a terminal lists them all.`,
  );
  return finishMessage(summary(result), blocks);
}
