/**
 * What a new `kvlab diagnose` process does before its answer, as bench/README.md explains it: the bundled CLI
 * (bin/kvlab.js) replays the mount against the simulated classroom without loading undici (Node's lazily loaded
 * fetch/FormData, ~40 ms of CPU; scripts/build-cli.ts keeps the Azure pipeline's FormData check from loading it).
 * Asserted through Node's own list of loaded built-ins, printed at exit by a preloaded module.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';

const BIN = join(import.meta.dirname, '../../bin/kvlab.js');
const REPORT_BUILTINS = `data:text/javascript,process.on('exit', () => process.stderr.write('builtins: ' + process.moduleLoadList.join(',') + '\\n'))`;

let classroom: Classroom;
let dir: string;
beforeAll(async () => {
  classroom = await startClassroom();
  dir = await mkdtemp(join(tmpdir(), 'kvlab-startup-'));
  await writeFile(join(dir, 'kubeconfig'), classroom.kubeconfigYaml);
  await writeFile(join(dir, 'ca.pem'), classroom.caPem);
}, 60_000);
afterAll(async () => {
  await classroom?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function diagnose(namespace: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', REPORT_BUILTINS, BIN, 'diagnose', 'pod-keyvault', '-n', namespace, '--json'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          KUBECONFIG: join(dir, 'kubeconfig'),
          KVLAB_CA_FILE: join(dir, 'ca.pem'),
          ...classroom.settings,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('a new kvlab diagnose process', () => {
  it('replays the Key Vault reads without loading undici', async () => {
    const r = await diagnose('student-13');
    const report = JSON.parse(r.stdout);
    // The replay ran: Key Vault's 403 is the answer.
    expect(report.problems[0].category).toBe('ACCESS_DENIED');
    const builtins = r.stderr.match(/^builtins: (.*)$/m)?.[1]?.split(',') ?? [];
    expect(builtins).toContain('NativeModule https');
    expect(builtins.filter((m) => m.includes('undici'))).toEqual([]);
  }, 60_000);
});
