/**
 * docs/configuration.md lists exactly the settings the validators accept (src/engine-settings.ts, src/config.ts,
 * src/watcher/settings.ts), so the operator's table cannot drift from the code. The README points at that table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Keys of the settings objects in a module: `  NAME: z…` / `  NAME: seconds(…)` / `  NAME: { kind … }` at the start of a line. */
function settingsIn(path: string): string[] {
  return [...read(path).matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s/gm)].map((m) => m[1] as string);
}

describe('docs/configuration.md', () => {
  const documented = [...read('docs/configuration.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]);
  const accepted = new Set([
    ...settingsIn('src/engine-settings.ts'),
    ...settingsIn('src/config.ts'),
    ...settingsIn('src/watcher/settings.ts'),
  ]);

  it('lists every setting the validators accept', () => {
    expect([...accepted].filter((s) => !documented.includes(s))).toEqual([]);
  });

  it('lists no setting the validators do not accept, and each once', () => {
    expect(documented.filter((s) => !accepted.has(s as string))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });
});
