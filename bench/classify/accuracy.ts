/**
 * `kvlab explain` accuracy on real users' messages: top-1 category per expected category and a confusion table,
 * as Markdown for bench/README.md. Reads test/fixtures/messages/real-world (each file names its source and why it
 * gets its label) and runs the same `explainMessage` the CLI and Slack use.
 *
 *   npx node bench/classify/accuracy.ts [--set <name>] [--misses]
 *
 * `--set holdout-2` reports only the files whose header says `# set: holdout-2` (files without one are `main`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainMessage } from '../../diagnostics/explain.ts';

const DIR = join(import.meta.dirname, '../../test/fixtures/messages/real-world');

interface Row {
  name: string;
  /** `main` (the tuning set), or the held-out set the file was collected in (`# set:`), measured before any change for it. */
  set: string;
  expected: string;
  actual: string;
}

function load(): Row[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => {
      const raw = readFileSync(join(DIR, file), 'utf8');
      const split = raw.indexOf('\n---\n');
      const head = raw.slice(0, split);
      const expected = /^# category: (.*)$/m.exec(head)?.[1] ?? '?';
      const set = /^# set: (.*)$/m.exec(head)?.[1] ?? 'main';
      const text = raw.slice(split + 5).replace(/\n$/, '');
      return { name: file.replace(/\.txt$/, ''), set, expected, actual: explainMessage(text).category };
    });
}

function table(rows: Row[]): string {
  const categories = [...new Set(rows.map((r) => r.expected))].sort();
  const predicted = [...new Set([...categories, ...rows.map((r) => r.actual)])].sort();
  const ok = rows.filter((r) => r.expected === r.actual).length;
  const lines = [
    `Top-1: **${ok}/${rows.length} (${((100 * ok) / rows.length).toFixed(1)}%)**`,
    '',
    '| expected category | messages | top-1 correct | accuracy |',
    '| --- | --- | --- | --- |',
  ];
  for (const c of categories) {
    const of = rows.filter((r) => r.expected === c);
    const right = of.filter((r) => r.actual === c).length;
    lines.push(`| ${c} | ${of.length} | ${right} | ${((100 * right) / of.length).toFixed(0)}% |`);
  }
  lines.push('', 'Confusion (rows: expected, columns: answered; only non-empty columns):', '');
  const used = predicted.filter((p) => rows.some((r) => r.actual === p));
  const short = (c: string) => c.replace(/_/g, ' ').toLowerCase();
  lines.push(`| expected \\ answered | ${used.map(short).join(' | ')} |`);
  lines.push(`| --- |${used.map(() => ' --- |').join('')}`);
  for (const c of categories) {
    const cells = used.map((p) => {
      const n = rows.filter((r) => r.expected === c && r.actual === p).length;
      return n === 0 ? '·' : p === c ? `**${n}**` : String(n);
    });
    lines.push(`| ${c} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

const only = option('--set');
const rows = load().filter((r) => only === undefined || r.set === only);
if (rows.length === 0) throw new Error(`no messages in set ${only}`);
process.stdout.write(`${table(rows)}\n`);
for (const set of [...new Set(rows.map((r) => r.set))].sort()) {
  const of = rows.filter((r) => r.set === set);
  const ok = of.filter((r) => r.expected === r.actual).length;
  process.stdout.write(`\nset ${set}: ${ok}/${of.length}\n`);
}
if (process.argv.includes('--misses')) {
  for (const r of rows.filter((x) => x.expected !== x.actual)) {
    process.stdout.write(`miss: ${r.name}: expected ${r.expected}, answered ${r.actual}\n`);
  }
}
