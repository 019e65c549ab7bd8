/**
 * The CLI as a user runs it: `bin/kvlab.js` in a child process, configured only through the environment the
 * simulator's env file carries, against the simulated classroom. Checks output contracts and exit codes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';

const BIN = join(import.meta.dirname, '../../bin/kvlab.js');
const LAB = join(import.meta.dirname, '../fixtures/manifests/lab');

let classroom: Classroom;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  classroom = await startClassroom();
  dir = await mkdtemp(join(tmpdir(), 'kvlab-cli-'));
  await writeFile(join(dir, 'kubeconfig'), classroom.kubeconfigYaml);
  await writeFile(join(dir, 'ca.pem'), classroom.caPem);
  env = { KUBECONFIG: join(dir, 'kubeconfig'), KVLAB_CA_FILE: join(dir, 'ca.pem'), ...classroom.settings };
});
afterAll(async () => {
  await classroom?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function kvlab(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may stop reading an oversized paste early (EPIPE)
    child.stdin.end(options.stdin ?? '');
  });
}

describe('kvlab diagnose', () => {
  it('prints one JSON document and exits 1 for a broken pod', async () => {
    const r = await kvlab(['diagnose', 'pod-keyvault', '-n', 'student-13', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('broken');
    expect(report.problems[0].category).toBe('ACCESS_DENIED');
    expect(report.problems[0].fix.join('\n')).toContain('kv-kvlab-lab2');
    expect(report.checks.map((c: { id: string }) => c.id)).toContain('key-vault');
  });

  it('exits 0 with a human report for a healthy pod', async () => {
    const r = await kvlab(['diagnose', 'pod-keyvault', '-n', 'student-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('healthy');
    expect(r.stdout).toMatch(/✅ .*Key Vault access/);
  });

  it('answers a pod that does not exist as a problem (exit 1): the closest name, the pods there, checks skipped', async () => {
    const r = await kvlab(['diagnose', 'pod-keyvalut', '-n', 'student-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      'kvlab diagnose student-01/pod-keyvalut — ❌ Pod pod-keyvalut does not exist in namespace student-01 — did you mean pod-keyvault?',
    );
    expect(r.stdout).toContain('    1. Diagnose the pod that exists: kvlab diagnose pod-keyvault -n student-01');
    expect(r.stdout).toContain('    • pods in student-01: pod-keyvault');
    expect(lines.find((l) => l.includes('Pod events'))).toMatch(
      /^ {2}➖ Pod events +not checked because pod pod-keyvalut does not exist in namespace student-01$/,
    );
    const json = await kvlab(['diagnose', 'pod-keyvalut', '-n', 'student-01', '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.verdict).toBe('broken');
    expect(report.problems[0].category).toBe('OTHER');
    expect(
      report.checks.filter((c: { status: string }) => c.status === 'skip').map((c: { id: string }) => c.id),
    ).toEqual(['events', 'secret-provider-class', 'service-account', 'key-vault', 'synced-secret', 'mount-status']);
  });

  it('says so when the namespace does not exist (exit 1)', async () => {
    const r = await kvlab(['diagnose', 'pod-keyvault', '-n', 'student-99']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      'kvlab diagnose student-99/pod-keyvault — ❌ Namespace student-99 does not exist',
    );
  });

  it.each([
    [['diagnose', 'Pod_Keyvault', '-n', 'student-01'], /not a valid pod name/],
    [['diagnose', 'pod-keyvault', '-n', 'Student 01'], /not a valid namespace name/],
    [['diagnose'], /name exactly one pod/],
    [['diagnose', 'pod-keyvault', '--context', 'nope'], /no context "nope"/],
  ])('exits 2 with a clear message for bad input %j', async (args, message) => {
    const r = await kvlab(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 when the kubeconfig cannot be read', async () => {
    const r = await kvlab(['diagnose', 'pod-keyvault', '-n', 'student-01'], {
      env: { KUBECONFIG: join(dir, 'missing') },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kubeconfig|KUBECONFIG/);
  });

  it('exits 3 when the Kubernetes API cannot be reached', async () => {
    const broken = classroom.kubeconfigYaml.replace(
      /server: https:\/\/127\.0\.0\.1:\d+/,
      'server: https://127.0.0.1:1',
    );
    await writeFile(join(dir, 'unreachable'), broken);
    const r = await kvlab(['diagnose', 'pod-keyvault', '-n', 'student-01', '--json'], {
      env: { KUBECONFIG: join(dir, 'unreachable') },
    });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).verdict).toBe('inconclusive');
  });
});

describe('kvlab explain', () => {
  const message =
    'MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod student-09/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get keyvault client: failed to get authorizer for keyvault client: failed to acquire token: FromAssertion(): http call(https://login.microsoftonline.com/72f1a7c4-3b9e-4d2a-8f60-5c1e9b7d2a14/oauth2/v2.0/token)(POST) error: reply status code was 400: {"error":"invalid_request","error_description":"AADSTS70021: No matching federated identity record found for presented assertion."}';

  it('classifies a message given as an argument or on stdin', async () => {
    const a = await kvlab(['explain', message, '--json']);
    const b = await kvlab(['explain', '-', '--json'], { stdin: message });
    expect(a.code).toBe(1);
    expect(JSON.parse(a.stdout)).toMatchObject({
      category: 'AUTH_FAILED',
      commonProblem: 2,
      details: { aadsts: '70021' },
    });
    expect(JSON.parse(b.stdout).category).toBe('AUTH_FAILED');
  });

  it.each([
    ['empty', '   \n', /nothing to explain/],
    ['binary', '\u0000\u0001\u0002binary\u0003\u0004'.repeat(50), /looks binary/],
    ['1 MB', 'x'.repeat(1024 * 1024), /paste at most 64 KiB/],
  ])('refuses %s input with exit 2', async (_name, stdin, why) => {
    const r = await kvlab(['explain', '-'], { stdin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(why);
  });
});

describe('kvlab lint', () => {
  it("finds exactly the lab challenge's three errors under the lab profile", async () => {
    const r = await kvlab(['lint', join(LAB, 'broken-spc.yaml'), '--json', '--profile', 'lab']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    const errors = result.files[0].findings.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors.map((f: { rule: string }) => f.rule).sort()).toEqual([
      'spc/object-type',
      'spc/pod-identity',
      'spc/provider-name',
    ]);
  });

  it('judges the same manifest by the provider’s rules by default: placeholders fail the mount, pod identity only warns', async () => {
    const r = await kvlab(['lint', join(LAB, 'broken-spc.yaml'), '--json']);
    expect(r.code).toBe(1);
    const findings: Array<{ rule: string; severity: string }> = JSON.parse(r.stdout).files[0].findings;
    const errors = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.rule));
    expect(errors).toEqual(new Set(['spc/object-type', 'spc/placeholder', 'spc/provider-name']));
    expect(findings.find((f) => f.rule === 'spc/pod-identity')?.severity).toBe('warning');
  });

  it('exits 0 for the filled-in lab manifests and 2 for a missing file', async () => {
    expect((await kvlab(['lint', join(LAB, 'filled-spc-and-pod.yaml')])).code).toBe(0);
    const missing = await kvlab(['lint', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('refuses a large file or paste with its real size', async () => {
    const big = join(dir, 'dump.yaml');
    const text = `# ${'x'.repeat(5 * 1024 * 1024)}\n`;
    await writeFile(big, text);
    const file = await kvlab(['lint', big]);
    expect(file.code).toBe(1);
    expect(file.stdout).toContain(
      `${big} is ${Buffer.byteLength(text)} bytes (5.0 MiB); kvlab lint reads at most 1048576`,
    );
    const pasted = await kvlab(['lint', '-'], { stdin: text });
    expect(pasted.stdout).toContain(`<stdin> is ${Buffer.byteLength(text)} bytes (5.0 MiB)`);
  });

  it('shows a few of 500 identical findings and counts the rest', async () => {
    const objects = Array.from(
      { length: 500 },
      () => '        - |\n          objectName: <secret-name>\n          objectType: secret',
    ).join('\n');
    const spc = `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: azure-kv-secrets
spec:
  provider: azure
  parameters:
    clientID: "3f2a1c9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
    keyvaultName: "kv-class-a-lab"
    tenantId: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
    objects: |
      array:
${objects}
`;
    const path = join(dir, 'many.yaml');
    await writeFile(path, spc);
    const r = await kvlab(['lint', path]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => / spc\/placeholder /.test(l))).toHaveLength(3);
    expect(lines).toContain('   … and 497 more like this (spc/placeholder at lines 23–1511; --json lists them all)');
    expect(lines.length).toBeLessThan(30);
    const json = JSON.parse((await kvlab(['lint', path, '--json'])).stdout);
    expect(json.files[0].findings.filter((f: { rule: string }) => f.rule === 'spc/placeholder')).toHaveLength(500);
  });
});

describe('kvlab', () => {
  it('exits 2 for an unknown command and prints usage for help', async () => {
    expect((await kvlab(['frobnicate'])).code).toBe(2);
    const help = await kvlab(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('kvlab diagnose <pod>');
  });
});
