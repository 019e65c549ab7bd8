/**
 * `kvlab lint` over text: one file or a pasted snippet, multi-document YAML. Guards first (size cap, binary
 * content, empty input), then parses with the `yaml` package the way Kubernetes reads manifests (YAML 1.1, so
 * `yes`/`no`/`on`/`off` are booleans as in kubectl, duplicate keys rejected, alias expansion capped), and hands the
 * documents to the engine with a locator for line numbers. Never throws: bad input becomes a finding.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { renderLintFix } from '../knowledge-base.ts';
import { lintInputs } from './lint-objects.ts';
import type { LintInput } from './resources.ts';
import { LINT_RULES, type RuleId } from './rule-table.ts';
import type { LintFileResult, LintFinding, LintOptions } from './types.ts';
import { createLocator } from './yaml-locate.ts';

/** Inputs larger than this are refused unparsed (a lab manifest is a few kilobytes). */
export const MAX_LINT_BYTES = 1024 * 1024;
/** Alias expansions allowed per document (the `yaml` package's guard against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Syntax errors reported per document; later ones are usually consequences of the first. */
const MAX_SYNTAX_ERRORS = 3;

function fileFinding(
  rule: RuleId,
  message: string,
  /** The exact step for this input; undefined: the rule's fix from the table (kb-lint-entries.ts). */
  fix: string | undefined,
  where: { line?: number; document?: number } = {},
): LintFinding {
  const info = LINT_RULES[rule];
  const finding: LintFinding = {
    rule,
    severity: info.severity,
    category: info.category,
    path: '',
    message,
    fix: fix ?? renderLintFix(rule),
  };
  if (where.line !== undefined && where.line > 0) finding.line = where.line;
  if (where.document !== undefined) finding.document = where.document;
  return finding;
}

function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 8192);
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    // C0 controls other than tab, newline, carriage return, form feed and vertical tab; U+FFFD from invalid UTF-8.
    if ((code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0xfffd) odd++;
  }
  return odd > Math.max(8, sample.length / 20);
}

/** Deeper than any manifest: flow brackets or "- - -" sequences nested this far make the parser slow or overflow. */
const MAX_NESTING = 64;

/** Cheap pre-scan for pathological nesting, so such input is refused in O(n) instead of parsed for seconds. */
function nestedTooDeeply(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > MAX_NESTING) return true;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  // Each repetition starts with "-", so the pattern cannot backtrack exponentially.
  return new RegExp(`^[ \\t]*(?:-[ \\t]+){${MAX_NESTING}}`, 'm').test(text);
}

function parseDocuments(text: string, file: string): { inputs: LintInput[]; findings: LintFinding[] } {
  const inputs: LintInput[] = [];
  const findings: LintFinding[] = [];
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: counter,
    version: '1.1',
    prettyErrors: true,
    uniqueKeys: true,
    logLevel: 'silent',
  });
  docs.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.some((error) => /call stack|stack overflow/i.test(error.message))) {
      findings.push(
        fileFinding(
          'file/yaml-syntax',
          `Document ${document} of ${file} is nested too deeply to parse; it was not linted.`,
          'Check that the file is a Kubernetes manifest in YAML.',
          { document },
        ),
      );
      return;
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors.slice(0, MAX_SYNTAX_ERRORS)) {
        const line = error.linePos?.[0]?.line;
        findings.push(
          fileFinding(
            'file/yaml-syntax',
            `Document ${document} of ${file} is not valid YAML: ${(error.message.split('\n')[0] ?? '').replace(/:$/, '')}.`,
            undefined,
            { line, document },
          ),
        );
      }
      return;
    }
    try {
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      // An empty document ("---" with nothing after it) is not an object to lint.
      if (value !== null && value !== undefined) inputs.push({ value, document, locate: createLocator(doc, counter) });
    } catch (err) {
      if (err instanceof RangeError) throw err; // stack exhaustion: reported by lintText
      const excessive = /excessive alias/i.test((err as Error).message);
      findings.push(
        fileFinding(
          'file/alias-limit',
          excessive
            ? `Document ${document} of ${file} expands more than ${MAX_ALIAS_COUNT} YAML aliases (a "billion laughs" pattern); it was not linted.`
            : `Document ${document} of ${file} could not be resolved: ${(err as Error).message}`,
          'Write the values out instead of using YAML anchors (&name) and aliases (*name).',
          { line: counter.linePos(doc.range[0]).line, document },
        ),
      );
    }
  });
  return { inputs, findings };
}

function lintUnguarded(text: string, file: string, options: LintOptions): { findings: LintFinding[]; notes: string[] } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_LINT_BYTES) {
    const real = options.inputSize && options.inputSize.bytes >= bytes ? options.inputSize : { bytes };
    const size = `${real.atLeast ? 'more than ' : ''}${real.bytes} bytes (${(real.bytes / 1024 / 1024).toFixed(1)} MiB)`;
    return only([
      fileFinding(
        'file/too-large',
        `${file} is ${size}; kvlab lint reads at most ${MAX_LINT_BYTES} bytes (1 MiB). It was not linted.`,
        undefined,
      ),
    ]);
  }
  if (looksBinary(text)) {
    return only([
      fileFinding(
        'file/binary',
        `${file} contains binary data (NUL or control bytes), not YAML text. It was not linted.`,
        undefined,
      ),
    ]);
  }
  if (nestedTooDeeply(text)) {
    return only([
      fileFinding(
        'file/yaml-syntax',
        `${file} nests lists or maps more than ${MAX_NESTING} levels deep; no Kubernetes manifest does. It was not linted.`,
        'Check that the file is a Kubernetes manifest in YAML.',
      ),
    ]);
  }
  const { inputs, findings } = parseDocuments(text, file);
  if (inputs.length === 0 && findings.length === 0) {
    return only([
      fileFinding('file/empty', `${file} contains no YAML documents (only whitespace or comments).`, undefined),
    ]);
  }
  const linted = lintInputs(inputs, file, options);
  return {
    findings: [...findings, ...linted.findings].sort((a, b) => (a.document ?? 0) - (b.document ?? 0)),
    notes: linted.notes,
  };
}

function only(findings: LintFinding[]): { findings: LintFinding[]; notes: string[] } {
  return { findings, notes: [] };
}

/**
 * Lints one text (file contents or a pasted snippet) holding SecretProviderClass, Pod, workload and ServiceAccount
 * manifests (other kinds are ignored). `file` names it in messages and in the result. Never throws.
 */
export function lintText(text: string, file: string, options: LintOptions = {}): LintFileResult {
  try {
    const { findings, notes } = lintUnguarded(text, file, options);
    return notes.length > 0 ? { file, findings, notes } : { file, findings };
  } catch (err) {
    // The yaml parser recurses per nesting level; pathological nesting can exhaust the stack.
    const reason = err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message;
    return {
      file,
      findings: [
        fileFinding(
          'file/yaml-syntax',
          `${file} could not be parsed as YAML: ${reason}.`,
          'Check that the file is a Kubernetes manifest in YAML.',
        ),
      ],
    };
  }
}
