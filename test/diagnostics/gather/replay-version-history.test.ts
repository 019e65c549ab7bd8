/**
 * objectVersionHistory in the replay: above 1 the Azure provider lists an object's versions before it gets them
 * (provider.go resolveObjectVersions → ListSecretVersions / ListKeyVersions / ListCertificateVersions), which needs
 * the list permission. The replay lists them too, with the real SDKs against the simulated Key Vault, so a refused
 * listing becomes the diagnosis with the list permission's text; objects without it cost no extra request.
 */
import { describe, expect, it } from 'vitest';
import { renderKnowledge } from '../../../diagnostics/knowledge/knowledge-base.ts';
import type { ProbeObjectRef, ReplayOutcome } from '../../../diagnostics/ports/vault-probe.ts';
import type { Finding } from '../../../diagnostics/types.ts';
import type { Vault } from '../../../sim/azure/state.ts';
import { CANARY, STUDENT } from '../../sim/azure/azure-fixture.ts';
import { useVaultReplay, VAULT_BASE } from './vault-replay.ts';

const V1 = '2a1b2c3d4e5f60718293a4b5c6d7e8f9';
const V2 = '3f2e3d4c5b6a79808f7e6d5c4b3a2918';
const base = VAULT_BASE;
const objects = {
  secrets: [
    {
      name: 'app-secret',
      versions: [
        { version: V1, value: `${CANARY}-1` },
        { version: V2, value: `${CANARY}-2` },
      ],
    },
  ],
  keys: [{ name: 'signing-key', versions: [{ version: V1 }, { version: V2 }] }],
  certificates: [{ name: 'tls-cert', versions: [{ version: V1 }] }],
};
const GET = ['get'] as Array<'get' | 'list'>;
const VAULTS: Vault[] = [
  {
    ...base,
    name: 'kv-get-only',
    accessModel: 'accessPolicies',
    accessPolicies: [{ objectId: STUDENT.objectId, permissions: { secrets: GET, keys: GET, certificates: GET } }],
    ...objects,
  },
  {
    ...base,
    name: 'kv-get-list',
    accessModel: 'accessPolicies',
    accessPolicies: [
      {
        objectId: STUDENT.objectId,
        permissions: { secrets: ['get', 'list'], keys: ['get', 'list'], certificates: ['get', 'list'] },
      },
    ],
    ...objects,
  },
  {
    ...base,
    name: 'kv-rbac-keys',
    accessModel: 'rbac',
    roleAssignments: [{ principalId: STUDENT.objectId, role: 'Key Vault Crypto User' }],
    ...objects,
  },
];

const { fixture, replay, check } = useVaultReplay(VAULTS);

/** Key Vault's HTTP requests per route during `run`. */
async function routesDuring(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = { ...fixture().keyvault.requests.routes };
  await run();
  const delta: Record<string, number> = {};
  for (const [route, n] of Object.entries(fixture().keyvault.requests.routes)) {
    const d = n - (before[route] ?? 0);
    if (d > 0) delta[route] = d;
  }
  return delta;
}

const tag = (f: Finding) => `${f.category}/${f.variant ?? '-'}`;
const ref = (objectType: string, objectName: string, objectVersionHistory?: number): ProbeObjectRef => ({
  objectType,
  objectName,
  ...(objectVersionHistory !== undefined ? { objectVersionHistory } : {}),
});

