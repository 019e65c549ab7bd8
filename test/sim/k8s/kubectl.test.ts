import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { ADMIN_TOKEN, LAB_NS, STUDENT_TOKEN } from './fixtures.ts';
import { startTestServer } from './harness.ts';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl) console.warn('kubectl is not on PATH: skipping the kubectl tests against the API simulator');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Collapses runs of spaces so assertions do not depend on kubectl's column widths. */
const squash = (s: string) => s.replace(/[ \t]+/g, ' ');

describe.runIf(hasKubectl)('kubectl against the simulator', () => {
  let server: KubeApiServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'kvlab-kubectl-'));
    await writeFile(join(dir, 'admin.yaml'), server.kubeconfig({ token: ADMIN_TOKEN, namespace: LAB_NS }));
    await writeFile(join(dir, 'student.yaml'), server.kubeconfig({ token: STUDENT_TOKEN, namespace: LAB_NS }));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const kubectl = (args: string[], who: 'admin' | 'student' = 'admin'): Promise<Run> =>
    new Promise((resolve) => {
      const config = join(dir, `${who}.yaml`);
      execFile(
        'kubectl',
        ['--kubeconfig', config, '--cache-dir', join(dir, `cache-${who}`), ...args],
        { env: { ...process.env, HOME: dir, KUBECONFIG: config }, timeout: 20_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('get pods -o wide prints the server-side pod columns', async () => {
    const run = await kubectl(['get', 'pods', '-o', 'wide']);
    expect(run.code, run.stderr).toBe(0);
    const lines = squash(run.stdout).trim().split('\n');
    expect(lines[0]).toBe('NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES');
    expect(lines[1]).toBe(
      'pod-keyvault 0/1 ContainerCreating 0 5m <none> aks-nodepool1-12345678-vmss000000 <none> <none>',
    );
    expect(lines[2]).toBe('web 1/1 Running 0 60m 10.244.0.12 aks-nodepool1-12345678-vmss000000 <none> <none>');
  });

  it('describe pod shows the FailedMount events found by pod uid', async () => {
    const run = await kubectl(['describe', 'pod', 'pod-keyvault']);
    expect(run.code, run.stderr).toBe(0);
    const out = squash(run.stdout);
    expect(out).toContain('Status: Pending');
    expect(out).toContain('Driver: secrets-store.csi.k8s.io');
    expect(out).toMatch(
      /Warning FailedMount \S+ \(x4 over \S+\) kubelet MountVolume\.SetUp failed for volume "secrets-store-inline"/,
    );
    expect(out).toContain('Normal Scheduled');
  });

  it('get and describe secretproviderclass work through CRD discovery', async () => {
    const get = await kubectl(['get', 'secretproviderclass']);
    expect(squash(get.stdout).trim().split('\n')).toEqual(['NAME AGE', 'azure-kv 10m']);
    const describe = await kubectl(['describe', 'secretproviderclass', 'azure-kv']);
    expect(describe.code, describe.stderr).toBe(0);
    const out = squash(describe.stdout);
    expect(out).toContain('Kind: SecretProviderClass');
    expect(out).toContain('API Version: secrets-store.csi.x-k8s.io/v1');
    expect(out).toContain('Provider: azure');
    expect(out).toContain('Keyvault Name: kv-student01');
  });

  it('get events --field-selector reason=FailedMount lists only the mount failures', async () => {
    const run = await kubectl(['get', 'events', '--field-selector', 'reason=FailedMount']);
    expect(run.code, run.stderr).toBe(0);
    const lines = squash(run.stdout).trim().split('\n');
    expect(lines[0]).toBe('LAST SEEN TYPE REASON OBJECT MESSAGE');
    expect(lines.slice(1)).toHaveLength(2);
    expect(
      lines.slice(1).every((l) => l.includes('Warning FailedMount pod/pod-keyvault MountVolume.SetUp failed')),
    ).toBe(true);
  });

  it('api-resources lists the SecretProviderClass resource', async () => {
    const run = await kubectl(['api-resources']);
    expect(run.code, run.stderr).toBe(0);
    expect(squash(run.stdout)).toContain(
      'secretproviderclasses secrets-store.csi.x-k8s.io/v1 true SecretProviderClass',
    );
    expect(squash(run.stdout)).toMatch(/\npods po v1 true Pod\n/);
  });

  it('prints the Forbidden error for a user without access to pods', async () => {
    const run = await kubectl(['get', 'pods'], 'student');
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      `Error from server (Forbidden): pods is forbidden: User "student01@school.example" cannot list resource "pods" in API group "" in the namespace "${LAB_NS}"`,
    );
  });

  it('auth can-i and create token go through the protobuf bodies kubectl sends', async () => {
    expect(
      (
        await kubectl(['auth', 'can-i', 'list', 'secretproviderclasses.secrets-store.csi.x-k8s.io'], 'student')
      ).stdout.trim(),
    ).toBe('yes');
    expect((await kubectl(['auth', 'can-i', 'get', 'secrets'], 'student')).stdout.trim()).toBe('no');
    const token = await kubectl(
      ['create', 'token', 'workload-sa', '--audience', 'api://AzureADTokenExchange'],
      'student',
    );
    expect(token.code, token.stderr).toBe(0);
    const claims = JSON.parse(Buffer.from(token.stdout.trim().split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      aud: ['api://AzureADTokenExchange'],
      sub: `system:serviceaccount:${LAB_NS}:workload-sa`,
    });
  });
});
