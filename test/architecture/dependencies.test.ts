/**
 * The dependency rules of docs/architecture.md "Layout and dependency rules", checked by dependency-cruiser over the
 * real import graph (.dependency-cruiser.json): src/ does not import handlers/ (only the composition root registers
 * them); handlers depend on ports, not on the BullMQ/Redis adapters; diagnostics/ imports nothing from src/, sim/ or
 * handlers/; the simulators import no product code; the product imports sim/ only from `kvlab sim` and
 * `kvlab slack-send`; no import cycles at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type IViolation } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const config = JSON.parse(readFileSync(join(root, '.dependency-cruiser.json'), 'utf8'));

describe('architecture', () => {
  it('keeps every dependency rule', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await cruise(['src', 'handlers', 'diagnostics', 'sim', 'bin'], {
        validate: true,
        ruleSet: { forbidden: config.forbidden },
        ...config.options,
      });
      const output = result.output as { modules: unknown[]; summary: { violations: IViolation[] } };
      expect(output.modules.length).toBeGreaterThan(200);
      const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      expect(violations).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  }, 25_000);

  it('keeps sim/ a package of its own that declares every package it imports', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'sim/package.json'), 'utf8'));
    const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@kvlab/sim');
    expect(rootManifest.workspaces).toContain('sim');
    const declared = Object.keys(manifest.dependencies ?? {});
    const imported = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) {
          for (const m of readFileSync(path, 'utf8').matchAll(/from '((?:@[^/']+\/)?[^./'][^/']*)/g)) {
            if (!(m[1] as string).startsWith('node:')) imported.add(m[1] as string);
          }
        }
      }
    };
    walk(join(root, 'sim'));
    expect([...imported].filter((name) => !declared.includes(name))).toEqual([]);
  });

  it('names the rules it checks', () => {
    expect(config.forbidden.map((r: { name: string }) => r.name)).toEqual([
      'src-not-handlers',
      'composition-root-registers-only',
      'handlers-on-ports',
      'diagnostics-pure',
      'sim-not-product',
      'product-sim-only-dev-commands',
      'no-circular',
    ]);
  });
});
