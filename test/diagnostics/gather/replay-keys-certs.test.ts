/**
 * The replay gets keys and certificates the way the Azure provider does (getKey, getCertificate; a certificate's
 * secret with getSecret), with the real SDKs against the simulated Entra ID and Key Vault, and the key-vault check
 * turns what it meets into the knowledge base's variants: a name held under another type, a missing version, a
 * per-type 403 (access policy or RBAC), a disabled or expired key or certificate. No key or certificate material,
 * and no secret value, reaches the outcome, the check's result or the rendered knowledge.
 */
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { describe, expect, it } from 'vitest';
import { renderKnowledge } from '../../../diagnostics/knowledge/knowledge-base.ts';
import type { ProbeObjectRef } from '../../../diagnostics/ports/vault-probe.ts';
import type { Finding } from '../../../diagnostics/types.ts';
import type { Vault } from '../../../sim/azure/state.ts';
import { CANARY, STUDENT } from '../../sim/azure/azure-fixture.ts';
import { useVaultReplay, VAULT_BASE } from './vault-replay.ts';

const V1 = '2a1b2c3d4e5f60718293a4b5c6d7e8f9';
const V2 = '3f2e3d4c5b6a79808f7e6d5c4b3a2918';
const NO_SUCH_VERSION = 'ffffffffffffffffffffffffffffffff';
const PAST = '2021-01-01T00:00:00Z';
const all = ['get', 'list'] as Array<'get' | 'list'>;
const base = VAULT_BASE;
const objects = {
  secrets: [{ name: 'app-secret', versions: [{ version: V1, value: `${CANARY}-app` }] }],
  keys: [
    { name: 'signing-key', versions: [{ version: V1 }, { version: V2 }] },
    { name: 'old-key', versions: [{ version: V1, expires: PAST }] },
    { name: 'off-key', versions: [{ version: V1, enabled: false }] },
  ],
  certificates: [
    { name: 'tls-cert', versions: [{ version: V1 }] },
    { name: 'pem-cert', versions: [{ version: V1, contentType: 'application/x-pem-file' }] },
    { name: 'old-cert', versions: [{ version: V1, expires: PAST }] },
    { name: 'off-cert', versions: [{ version: V1, enabled: false }] },
  ],
};
const VAULTS: Vault[] = [
  {
    ...base,
    name: 'kv-objects',
    accessModel: 'accessPolicies',
    accessPolicies: [{ objectId: STUDENT.objectId, permissions: { secrets: all, keys: all, certificates: all } }],
    ...objects,
  },
  {
    ...base,
    name: 'kv-secrets-only',
    accessModel: 'accessPolicies',
    accessPolicies: [{ objectId: STUDENT.objectId, permissions: { secrets: all } }],
    ...objects,
  },
  {
    ...base,
    name: 'kv-rbac-secrets',
    accessModel: 'rbac',
    roleAssignments: [{ principalId: STUDENT.objectId, role: 'Key Vault Secrets User' }],
    ...objects,
  },
];

const { fixture, replay, check } = useVaultReplay(VAULTS);

const tag = (f: Finding) => `${f.category}/${f.variant ?? '-'}`;
const ref = (objectType: string, objectName: string, objectVersion?: string): ProbeObjectRef => ({
  objectType,
  objectName,
  ...(objectVersion ? { objectVersion } : {}),
});

