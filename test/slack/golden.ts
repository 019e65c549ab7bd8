/**
 * Golden Block Kit files (STYLE.md "Tests": botkube-style). `expectGolden` compares a rendered value with
 * `test/golden/slack/<name>.json`; with `UPDATE_GOLDEN=1` it rewrites the file instead. A missing file fails, so a
 * new golden is always written on purpose and reviewed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const DIR = fileURLToPath(new URL('../golden/slack/', import.meta.url));

export function expectGolden(name: string, value: unknown): void {
  const file = join(DIR, `${name}.json`);
  const json = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, json);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`golden file ${file} is missing; create it with UPDATE_GOLDEN=1 npx vitest run test/slack`);
  }
  expect(JSON.parse(json), `${name}.json differs; if the change is intended, rerun with UPDATE_GOLDEN=1`).toEqual(
    JSON.parse(expected),
  );
}
