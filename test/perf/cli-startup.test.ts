/**
 * What a new `kvlab diagnose` process does before its answer, as bench/README.md explains it, asserted by order and
 * by what is loaded (never by time), through a preloaded module that records each HTTP request made and each
 * engine module loaded, and Node's own list of loaded built-ins at exit:
 * - the first reads (diagnostics/gather/round-one.ts) are sent before the engine is loaded, each exactly once
 *   (src/cli/early-reads.ts hands them to the engine); the Azure SDKs load once round two is out, the checks and
 *   the knowledge base once the token request to Entra ID is (src/cli/entra-wait.ts);
 * - the bundled CLI (bin/kvlab.js) replays the mount without loading undici (Node's lazily loaded fetch/FormData,
 *   ~40 ms of CPU; scripts/build-cli.ts keeps the Azure pipeline's FormData check from loading it).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';

const BIN = join(import.meta.dirname, '../../bin/kvlab.js');
const RECORDER = `
import { subscribe } from 'node:diagnostics_channel';
import { registerHooks } from 'node:module';
const seen = [];
subscribe('http.client.request.created', ({ request }) => seen.push('request ' + request.method + ' ' + request.path.split('?')[0]));
registerHooks({
  load(url, context, next) {
    if (/\\/(run-diagnosis|lean-engine|gather-evidence)[-.][^/]*$/.test(url)) seen.push('load ' + url.replace(/.*\\//, '').replace(/-[A-Z0-9]+\\.js$|\\.ts$/, ''));
    const loaded = next(url, context);
    const text = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source ?? new Uint8Array());
    if (text.includes('ClientAssertionCredential=class')) seen.push('load @azure/identity');
    return loaded;
  },
});
process.on('exit', () => {
  process.stderr.write('seen: ' + JSON.stringify(seen) + '\\n');
  process.stderr.write('builtins: ' + process.moduleLoadList.join(',') + '\\n');
});`;
const PRELOAD = `data:text/javascript,${encodeURIComponent(RECORDER)}`;

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
      ['--import', PRELOAD, BIN, 'diagnose', 'pod-keyvault', '-n', namespace, '--json'],
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

const ROUND_ONE = [
  'request GET /apis/storage.k8s.io/v1/csidrivers/secrets-store.csi.k8s.io',
  'request GET /api/v1/namespaces/kube-system/pods',
  'request GET /api/v1/namespaces/student-13/pods/pod-keyvault',
  'request GET /api/v1/namespaces/student-13/events',
];

describe('a new kvlab diagnose process', () => {
  it('sends its first reads before it loads the engine, and each once', async () => {
    const r = await diagnose('student-13');
    expect(JSON.parse(r.stdout).problems[0].category).toBe('ACCESS_DENIED');
    const seen: string[] = JSON.parse(r.stderr.match(/^seen: (.*)$/m)?.[1] ?? '[]');
    expect(seen.slice(0, 4).sort()).toEqual([...ROUND_ONE].sort());
    expect(seen.slice(4, 6).sort()).toEqual(['load gather-evidence', 'load lean-engine']);
    // The checks and the knowledge base load while Entra exchanges the token, not before.
    const token = seen.findIndex((s) => /^request POST .*\/oauth2\/v2\.0\/token$/.test(s));
    expect(token).toBeGreaterThan(6);
    expect(seen.indexOf('load run-diagnosis')).toBeGreaterThan(token);
    for (const read of ROUND_ONE) expect(seen.filter((s) => s === read)).toEqual([read]);
    // The Azure SDKs load once round two (SecretProviderClass, ServiceAccount, …) is out, not before.
    const sdk = seen.indexOf('load @azure/identity');
    const roundTwo = seen.indexOf('request GET /api/v1/namespaces/student-13/serviceaccounts/workload-identity-sa');
    expect(roundTwo).toBeGreaterThan(5);
    expect(sdk).toBeGreaterThan(roundTwo);
  }, 60_000);

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
