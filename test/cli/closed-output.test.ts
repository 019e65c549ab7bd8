/**
 * The one-shot commands write their output straight to file descriptor 1 (src/cli/write-out.ts). A reader that
 * closes early (`kvlab lint … | head`) ends the command quietly, with the exit code it had, and no stack trace.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/kvlab.js');
const MANIFESTS = join(import.meta.dirname, '../fixtures/manifests');
const files = readdirSync(MANIFESTS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(MANIFESTS, f));

/** Runs kvlab, reads the first chunk of its output, then closes the pipe as `head -c` would. */
function firstChunk(args: string[]) {
  return new Promise<{ code: number | null; first: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stdout.once('data', (d) => {
      first = String(d);
      child.stdout.destroy();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, first, stderr }));
  });
}

describe('output to a reader that stops early', () => {
  it('ends lint quietly with its own exit code', async () => {
    expect(files.length).toBeGreaterThan(20);
    // Each file five times: a report of ~400 KB, several times a pipe's buffer, so the write meets the closed pipe.
    const r = await firstChunk(['lint', '--json', ...files, ...files, ...files, ...files, ...files]);
    expect(r.first.startsWith('{')).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the fixtures hold lint errors
  }, 30_000);

  it('writes the whole report when the reader reads it all', async () => {
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'lint', '--json', ...files], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', (c) => resolve({ stdout: out, code: c }));
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).files.length).toBe(files.length);
  }, 30_000);
});
