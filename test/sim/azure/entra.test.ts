import { request } from 'node:https';
import { ClientAssertionCredential, ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, decodeJwt, type JwtClaims, verifyJwt } from '../../../sim/common/jwt.ts';
import {
  APP,
  type AzureFixture,
  NO_FIC,
  OTHER_TENANT,
  STUDENT,
  startAzureFixture,
  TENANT,
  UNREACHABLE_ISSUER,
} from './azure-fixture.ts';

const SCOPE = 'https://vault.azure.net/.default';
let fx: AzureFixture;

beforeAll(async () => {
  fx = await startAzureFixture();
});
afterAll(async () => {
  await fx?.close();
});

/** A new credential per case: msal caches tokens per credential instance (reference 03 §4.9). */
function assertionCredential(opts: {
  tenant?: string;
  clientId?: string;
  claims?: JwtClaims;
  signedByStranger?: boolean;
}) {
  const key = opts.signedByStranger ? { ...createSigningKey(), kid: fx.clusterKey.kid } : undefined;
  return new ClientAssertionCredential(
    opts.tenant ?? TENANT,
    opts.clientId ?? STUDENT.clientId,
    async () => fx.assertion(opts.claims, key),
    fx.transport.credentialOptions(),
  );
}

async function aadstsOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(err, 'expected the token request to fail').toBeInstanceOf(Error);
  return /AADSTS(\d+)/.exec(err?.message ?? '')?.[1] ?? `no AADSTS code in: ${err?.message}`;
}

function postToken(
  tenant: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(`${fx.entra.authorityHost}/${tenant}/oauth2/v2.0/token`);
  const payload = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', ca: fx.caPem, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('Entra ID simulator with @azure/identity', () => {
  it('exchanges a federated service-account token for a Key Vault access token', async () => {
    const token = await assertionCredential({}).getToken(SCOPE);
    const { claims } = verifyJwt(token.token, fx.entra.jwks);
    expect(claims).toMatchObject({
      aud: 'https://vault.azure.net',
      iss: `https://sts.windows.net/${TENANT}/`,
      tid: TENANT,
      appid: STUDENT.clientId,
      oid: STUDENT.objectId,
      sub: STUDENT.objectId,
      idtyp: 'app',
    });
    expect(token.expiresOnTimestamp - Date.now()).toBeGreaterThan(3500_000);
  });

  it.each([
    ['70021', 'the identity has no federated credential', { clientId: NO_FIC.clientId }],
    [
      '700211',
      'the issuer matches no federated credential',
      { claims: { iss: 'https://other.oic.prod-aks.azure.com/x/' } },
    ],
    [
      '700213',
      'the subject matches no federated credential',
      { claims: { sub: 'system:serviceaccount:student-02:default' } },
    ],
    [
      '7002138',
      'the subject differs only in case',
      { claims: { sub: 'system:serviceaccount:Student-01:workload-identity-sa' } },
    ],
    ['700212', 'the audience matches no federated credential', { claims: { aud: ['api://SomethingElse'] } }],
    ['700016', 'the client id is not in the tenant', { clientId: 'ffffffff-0000-4000-8000-000000000000' }],
    ['90002', 'the tenant does not exist', { tenant: 'c0ffee00-0000-4000-8000-000000000000' }],
    ['700024', 'the assertion has expired', { claims: { iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_003_600 } }],
    ['700027', 'the assertion is signed with a key the issuer does not publish', { signedByStranger: true }],
    ['50166', "Entra cannot fetch the issuer's keys", { claims: { iss: UNREACHABLE_ISSUER } }],
  ])('answers AADSTS%s when %s', async (code, _why, opts) => {
    expect(await aadstsOf(assertionCredential(opts).getToken(SCOPE))).toBe(code);
  });

  it("holds the cluster issuer's keys, and fetches them again for a key it has not seen (a rotation)", async () => {
    await assertionCredential({}).getToken(SCOPE);
    const before = fx.issuer.fetches;
    await assertionCredential({}).getToken(SCOPE);
    expect(fx.issuer.fetches).toBe(before);
    const rotated = createSigningKey();
    fx.issuer.keys.push(rotated);
    try {
      const credential = new ClientAssertionCredential(
        TENANT,
        STUDENT.clientId,
        async () => fx.assertion({}, rotated),
        fx.transport.credentialOptions(),
      );
      expect((await credential.getToken(SCOPE)).token).toBeTruthy();
      expect(fx.issuer.fetches).toBe(before + 1);
    } finally {
      fx.issuer.keys.pop();
    }
  });

  it('issues a token for a valid client secret and refuses a wrong one with AADSTS7000215', async () => {
    const good = new ClientSecretCredential(TENANT, APP.clientId, APP.secret, fx.transport.credentialOptions());
    expect(decodeJwt((await good.getToken(SCOPE)).token).claims).toMatchObject({ appid: APP.clientId, appidacr: '1' });
    const bad = new ClientSecretCredential(TENANT, APP.clientId, 'not-the-secret', fx.transport.credentialOptions());
    expect(await aadstsOf(bad.getToken(SCOPE))).toBe('7000215');
  });
});

describe('Entra ID simulator on the wire', () => {
  it('sends the documented error envelope with invalid_client and 401 for federation mismatches', async () => {
    const res = await postToken(TENANT, {
      grant_type: 'client_credentials',
      client_id: NO_FIC.clientId,
      scope: SCOPE,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: fx.assertion(),
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client', error_codes: [70021] });
    expect(res.body.error_description).toMatch(
      /^AADSTS70021: No matching federated identity record found for presented assertion\. Assertion Issuer: '.+'\. .* Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(res.body).toHaveProperty('trace_id');
    expect(res.body).toHaveProperty('correlation_id');
    expect(res.body.error_uri).toBe('https://login.microsoftonline.com/error?code=70021');
  });

  it('answers 400 for an unknown tenant, a missing credential and a scope without /.default', async () => {
    const base = { grant_type: 'client_credentials', client_id: APP.clientId, scope: SCOPE };
    const tenant = await postToken('c0ffee00-0000-4000-8000-000000000000', { ...base, client_secret: APP.secret });
    expect([tenant.status, tenant.body.error, tenant.body.error_codes]).toEqual([400, 'invalid_request', [90002]]);
    const missing = await postToken(TENANT, base);
    expect([missing.status, missing.body.error_codes]).toEqual([401, [7000218]]);
    const scope = await postToken(TENANT, { ...base, client_secret: APP.secret, scope: 'https://vault.azure.net' });
    expect([scope.status, scope.body.error, scope.body.error_codes]).toEqual([400, 'invalid_scope', [70011]]);
  });

  it('serves OIDC discovery for any tenant and counts what it was asked', async () => {
    const before = fx.entra.requests.openidConfiguration;
    const cred = new ClientSecretCredential(OTHER_TENANT, APP.clientId, APP.secret, fx.transport.credentialOptions());
    expect(await aadstsOf(cred.getToken(SCOPE))).toBe('700016');
    expect(fx.entra.requests.openidConfiguration).toBe(before + 1);
    expect(fx.entra.requests.rejected['700016']).toBeGreaterThanOrEqual(1);
  });
});
