/**
 * A replay asks each service once: one TokenRequest and one Entra token exchange per diagnosis, although the
 * probe asks for the token itself (to tell Entra's answer from Key Vault's) and every Key Vault client asks again
 * after its challenge (src/azure/shared-token-exchange.ts). Counted by the simulators. Entra is reached as
 * login.microsoftonline.com (KVLAB_ENTRA_ENDPOINT), so MSAL uses its built-in metadata, as against Azure: no OpenID
 * discovery request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

const TOKEN_REQUEST = 'POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token';

let fx: ClassroomFixture;

/** Key Vault's requests per route since `before` (the simulator's counters). */
function routesSince(before: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [route, n] of Object.entries(fx.classroom.keyvault.requests.routes)) {
    if (n > (before[route] ?? 0)) delta[route] = n - (before[route] ?? 0);
  }
  return delta;
}
beforeAll(async () => {
  fx = await startClassroomFixture();
});
afterAll(() => fx?.classroom.close());

describe('a replay of the mount', () => {
  it.each([
    ['student-01', 'pass'], // healthy: both secrets read
    ['student-13', 'fail'], // the identity may not read the vault (403)
    ['student-17', 'fail'], // one object missing: the vault's names are listed too
  ])('exchanges the pod token at Entra exactly once (%s)', async (namespace, status) => {
    const { entra, k8s } = fx.classroom;
    const before = {
      token: entra.requests.token,
      issued: entra.requests.issued,
      discovery: entra.requests.openidConfiguration,
    };
    const vaultBefore = { ...fx.classroom.keyvault.requests.routes };
    k8s.requests.reset();
    const gather = { ...fx.engine.gather, cache: new SingleFlightCache(10_000) };
    const { report } = await runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, gather);

    expect(report.checks.find((c) => c.id === 'key-vault')?.status).toBe(status);
    expect(k8s.requests.get(TOKEN_REQUEST)).toBe(1);
    expect(entra.requests.token - before.token).toBe(1);
    expect(entra.requests.issued - before.issued).toBe(1);
    expect(entra.requests.openidConfiguration - before.discovery).toBe(0);
    // No object of these SPCs sets objectVersionHistory: no version listing. Each of the two secrets is one get,
    // sent first without a token (Key Vault's 401 challenge) and again with it.
    const vault = routesSince(vaultBefore);
    expect(Object.keys(vault).filter((route) => route.endsWith('Versions'))).toEqual([]);
    expect(vault.getSecret).toBe(4);
  });

  it('asks Entra once and reports its refusal, not a Key Vault error, when the exchange fails (student-09)', async () => {
    const { entra } = fx.classroom;
    const before = entra.requests.token;
    const gather = { ...fx.engine.gather, cache: new SingleFlightCache(10_000) };
    const { report } = await runDiagnosis('student-09', 'pod-keyvault', fx.engine.ports, gather);

    const keyVault = report.checks.find((c) => c.id === 'key-vault');
    expect(keyVault?.status).toBe('fail');
    expect(keyVault?.summary).toMatch(/^Entra ID refused the token exchange/);
    expect(entra.requests.token - before).toBe(1);
  });
});
