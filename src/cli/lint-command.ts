/**
 * `kvlab lint <file|-> … [--json] [--profile provider|lab]`: lint SecretProviderClass, Pod and ServiceAccount
 * manifests (multi-document YAML) by the provider's rules, or with `--profile lab` also by the lab's conventions.
 * Exit 0 when no errors (warnings allowed), 1 when errors, 2 when a file cannot be read or the profile is unknown.
 */
import { readFile, stat } from 'node:fs/promises';
import type { LintFileResult } from '../../diagnostics/knowledge/lint/index.ts';
import { LINT_PROFILES, type LintProfile, lintText, MAX_LINT_BYTES } from '../../diagnostics/knowledge/lint/index.ts';
import { readArgOrStdin } from './read-input.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';

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
    files.push(lintText(await readManifest(path), path === '-' ? '<stdin>' : path, { profile }));
  }
  const findings = files.flatMap((f) => f.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ profile, files, errors, warnings }, null, 2)}\n`);
  } else {
    const out: string[] = [];
    for (const file of files) {
      for (const note of file.notes ?? []) out.push(`ℹ️  ${file.file}: ${note}`);
      for (const f of file.findings) {
        const where = `${file.file}${f.line ? `:${f.line}` : ''}`;
        out.push(`${f.severity === 'error' ? '❌' : '⚠️ '} ${where} ${f.rule} [${f.category}] ${f.path}`);
        out.push(`   ${f.message}`, `   fix: ${f.fix}`);
      }
    }
    out.push(`${errors} error(s), ${warnings} warning(s) in ${files.length} file(s)`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return errors > 0 ? EXIT.problems : EXIT.ok;
}

async function readManifest(path: string): Promise<string> {
  if (path === '-') return readArgOrStdin('-', MAX_LINT_BYTES);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path} is not a file.`);
    // Oversized files are read only up to the limit; the linter reports the size as a finding.
    if (info.size > MAX_LINT_BYTES) return (await readFile(path)).subarray(0, MAX_LINT_BYTES + 1).toString('utf8');
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}
