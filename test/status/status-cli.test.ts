/**
 * `kvlab status` as a user runs it: bin/kvlab.js in a child process against the simulated classroom, configured
 * only through the environment. The table, the JSON contract and the exit codes (1 someone blocked, 2 unknown
 * class or no roster, 3 cluster unreadable).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';

const BIN = join(import.meta.dirname, '../../bin/kvlab.js');
let classroom: Classroom;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  classroom = await startClassroom();
  dir = await mkdtemp(join(tmpdir(), 'kvlab-status-cli-'));
  await writeFile(join(dir, 'kubeconfig'), classroom.kubeconfigYaml);
  await writeFile(join(dir, 'ca.pem'), classroom.caPem);
  env = {
    KUBECONFIG: join(dir, 'kubeconfig'),
    KVLAB_CA_FILE: join(dir, 'ca.pem'),
    KVLAB_CONFIG: classroom.slack.rosterPath,
    ...classroom.settings,
  };
});
afterAll(async () => {
  await classroom?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function kvlab(args: string[], extra: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env, ...extra },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('kvlab status', () => {
  it('prints the summary, the histogram and a kubectl-style table; exit 1 while someone is blocked', async () => {
    const r = await kvlab(['status', 'class-a']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^class-a · 24 students · 2 mounted ✅ · 20 blocked · 1 in progress · 1 not started · updated \d\d:\d\d UTC$/,
    );
    expect(r.stdout).toContain('Needs the instructor:');
    expect(r.stdout).toContain('The student can fix:');
    const header = lines.find((l) => l.startsWith('STUDENT'));
    expect(header?.split(/\s{2,}/)).toEqual([
      'STUDENT',
      'NAMESPACE',
      'PROGRESS',
      'BLOCKER',
      'STUCK-FOR',
      'LAST-ACTIVITY',
    ]);
    expect(lines.filter((l) => /\bstudent-\d\d\b/.test(l) && !l.startsWith(' '))).toHaveLength(24);
  });

  it('prints one JSON document in the contract shape', async () => {
    const r = await kvlab(['status', 'class-a', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual([
      'class',
      'generatedAt',
      'summary',
      'classProblems',
      'blockers',
      'students',
      'gaps',
    ]);
    expect(doc.summary).toEqual({ students: 24, mounted: 2, blocked: 20, inProgress: 1, notStarted: 1 });
    const row = doc.students.find((s: { namespace: string }) => s.namespace === 'student-17');
    expect(row).toMatchObject({ progress: 'pod-created', blocker: { category: 'SECRET_NOT_FOUND', commonProblem: 4 } });
    expect(typeof row.user).toBe('string');
    expect(r.stderr).toBe('');
  });

  it('exits 2 for an unknown class, naming the known ones, and without a roster', async () => {
    const unknown = await kvlab(['status', 'class-b']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no class "class-b" in the roster — did you mean "class-a"?');
    const noRoster = await kvlab(['status', 'class-a'], { KVLAB_CONFIG: '' });
    expect(noRoster.code).toBe(2);
    expect(noRoster.stderr).toContain('KVLAB_CONFIG is not set');
  });

  it('exits 3 when the cluster cannot be read', async () => {
    // The same kubeconfig, pointed at a port where nothing listens.
    const closed = classroom.kubeconfigYaml.replace(
      /server: https:\/\/127\.0\.0\.1:\d+/,
      'server: https://127.0.0.1:1',
    );
    await writeFile(join(dir, 'closed-kubeconfig'), closed);
    const r = await kvlab(['status', 'class-a'], {
      KUBECONFIG: join(dir, 'closed-kubeconfig'),
      KVLAB_READ_TIMEOUT_MS: '500',
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('could not check: could not read the pods in all namespaces');
    expect(r.stderr).toContain('the cluster could not be read');
  });
});
