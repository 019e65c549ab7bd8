import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureFixture, DB_PASSWORD, startAzureFixture } from './azure-fixture.ts';

let fx: AzureFixture;
let credential: ReturnType<AzureFixture['studentCredential']>;

beforeAll(async () => {
  fx = await startAzureFixture();
  credential = fx.studentCredential();
});
afterAll(async () => {
  await fx?.close();
});

/** One client per vault, built only from the product's transport options (as the probe will). */
const clientFor = (vault: string) =>
  new SecretClient(fx.transport.vaultUrl(vault), credential, fx.transport.secretClientOptions());

interface CaughtRestError {
  statusCode?: number;
  code?: string;
  message: string;
  details?: { error?: { innerError?: { code?: string } } };
}

async function failure(promise: Promise<unknown>): Promise<CaughtRestError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as CaughtRestError,
  );
  if (!err) throw new Error('expected the call to fail');
  return err;
}

const summary = (e: CaughtRestError) => ({
  status: e.statusCode,
  code: e.code,
  inner: e.details?.error?.innerError?.code,
});

describe('Key Vault simulator with @azure/keyvault-secrets', () => {
  it('returns the latest secret with value, version, enabled and expiry', async () => {
    const secret = await clientFor('kv-policy').getSecret('db-password');
    expect(secret.value).toBe(DB_PASSWORD.value);
    expect(secret.properties).toMatchObject({
      name: 'db-password',
      version: DB_PASSWORD.v2,
      enabled: true,
      contentType: 'text/plain',
      expiresOn: new Date(DB_PASSWORD.expires),
      vaultUrl: fx.transport.vaultUrl('kv-policy'),
    });
  });

  it('returns a pinned version and lists secrets and versions across pages', async () => {
    const client = clientFor('kv-policy');
    expect((await client.getSecret('DB-PASSWORD', { version: DB_PASSWORD.v1 })).value).toBe('old-value');
    const pages: string[][] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 }))
      pages.push(page.map((p) => p.name));
    // The certificate's secret is listed too (managed by Key Vault), after the plain secrets.
    expect(pages).toEqual([
      ['db-password', 'api-key'],
      ['retired', 'tls-cert'],
    ]);
    const versions: string[] = [];
    for await (const p of client.listPropertiesOfSecretVersions('db-password')) versions.push(p.version ?? '');
    expect(versions).toEqual([DB_PASSWORD.v1, DB_PASSWORD.v2]);
  });

  it.each([
    [
      'kv-nopolicy',
      'db-password',
      { status: 403, code: 'Forbidden', inner: 'AccessDenied' },
      /does not have secrets get permission on key vault 'kv-nopolicy;location=westeurope'/,
    ],
    [
      'kv-rbac',
      'db-password',
      { status: 403, code: 'Forbidden', inner: 'ForbiddenByRbac' },
      /Action: 'Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action'\r\nResource: '\/subscriptions\/.+\/resourcegroups\/rg-lab\/providers\/microsoft\.keyvault\/vaults\/kv-rbac\/secrets\/db-password'/,
    ],
    [
      'kv-firewall',
      'db-password',
      { status: 403, code: 'Forbidden', inner: 'ForbiddenByFirewall' },
      /Client address: 20\.10\.0\.4\r\nCaller: appid=/,
    ],
    [
      'kv-private',
      'db-password',
      { status: 403, code: 'Forbidden', inner: 'ForbiddenByConnection' },
      /^Public network access is disabled/,
    ],
    [
      'kv-policy',
      'no-such-secret',
      { status: 404, code: 'SecretNotFound', inner: undefined },
      /^A secret with \(name\/id\) no-such-secret was not found in this key vault/,
    ],
    [
      'kv-policy',
      'retired',
      { status: 403, code: 'Forbidden', inner: 'SecretDisabled' },
      /^Operation get is not allowed on a disabled secret\.$/,
    ],
  ])('%s/%s fails as the service does', async (vault, name, expected, message) => {
    const err = await failure(clientFor(vault).getSecret(name));
    expect(summary(err)).toEqual(expected);
    expect(err.message).toMatch(message);
  });

  it('grants an object-scoped role for that object only, and an IP rule that covers the caller', async () => {
    expect((await clientFor('kv-rbac').getSecret('api-key')).properties.version).toBeDefined();
    expect((await clientFor('kv-allowlisted').getSecret('db-password')).value).toBe(DB_PASSWORD.value);
  });

  it('throttles with 429 and Retry-After, then the SDK retries and succeeds', async () => {
    const before = fx.keyvault.requests.statuses['429'] ?? 0;
    fx.keyvault.faults.throttle({ times: 1, retryAfterSeconds: 1, route: 'getSecret' });
    const started = Date.now();
    expect((await clientFor('kv-policy').getSecret('api-key')).value).toContain('CANARY-');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fx.keyvault.requests.statuses['429']).toBe(before + 1);
    expect(fx.keyvault.faults.pending).toBe(0);
  });

  it('fails with ENOTFOUND for a vault name that does not resolve', async () => {
    const before = fx.keyvault.requests.dns;
    const err = await failure(clientFor('kv-does-not-exist').getSecret('db-password'));
    expect(err.code).toBe('ENOTFOUND');
    expect(err.message).toContain('getaddrinfo ENOTFOUND kv-does-not-exist.vault.azure.net');
    expect(fx.keyvault.requests.dns).toBeGreaterThan(before);
  });

  it('needs no relaxed challenge verification: vault URLs keep their *.vault.azure.net host', () => {
    expect(fx.transport.secretClientOptions()).not.toHaveProperty('disableChallengeResourceVerification');
    expect(new URL(fx.transport.vaultUrl('kv-policy')).hostname).toBe('kv-policy.vault.azure.net');
  });

  it('lets the SDK stop at the tenant check when a token from another tenant would be needed', async () => {
    const other = new ClientSecretCredential(
      '0d4b7e55-1c2a-4f3e-8a90-5b6c7d8e9f00',
      'a1b2c3d4-0000-4000-8000-000000000004',
      's',
      fx.transport.credentialOptions(),
    );
    const client = new SecretClient(fx.transport.vaultUrl('kv-policy'), other, fx.transport.secretClientOptions());
    const err = await failure(client.getSecret('db-password'));
    expect(err.message).toMatch(/not configured to acquire tokens for tenant 6f1c1f0e-3a8f-4c52-9d1e-0b9a7c2d4e11/);
  });
});
