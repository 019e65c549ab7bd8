import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, decodeJwt, signJwt } from '../../../sim/common/jwt.ts';
import { APP, type AzureFixture, CANARY, OTHER_APP, OTHER_TENANT, startAzureFixture, TENANT } from './azure-fixture.ts';

let fx: AzureFixture;
let studentToken: string;

beforeAll(async () => {
  fx = await startAzureFixture();
  studentToken = (await fx.studentCredential().getToken('https://vault.azure.net/.default')).token;
});
afterAll(async () => {
  await fx?.close();
});

interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: KvJson;
}

/** The parts of Key Vault response bodies these tests read. */
interface KvJson {
  error?: { code: string; message: string };
  id?: string;
  sid?: string;
  cer?: string;
  key?: { kid: string; kty: string; e: string };
  value?: Array<{ id: string; value?: string }>;
  nextLink?: string | null;
}

/** A raw GET to `<vault>.vault.azure.net` on the simulator's port, with SNI and Host as a real client sends them. */
function kvGet(vault: string, path: string, token?: string): Promise<WireResponse> {
  const host = `${vault}.vault.azure.net`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: fx.keyvault.port,
        servername: host,
        path,
        ca: fx.caPem,
        headers: { host: `${host}:${fx.keyvault.port}`, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const CHALLENGE = `Bearer authorization="https://login.microsoftonline.com/${TENANT}", resource="https://vault.azure.net"`;

describe('Key Vault simulator on the wire', () => {
  it('challenges an unauthenticated request with the vault tenant and AKV10000', async () => {
    const res = await kvGet('kv-policy', '/secrets/db-password/?api-version=7.6');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    expect(res.json).toEqual({
      error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
    });
  });

  it('rejects tokens for another audience, another tenant or from an unknown signer, each with a challenge', async () => {
    const cred = (tenant: string, id: { clientId: string }, secret: string) =>
      new ClientSecretCredential(tenant, id.clientId, secret, fx.transport.credentialOptions());
    const arm = (await cred(TENANT, APP, APP.secret).getToken('https://management.azure.com/.default')).token;
    const foreign = (await cred(OTHER_TENANT, OTHER_APP, 's').getToken('https://vault.azure.net/.default')).token;
    const forged = signJwt(decodeJwt(studentToken).claims, createSigningKey());
    const cases: Array<[string, RegExp]> = [
      [
        arm,
        /^AKV10022: Invalid audience\. Expected https:\/\/vault\.azure\.net, found: https:\/\/management\.azure\.com\.$/,
      ],
      [
        foreign,
        new RegExp(
          `^AKV10032: Invalid issuer\\. Expected one of https://sts\\.windows\\.net/${TENANT}/, found https://sts\\.windows\\.net/${OTHER_TENANT}/\\.$`,
        ),
      ],
      [forged, /^AKV10046: Unable to resolve the key used for signature validation\. EncodedJwtHeader: 'eyJ/],
    ];
    for (const [token, message] of cases) {
      const res = await kvGet('kv-policy', '/secrets/db-password?api-version=7.6', token);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
      expect(res.json.error?.message).toMatch(message);
    }
  });

  it('accepts any 7.x or date api-version and rejects a missing or unknown one with BadParameter', async () => {
    for (const version of ['7.4', '7.6', '2016-10-01', '2025-07-01']) {
      expect((await kvGet('kv-policy', `/secrets/api-key?api-version=${version}`, studentToken)).status).toBe(200);
    }
    const missing = await kvGet('kv-policy', '/secrets/api-key', studentToken);
    expect([missing.status, missing.json.error?.code]).toEqual([400, 'BadParameter']);
    const unknown = await kvGet('kv-policy', '/secrets/api-key?api-version=6.0', studentToken);
    expect(unknown.json.error).toEqual({
      code: 'BadParameter',
      message:
        'The specified version (6.0) is not recognized. Consider using the latest supported version (2025-07-01).',
    });
  });

  it('treats a trailing slash like none and rejects invalid object names', async () => {
    const plain = await kvGet('kv-policy', '/secrets/api-key?api-version=7.6', studentToken);
    const slash = await kvGet('kv-policy', '/secrets/api-key/?api-version=7.6', studentToken);
    expect(slash.json).toEqual(plain.json);
    expect(plain.json.id).toMatch(
      new RegExp(`^https://kv-policy\\.vault\\.azure\\.net:${fx.keyvault.port}/secrets/api-key/[0-9a-f]{32}$`),
    );
    const bad = await kvGet('kv-policy', '/secrets/db_password?api-version=7.6', studentToken);
    expect([bad.status, bad.json.error]).toEqual([
      400,
      { code: 'BadParameter', message: 'The request URI contains an invalid name: db_password' },
    ]);
  });

  it('serves keys and certificates with real public material, and their NotFound codes', async () => {
    const key = await kvGet('kv-policy', '/keys/signing-key/?api-version=7.6', studentToken);
    expect(key.json.key).toMatchObject({ kty: 'RSA', e: 'AQAB' });
    expect(key.json.key?.kid).toMatch(/\/keys\/signing-key\/[0-9a-f]{32}$/);
    const cert = await kvGet('kv-policy', '/certificates/tls-cert?api-version=7.6', studentToken);
    expect(new X509Certificate(Buffer.from(cert.json.cer ?? '', 'base64')).subject).toContain('CN=tls-cert');
    expect(cert.json.sid).toMatch(/\/secrets\/tls-cert\/[0-9a-f]{32}$/);
    expect((await kvGet('kv-policy', '/keys/nope?api-version=7.6', studentToken)).json.error?.code).toBe('KeyNotFound');
    expect((await kvGet('kv-policy', '/certificates/nope?api-version=7.6', studentToken)).json.error?.code).toBe(
      'CertificateNotFound',
    );
  });

  it('pages with an absolute nextLink on the same host', async () => {
    const first = await kvGet('kv-policy', '/secrets?api-version=7.6&maxresults=1', studentToken);
    expect(first.json.value).toHaveLength(1);
    expect(first.json.value?.[0]).not.toHaveProperty('value');
    const next = new URL(first.json.nextLink ?? 'missing:');
    expect(next.host).toBe(`kv-policy.vault.azure.net:${fx.keyvault.port}`);
    const second = await kvGet('kv-policy', `${next.pathname}${next.search}`, studentToken);
    expect(second.json.value?.[0]?.id).not.toBe(first.json.value?.[0]?.id);
  });
});

describe('secret values stay inside successful GET bodies', () => {
  it('never puts a secret value into an error body, an SDK error message or the console', async () => {
    const written: string[] = [];
    const original = { out: process.stdout.write, err: process.stderr.write };
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    const bodies: string[] = [];
    try {
      for (const [vault, path] of [
        ['kv-policy', '/secrets/retired?api-version=7.6'],
        ['kv-nopolicy', '/secrets/db-password?api-version=7.6'],
        ['kv-rbac', '/secrets/db-password?api-version=7.6'],
        ['kv-firewall', '/secrets/db-password?api-version=7.6'],
        ['kv-private', '/secrets/db-password?api-version=7.6'],
        ['kv-policy', '/secrets/db-password'],
        ['kv-policy', `/secrets/db-password/${'f'.repeat(32)}?api-version=7.6`],
      ] as const) {
        const res = await kvGet(vault, path, studentToken);
        expect(res.status).toBeGreaterThanOrEqual(400);
        bodies.push(res.text, JSON.stringify(res.headers));
      }
      for (const vault of ['kv-policy', 'kv-rbac', 'kv-firewall']) {
        const client = new SecretClient(
          fx.transport.vaultUrl(vault),
          fx.studentCredential(),
          fx.transport.secretClientOptions(),
        );
        const err = await client.getSecret(vault === 'kv-policy' ? 'retired' : 'db-password').catch((e: Error) => e);
        bodies.push(String((err as Error).message), JSON.stringify(err));
      }
    } finally {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    }
    expect(bodies.length).toBeGreaterThan(10);
    expect(bodies.filter((b) => b.includes('CANARY-'))).toEqual([]);
    expect(written.filter((w) => w.includes(CANARY))).toEqual([]);
  });
});