describe('the replay reads each object type as the provider does', () => {
  it('reads secrets, keys (public part, pinned or latest), certificates and the secret behind a certificate', async () => {
    const outcome = await replay('kv-objects', [
      ref('secret', 'app-secret'),
      ref('key', 'signing-key'),
      ref('key', 'signing-key', V1),
      ref('cert', 'tls-cert'),
      ref('secret', 'tls-cert'),
      ref('secret', 'pem-cert'),
      ref('key', 'tls-cert'),
    ]);
    expect(outcome.token.ok).toBe(true);
    expect(outcome.objects.map((o) => o.outcome)).toEqual([
      { readable: true, version: V1, enabled: true },
      { readable: true, version: V2, enabled: true, keyType: 'RSA' },
      { readable: true, version: V1, enabled: true, keyType: 'RSA' },
      { readable: true, version: V1, enabled: true },
      { readable: true, version: V1, enabled: true, contentType: 'application/x-pkcs12', certificateBacked: true },
      { readable: true, version: V1, enabled: true, contentType: 'application/x-pem-file', certificateBacked: true },
      { readable: true, version: V1, enabled: true, keyType: 'RSA' },
    ]);
    expect(outcome.secretNames).toBeUndefined();
    const result = check(outcome, 'kv-objects');
    expect(result.status).toBe('pass');
    expect(result.summary).toContain(`key/signing-key: readable, version ${V2}, RSA key`);
    expect(result.summary).toContain(
      `secret/tls-cert: readable, version ${V1}, certificate-backed (application/x-pkcs12)`,
    );
  });

  it('a name the vault holds under another type is SECRET_NOT_FOUND saying which type it is', async () => {
    const outcome = await replay('kv-objects', [
      ref('secret', 'signing-key'),
      ref('key', 'app-secret'),
      ref('cert', 'app-secret'),
      ref('cert', 'signing-key'),
      ref('key', 'no-such-key'),
      ref('cert', 'no-such-cert'),
      ref('secret', 'no-such-secret'),
    ]);
    expect(outcome.objects.map((o) => (o.outcome.readable ? 'readable' : o.outcome.error.code))).toEqual([
      'SecretNotFound',
      'KeyNotFound',
      'CertificateNotFound',
      'CertificateNotFound',
      'KeyNotFound',
      'CertificateNotFound',
      'SecretNotFound',
    ]);
    expect(outcome.objects.map((o) => (o.outcome.readable ? undefined : o.outcome.existsAs))).toEqual([
      ['key'],
      ['secret'],
      ['secret'],
      ['key'],
      undefined,
      undefined,
      undefined,
    ]);
    // The certificates' secrets are listed with the plain ones (Key Vault manages them).
    expect(outcome.secretNames).toEqual(['app-secret', 'tls-cert', 'pem-cert', 'old-cert', 'off-cert']);
    const result = check(outcome, 'kv-objects');
    expect(result.status).toBe('fail');
    expect(result.findings.map(tag)).toEqual([
      'SECRET_NOT_FOUND/exists-as-key',
      'SECRET_NOT_FOUND/exists-as-secret',
      'SECRET_NOT_FOUND/exists-as-secret',
      'SECRET_NOT_FOUND/exists-as-key',
      'SECRET_NOT_FOUND/missing-key',
      'SECRET_NOT_FOUND/missing-cert',
      'SECRET_NOT_FOUND/-',
    ]);
    expect(result.findings[0]?.evidence).toContain('vault kv-objects has signing-key as: key');
    const first = result.findings[0] as Finding;
    const text = renderKnowledge(first.category, first.facts, first.variant);
    expect(text.title).toBe('signing-key in vault kv-objects is a key, not a secret');
    expect(text.fix[0]).toBe(
      'Set objectType of signing-key in spc-keyvault to key (the mount then holds its public key as PEM), then: kubectl apply -f secret-provider-class.yaml -n student-01',
    );
  });

  it('a pinned version the vault lacks is SECRET_NOT_FOUND/missing-version, for keys and certificates', async () => {
    const outcome = await replay('kv-objects', [
      ref('key', 'signing-key', NO_SUCH_VERSION),
      ref('cert', 'tls-cert', NO_SUCH_VERSION),
    ]);
    expect(outcome.objects.map((o) => (o.outcome.readable ? undefined : o.outcome.existsAs))).toEqual([
      ['key'],
      ['secret', 'key', 'cert'], // a certificate's key and secret share its name
    ]);
    const result = check(outcome, 'kv-objects');
    expect(result.findings.map(tag)).toEqual(['SECRET_NOT_FOUND/missing-version', 'SECRET_NOT_FOUND/missing-version']);
    const first = result.findings[0] as Finding;
    expect(renderKnowledge(first.category, first.facts, first.variant).title).toBe(
      `Version ${NO_SUCH_VERSION} of signing-key is not in vault kv-objects`,
    );
  });

  it('a 403 for keys or certificates names the permission of that type (access policy and RBAC)', async () => {
    const refs = [
      ref('secret', 'app-secret'),
      ref('key', 'signing-key'),
      ref('cert', 'tls-cert'),
      ref('secret', 'tls-cert'),
    ];
    const policy = await replay('kv-secrets-only', refs);
    expect(policy.objects.map((o) => o.outcome.readable)).toEqual([true, false, false, true]);
    const policyResult = check(policy, 'kv-secrets-only');
    expect(policyResult.findings.map(tag)).toEqual([
      'ACCESS_DENIED/keys-access-policy',
      'ACCESS_DENIED/certificates-access-policy',
    ]);
    expect(policyResult.findings[0]?.evidence[0]).toMatch(
      /does not have keys get permission on key vault 'kv-secrets-only/,
    );
    const keysText = renderKnowledge('ACCESS_DENIED', policyResult.findings[0]?.facts ?? {}, 'keys-access-policy');
    expect(keysText.fix[0]).toBe(
      `Instructor: az keyvault set-policy --name kv-secrets-only --object-id ${STUDENT.objectId} --key-permissions get`,
    );

    const rbac = await replay('kv-rbac-secrets', refs);
    expect(rbac.objects.map((o) => o.outcome.readable)).toEqual([true, false, false, true]);
    const rbacResult = check(rbac, 'kv-rbac-secrets');
    expect(rbacResult.findings.map(tag)).toEqual(['ACCESS_DENIED/keys-rbac', 'ACCESS_DENIED/certificates-rbac']);
    const certText = renderKnowledge('ACCESS_DENIED', rbacResult.findings[1]?.facts ?? {}, 'certificates-rbac');
    expect(certText.fix[0]).toMatch(
      /^Instructor: az role assignment create --role "Key Vault Certificate User" --assignee /,
    );
  });

  it('a disabled key is refused, a disabled certificate is returned, and expired ones are readable with a warning', async () => {
    const outcome = await replay('kv-objects', [
      ref('key', 'off-key'),
      ref('cert', 'off-cert'),
      ref('secret', 'off-cert'),
      ref('key', 'old-key'),
      ref('cert', 'old-cert'),
    ]);
    expect(outcome.objects.map((o) => (o.outcome.readable ? 'readable' : o.outcome.error.innerCode))).toEqual([
      'KeyDisabled',
      'readable',
      'SecretDisabled',
      'readable',
      'readable',
    ]);
    const result = check(outcome, 'kv-objects');
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => `${tag(f)} ${f.severity}`)).toEqual([
      'SECRET_DISABLED/key-disabled error',
      'SECRET_DISABLED/cert-disabled warning',
      'SECRET_DISABLED/disabled error',
      'SECRET_DISABLED/key-expired warning',
      'SECRET_DISABLED/cert-expired warning',
    ]);
  });

  it('keeps key and certificate material and secret values out of the outcome, the findings and their texts', async () => {
    const vaultUrl = fixture().transport.vaultUrl('kv-objects');
    const options = fixture().transport.secretClientOptions();
    const credential = fixture().studentCredential();
    const key = await new KeyClient(vaultUrl, credential, options).getKey('signing-key');
    const certificate = await new CertificateClient(vaultUrl, credential, options).getCertificate('tls-cert');
    const secrets = new SecretClient(vaultUrl, credential, options);
    const pfx = (await secrets.getSecret('tls-cert')).value ?? '';
    const pem = (await secrets.getSecret('pem-cert')).value ?? '';
    const material = [
      Buffer.from(key.key?.n ?? [])
        .toString('base64url')
        .slice(0, 40),
      Buffer.from(certificate.cer ?? [])
        .toString('base64')
        .slice(40, 80),
      pfx.slice(40, 80),
      pem.split('\n')[1] ?? '',
      CANARY,
    ];
    expect(material.every((m) => m.length >= 20)).toBe(true);

    const outcome = await replay('kv-objects', [
      ref('secret', 'app-secret'),
      ref('key', 'signing-key'),
      ref('cert', 'tls-cert'),
      ref('secret', 'tls-cert'),
      ref('secret', 'pem-cert'),
      ref('secret', 'off-cert'),
      ref('key', 'app-secret'),
    ]);
    const result = check(outcome, 'kv-objects');
    const texts = result.findings.map((f) => renderKnowledge(f.category, f.facts, f.variant));
    const json = JSON.stringify({ outcome, result, texts });
    for (const m of material) expect(json).not.toContain(m);
    expect(json).not.toMatch(/BEGIN (PRIVATE KEY|CERTIFICATE)/);
  });
});
