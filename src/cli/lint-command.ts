/**
 * `kvlab lint <file|-> … [--json] [--profile provider|lab]`: lint SecretProviderClass, Pod and ServiceAccount
 * manifests (multi-document YAML) by the provider's rules, or with `--profile lab` also by the lab's conventions.
 * Exit 0 when no errors (warnings allowed), 1 when errors, 2 when a file cannot be read or the profile is unknown.
 */
import { open, readFile, stat } from 'node:fs/promises';
import type { LintFileResult } from '../../diagnostics/knowledge/lint/index.ts';
import { LINT_PROFILES, type LintProfile, lintText, MAX_LINT_BYTES } from '../../diagnostics/knowledge/lint/index.ts';
import { capRepeats, linesText } from '../repeated-findings.ts';
import { type MeasuredInput, readStdinMeasured } from './read-input.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';
import { writeOut } from './write-out.ts';

export async function runLintCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { json: { type: 'boolean', default: false }, profile: { type: 'string', default: 'provider' } },
    true,
  );
  if (positionals.length === 0) throw new UsageError('name one or more YAML files, or `-` to read standard input.');
  const profile = values.profile as LintProfile;
  if (!LINT_PROFILES.includes(profile)) {
    throw new UsageError(`--profile is "${String(values.profile)}"; use ${LINT_PROFILES.join(' or ')}.`);
  }
  const files: LintFileResult[] = [];
  for (const path of positionals) {
    const input = await readManifest(path);
    const inputSize = input.bytes > MAX_LINT_BYTES ? { bytes: input.bytes, atLeast: input.atLeast } : undefined;
    files.push(lintText(input.text, path === '-' ? '<stdin>' : path, { profile, ...(inputSize ? { inputSize } : {}) }));
  }
  const findings = files.flatMap((f) => f.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (values.json) {
    writeOut(`${JSON.stringify({ profile, files, errors, warnings }, null, 2)}\n`);
  } else {
    const out: string[] = [];
    for (const file of files) {
      for (const note of file.notes ?? []) out.push(`ℹ️  ${file.file}: ${note}`);
      for (const item of capRepeats(file.findings)) {
        if (item.kind === 'more') {
          const at = linesText(item.lines);
          out.push(
            `   … and ${item.count} more like this (${item.like.rule}${at ? ` ${at}` : ''}; --json lists them all)`,
          );
          continue;
        }
        const f = item.finding;
        const where = `${file.file}${f.line ? `:${f.line}` : ''}`;
        out.push(`${f.severity === 'error' ? '❌' : '⚠️ '} ${where} ${f.rule} [${f.category}] ${f.path}`);
        out.push(`   ${f.message}`, `   fix: ${f.fix}`);
      }
    }
    out.push(`${errors} error(s), ${warnings} warning(s) in ${files.length} file(s)`);
    writeOut(`${out.join('\n')}\n`);
  }
  return errors > 0 ? EXIT.problems : EXIT.ok;
}

/** Standard input is counted up to this many bytes past the limit, so its size can be told. */
const COUNT_STDIN_UP_TO = 256 * 1024 * 1024;

/** The manifest's text (at most MAX_LINT_BYTES + 1 bytes of it) and its real size. */
async function readManifest(path: string): Promise<MeasuredInput> {
  if (path === '-') return readStdinMeasured(MAX_LINT_BYTES, COUNT_STDIN_UP_TO);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path} is not a file.`);
    // Oversized files are read only up to the limit; the linter reports the real size as a finding.
    if (info.size > MAX_LINT_BYTES)
      return { text: await readHead(path, MAX_LINT_BYTES + 1), bytes: info.size, atLeast: false };
    return { text: await readFile(path, 'utf8'), bytes: info.size, atLeast: false };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

async function readHead(path: string, bytes: number): Promise<string> {
  const file = await open(path);
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}
