/**
 * `kvlab sim` as a person uses it: start it, wait for `kvlab sim ready`, explore with kubectl through the
 * kubeconfig it wrote, run kvlab with its env file, stop it with SIGTERM.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/kvlab.js');
const hasKubectl = await run('kubectl', ['version', '--client'])
  .then(() => true)
  .catch(() => false);

let dir: string;
let sim: ChildProcess;
let output = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kvlab-sim-'));
  sim = spawn(process.execPath, [BIN, 'sim', '--state-dir', dir], { env: { ...process.env, HOME: dir } });
  sim.stderr?.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kvlab sim did not get ready:\n${output}`)), 30_000);
    sim.stdout?.on('data', (d) => {
      output += d;
      if (output.includes('kvlab sim ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    sim.on('exit', (code) => reject(new Error(`kvlab sim exited ${code}:\n${output}`)));
  });
}, 40_000);

afterAll(async () => {
  if (sim && sim.exitCode === null) sim.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

function envFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('kvlab sim', () => {
  it('prints its endpoints before the ready line', () => {
    const before = output.slice(0, output.indexOf('kvlab sim ready'));
    expect(before).toMatch(/kubernetes\s+https:\/\/127\.0\.0\.1:\d+/);
    expect(before).toMatch(/entra id\s+https:\/\/127\.0\.0\.1:\d+/);
    expect(before).toMatch(/key vault\s+https:\/\/127\.0\.0\.1:\d+/);
  });

  it('writes an env file that runs kvlab against the classroom', async () => {
    const env = envFile(await readFile(join(dir, 'env'), 'utf8'));
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['KUBECONFIG', 'KVLAB_CA_FILE', 'KVLAB_KEYVAULT_ENDPOINT', 'KVLAB_ENTRA_ENDPOINT']),
    );
    const result = await run(process.execPath, [BIN, 'diagnose', 'pod-keyvault', '-n', 'student-17', '--json'], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    }).then(
      (ok) => ({ code: 0, stdout: ok.stdout }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).problems[0].category).toBe('SECRET_NOT_FOUND');
  });

  it.runIf(hasKubectl)('serves kubectl through the kubeconfig it wrote', async () => {
    const kubectl = (...args: string[]) =>
      run('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'kcache'), ...args], {
        env: { ...process.env, HOME: dir },
      });
    const pods = await kubectl('--context', 'admin', 'get', 'pods', '-n', 'student-03');
    expect(pods.stdout).toMatch(/pod-keyvault\s+0\/1\s+ContainerCreating/);
    // The bot's identity may list Secret names in lab namespaces, but never get one.
    const denied = await kubectl('get', 'secret', 'db-secrets-k8s', '-n', 'student-02').catch((e) => e);
    expect(denied.stderr).toContain('Error from server (Forbidden)');
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => sim.on('exit', resolve));
    sim.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
