/**
 * OpenAPI v3 and server-side field validation, driven by the real kubectl with its default validation
 * (no `--validate=false`): apply/create of valid Pods and SecretProviderClasses succeeds, re-apply patches,
 * unknown fields are refused with kube-apiserver's strict decoding error or warned about, and the
 * documents kubectl reads are shaped as kube-apiserver's.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../../sim/k8s/server.ts';
import { ADMIN_TOKEN, LAB_NS } from './fixtures.ts';
import { raw, startTestServer } from './harness.ts';

let server: KubeApiServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'kvlab-openapi-'));
  await writeFile(join(dir, 'kubeconfig'), server.kubeconfig({ token: ADMIN_TOKEN, namespace: LAB_NS }));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const kubectl = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const config = join(dir, 'kubeconfig');
    execFile(
      'kubectl',
      ['--cache-dir', join(dir, 'cache'), ...args],
      { env: { ...process.env, HOME: dir, KUBECONFIG: config }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

async function manifest(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const pod = (image: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: apply-pod
spec:
  containers:
    - name: app
      image: ${image}${extra}
      volumeMounts:
        - name: secrets-store
          mountPath: /mnt/secrets
          readOnly: true
  volumes:
    - name: secrets-store
      csi:
        driver: secrets-store.csi.k8s.io
        readOnly: true
        volumeAttributes:
          secretProviderClass: azure-kv
`;

const spc = (name: string, extra = '') => `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: ${name}
spec:
  provider: azure${extra}
  parameters:
    keyvaultName: kv-lab
    tenantId: 72f1a7c4-3b9e-4d2a-8f60-5c1e9b7d2a14
`;

describe('kubectl apply and create with default validation', () => {
  it('applies a valid Pod, then re-applies a change as a patch', async () => {
    const file = await manifest('pod.yaml', pod('busybox'));
    const first = await kubectl(['apply', '-f', file]);
    expect([first.code, first.stdout.trim(), first.stderr]).toEqual([0, 'pod/apply-pod created', '']);
    await writeFile(file, pod('busybox:1.37'));
    const again = await kubectl(['apply', '-f', file]);
    expect([again.code, again.stdout.trim(), again.stderr]).toEqual([0, 'pod/apply-pod configured', '']);
    const image = server.store.get({ apiVersion: 'v1', kind: 'Pod', namespace: LAB_NS, name: 'apply-pod' });
    expect(
      ((image?.spec ?? { containers: [] }) as { containers: Array<{ image: string }> }).containers.map((c) => c.image),
    ).toEqual(['busybox:1.37']);
  });

  it('applies and creates valid SecretProviderClasses', async () => {
    const applied = await kubectl(['apply', '-f', await manifest('spc.yaml', spc('applied'))]);
    expect([applied.code, applied.stdout.trim(), applied.stderr]).toEqual([
      0,
      'secretproviderclass.secrets-store.csi.x-k8s.io/applied created',
      '',
    ]);
    const created = await kubectl(['create', '-f', await manifest('spc2.yaml', spc('created'))]);
    expect([created.code, created.stdout.trim()]).toEqual([
      0,
      'secretproviderclass.secrets-store.csi.x-k8s.io/created created',
    ]);
  });

  it('refuses an SPC with an unknown field with the strict decoding error', async () => {
    const file = await manifest('bad-spc.yaml', spc('bad', '\n  foo: bar'));
    const run = await kubectl(['create', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Error from server (BadRequest): error when creating "${file}": SecretProviderClass in version "v1" cannot be handled as a SecretProviderClass: strict decoding error: unknown field "spec.foo"`,
    );
    expect(server.store.list('secrets-store.csi.x-k8s.io/v1', 'SecretProviderClass', LAB_NS).length).toBe(3);
  });

  it('refuses a Pod with a misplaced container field, naming its path', async () => {
    const file = await manifest(
      'bad-pod.yaml',
      pod('busybox', '\n      requests:\n        cpu: 50m').replace('apply-pod', 'bad-pod'),
    );
    const run = await kubectl(['apply', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Error from server (BadRequest): error when creating "${file}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].requests"`,
    );
  });

  it('only warns with --validate=warn', async () => {
    const run = await kubectl([
      'create',
      '--validate=warn',
      '-f',
      await manifest('warn.yaml', spc('warned', '\n  foo: bar')),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr.trim()).toBe('Warning: unknown field "spec.foo"');
  });
});

describe('the OpenAPI documents', () => {
  it('lists every served group-version with a hashed serverRelativeURL', async () => {
    const index = await raw(server, '/openapi/v3');
    const paths = index.json.paths as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        'api/v1',
        'apis/apps/v1',
        'apis/coordination.k8s.io/v1',
        'apis/secrets-store.csi.x-k8s.io/v1',
      ]),
    );
    expect(paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('describes the SPC from its CRD schema with the fieldValidation parameter on patch', async () => {
    const doc = await raw(server, '/openapi/v3/apis/secrets-store.csi.x-k8s.io/v1');
    const paths = doc.json.paths as Record<string, Record<string, Record<string, unknown>>>;
    const item = paths['/apis/secrets-store.csi.x-k8s.io/v1/namespaces/{namespace}/secretproviderclasses/{name}'];
    expect(item?.patch?.['x-kubernetes-group-version-kind']).toEqual({
      group: 'secrets-store.csi.x-k8s.io',
      version: 'v1',
      kind: 'SecretProviderClass',
    });
    expect(
      ((item?.patch?.parameters ?? []) as Array<{ name: string; in: string }>).map((p) => `${p.in}:${p.name}`),
    ).toContain('query:fieldValidation');
    const schemas = (doc.json.components as { schemas: Record<string, { properties: Record<string, unknown> }> })
      .schemas;
    expect(Object.keys(schemas['io.x-k8s.csi.secrets-store.v1.SecretProviderClass']?.properties ?? {}).sort()).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
      'status',
    ]);
  });

  it('does not serve /openapi/v2, and rejects an unknown fieldValidation directive', async () => {
    expect((await raw(server, '/openapi/v2')).status).toBe(404);
    const res = await raw(server, `/api/v1/namespaces/${LAB_NS}/configmaps?fieldValidation=Loose`, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
    });
    expect([res.status, res.json.message]).toEqual([
      400,
      'fieldValidation: Unsupported value: "Loose": supported values: "Ignore", "Strict", "Warn"',
    ]);
  });
});
