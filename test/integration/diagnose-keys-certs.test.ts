/**
 * A whole diagnosis of a pod whose SecretProviderClass mounts a key, a certificate and the certificate's secret,
 * and names a secret with objectType key: the test-only scenario test/fixtures/scenarios/keys-and-certificates
 * (the classroom's student-01 alone). The real engine replays every object by its type against the simulators;
 * the wrong type is the finding, with the fix to change objectType; and no key or certificate material, and no
 * secret value, appears in the report JSON or its text rendering.
 */
import { fileURLToPath } from 'node:url';
import { ClientAssertionCredential } from '@azure/identity';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { createAzureTransport } from '../../src/azure/transport.ts';
import { renderReportText } from '../../src/cli/render-report.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

const SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/keys-and-certificates', import.meta.url));
const CANARY = 'KVLAB-CANARY-7f3e9c1d';

let fx: ClassroomFixture;
beforeAll(async () => {
  fx = await startClassroomFixture(SCENARIO);
});
afterAll(() => fx?.classroom.close());

/** What the vault returns to student-01's identity: the material that must stay inside the probe. */
async function vaultMaterial(): Promise<string[]> {
  const { settings, caPem, tokens } = fx.classroom;
  const transport = createAzureTransport({
    keyVaultEndpoint: settings.KVLAB_KEYVAULT_ENDPOINT,
    caPem,
    entraEndpoint: settings.KVLAB_ENTRA_ENDPOINT,
  });
  const tokenRequest = await fetchToken(tokens.admin);
  const credential = new ClientAssertionCredential(
    '72f1a7c4-3b9e-4d2a-8f60-5c1e9b7d2a14',
    '5b0e6f3a-9c21-4d7e-a8b4-2f6c1d9e0a37',
    async () => tokenRequest,
    transport.credentialOptions(),
  );
  const url = transport.vaultUrl('kv-kvlab-lab');
  const options = transport.secretClientOptions();
  const key = await new KeyClient(url, credential, options).getKey('signing-key');
  const certificate = await new CertificateClient(url, credential, options).getCertificate('tls-cert');
  const pfx = (await new SecretClient(url, credential, options).getSecret('tls-cert')).value ?? '';
  return [
    Buffer.from(key.key?.n ?? [])
      .toString('base64url')
      .slice(0, 40),
    Buffer.from(key.key?.n ?? [])
      .toString('base64')
      .slice(0, 40),
    Buffer.from(certificate.cer ?? [])
      .toString('base64')
      .slice(40, 80),
    pfx.slice(40, 80),
  ];
}

/** A service-account token for student-01's pod identity, as the replay asks for it. */
async function fetchToken(adminToken: string): Promise<string> {
  const { request } = await import('node:https');
  const url = new URL(
    `${fx.classroom.k8s.httpsUrl}/api/v1/namespaces/student-01/serviceaccounts/workload-identity-sa/token`,
  );
  const body = JSON.stringify({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { audiences: ['api://AzureADTokenExchange'] },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        ca: fx.classroom.caPem,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()).status?.token ?? ''));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a diagnosis that replays keys and certificates', () => {
  it('reads each object by its type and finds the secret asked for as a key', async () => {
    const { report } = await runDiagnosis('student-01', 'pod-keyvault', fx.engine.ports, fx.engine.gather);
    const keyVault = report.checks.find((c) => c.id === 'key-vault');
    expect(keyVault?.status).toBe('fail');
    expect(keyVault?.summary).toMatch(/^4\/5 object\(s\) readable from kv-kvlab-lab: /);
    expect(keyVault?.summary).toContain('key/signing-key: readable, version 5d7f9b1c3e5a4c6e8b0d2f4a6c8e0b2d, RSA key');
    expect(keyVault?.summary).toContain('cert/tls-cert: readable, version 6e8a0c2e4b6d4f7a9c1e3b5d7f9a1c3e');
    expect(keyVault?.summary).toContain(
      'secret/tls-cert: readable, version 6e8a0c2e4b6d4f7a9c1e3b5d7f9a1c3e, certificate-backed (application/x-pkcs12)',
    );
    expect(report.verdict).toBe('broken');
    const problem = report.problems[0];
    expect(problem?.category).toBe('SECRET_NOT_FOUND');
    expect(problem?.sources?.find((s) => s.check === 'key-vault')?.rule).toBe('exists-as-secret');
    expect(problem?.title).toBe('api-key in vault kv-kvlab-lab is a secret, not a key');
    // The ready patch changes the type, not the name.
    expect(problem?.patch?.changes).toEqual([
      'SecretProviderClass azure-kv-secrets: objects[4].objectType "key" → "secret" (from the vault holds api-key as a secret)',
    ]);
    expect(problem?.patch?.unknowns).toEqual([]);
    expect(problem?.fix).toContain(
      'Set objectType of api-key in azure-kv-secrets to secret (the mount then holds its value), then: kubectl apply -f secret-provider-class.yaml -n student-01',
    );
    // The vault answered for signing-key and tls-cert: the lab's name list (a guess made without asking) says nothing.
    expect(problem?.fix[0]).toMatch(/^Set objectType of api-key/);
    const labNames = report.problems.flatMap((p) => p.sources ?? []).filter((s) => s.rule === 'lab/object-name');
    expect(labNames).toEqual([]);
  });

  it('shows no key or certificate material and no secret value in the report', async () => {
    const material = await vaultMaterial();
    expect(material.every((m) => m.length === 40)).toBe(true);
    const { report } = await runDiagnosis('student-01', 'pod-keyvault', fx.engine.ports, fx.engine.gather);
    const outputs = [JSON.stringify(report), renderReportText(report, { timings: true })];
    for (const text of outputs) {
      for (const m of [...material, CANARY]) expect(text).not.toContain(m);
      expect(text).not.toMatch(/BEGIN (PRIVATE KEY|CERTIFICATE|PUBLIC KEY)/);
    }
  });
});