describe('the replay lists versions for objectVersionHistory above 1, as the provider does', () => {
  it('a listing refused by an access policy is ACCESS_DENIED with the list permission, per object type', async () => {
    const outcome = await replay('kv-get-only', [
      ref('secret', 'app-secret', 3),
      ref('key', 'signing-key', 2),
      ref('cert', 'tls-cert', 5),
      ref('secret', 'tls-cert'),
    ]);
    expect(outcome.objects.map((o) => (o.outcome.readable ? 'readable' : o.outcome.during))).toEqual([
      'list-versions',
      'list-versions',
      'list-versions',
      'readable',
    ]);
    const result = check(outcome, 'kv-get-only');
    expect(result.findings.map(tag)).toEqual([
      'ACCESS_DENIED/list-access-policy',
      'ACCESS_DENIED/keys-list-access-policy',
      'ACCESS_DENIED/certificates-list-access-policy',
    ]);
    const secret = result.findings[0] as Finding;
    expect(secret.evidence[0]).toMatch(/does not have secrets list permission on key vault 'kv-get-only/);
    expect(secret.evidence).toContain(
      'secret/app-secret sets objectVersionHistory 3: the provider lists its versions before it gets them, and Key Vault refused that listing',
    );
    const text = renderKnowledge(secret.category, secret.facts, secret.variant);
    expect(text.fix[0]).toBe(
      `Instructor: az keyvault set-policy --name kv-get-only --object-id ${STUDENT.objectId} --secret-permissions get list`,
    );
    expect(text.cause).toContain('GET /secrets/app-secret/versions');
    const cert = result.findings[2] as Finding;
    expect(renderKnowledge(cert.category, cert.facts, cert.variant).fix[0]).toMatch(
      /--certificate-permissions get list$/,
    );
    expect(result.summary).toContain('secret/app-secret: http error (403 Forbidden AccessDenied) listing its versions');
  });

  it('a listing refused by RBAC names the action that lists secrets; keys are listed with the role that reads them', async () => {
    const outcome = await replay('kv-rbac-keys', [ref('secret', 'app-secret', 2), ref('key', 'signing-key', 2)]);
    expect(outcome.objects.map((o) => o.outcome.readable)).toEqual([false, true]);
    const result = check(outcome, 'kv-rbac-keys');
    expect(result.findings.map(tag)).toEqual(['ACCESS_DENIED/list-rbac']);
    expect(result.findings[0]?.evidence[0]).toContain(
      "Action: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'",
    );
    const text = renderKnowledge('ACCESS_DENIED', result.findings[0]?.facts ?? {}, 'list-rbac');
    expect(text.fix[0]).toMatch(/^Instructor: az role assignment create --role "Key Vault Secrets User" --assignee /);
  });

  it('with list allowed the objects are readable, and only those with a history cost the listing', async () => {
    const plain = [ref('secret', 'app-secret'), ref('key', 'signing-key', 1), ref('cert', 'tls-cert', 0)];
    let outcome: ReplayOutcome | undefined;
    const withoutHistory = await routesDuring(async () => {
      outcome = await replay('kv-get-list', plain);
    });
    expect(outcome?.objects.every((o) => o.outcome.readable)).toBe(true);
    expect(Object.keys(withoutHistory).filter((r) => /^list/.test(r))).toEqual([]);

    const withHistory = await routesDuring(async () => {
      outcome = await replay('kv-get-list', [
        ref('secret', 'app-secret', 2),
        plain[1] as ProbeObjectRef,
        plain[2] as ProbeObjectRef,
      ]);
    });
    expect(outcome?.objects.map((o) => o.outcome)).toEqual([
      { readable: true, version: V2, enabled: true },
      { readable: true, version: V2, enabled: true, keyType: 'RSA' },
      { readable: true, version: V1, enabled: true },
    ]);
    expect(check(outcome as ReplayOutcome, 'kv-get-list').status).toBe('pass');
    const { listSecretVersions, ...rest } = withHistory;
    expect(listSecretVersions).toBeGreaterThanOrEqual(1);
    expect(rest).toEqual(withoutHistory);
  });

  it('keeps secret values out of the outcome and the findings', async () => {
    const outcome = await replay('kv-get-only', [ref('secret', 'app-secret', 2)]);
    const result = check(outcome, 'kv-get-only');
    expect(JSON.stringify({ outcome, result })).not.toContain(CANARY);
  });
});
