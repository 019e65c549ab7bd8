/**
 * `kvlab explain <message|-> [--json]`: classify one error message. Exit 1 when it names a problem kvlab
 * knows, 3 when nothing in it is recognisable, 2 for empty, binary or oversized input.
 */
import { explainMessage, MAX_EXPLAIN_BYTES } from '../../diagnostics/explain.ts';
import { readArgOrStdin } from './read-input.ts';
import { EXIT, parseCommandArgs, UsageError } from './usage.ts';
import { writeOut } from './write-out.ts';

export async function runExplainCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean', default: false } }, true);
  if (positionals.length === 0) {
    throw new UsageError('give the error message as one argument (quote it), or `-` to read it from standard input.');
  }
  // Several words without quotes are one message, as a person would mean it.
  const raw = positionals.length === 1 ? (positionals[0] as string) : positionals.join(' ');
  const text = await readArgOrStdin(raw, MAX_EXPLAIN_BYTES);
  const result = explainMessage(text);
  if (values.json) {
    writeOut(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const row = result.commonProblem ? `, lab Common Problems row ${result.commonProblem}` : '';
    const details = Object.entries(result.details)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `    ${k}: ${v}`);
    const out = [
      `${result.title} [${result.category}${row}; confidence ${result.confidence}]`,
      `  Why: ${result.cause}`,
      ...(details.length ? ['  Found in the message:', ...details] : []),
      '  Fix:',
      ...result.fix.map((f, i) => `    ${i + 1}. ${f}`),
      ...(result.verify.length ? ['  Verify:', ...result.verify.map((v) => `    $ ${v}`)] : []),
      ...(result.lookup.length ? ['  Values the message did not name:', ...result.lookup.map((v) => `    ${v}`)] : []),
      `  Docs: ${result.docs}`,
    ];
    writeOut(`${out.join('\n')}\n`);
  }
  return result.category === 'OTHER' && result.confidence === 'low' ? EXIT.inconclusive : EXIT.problems;
}
