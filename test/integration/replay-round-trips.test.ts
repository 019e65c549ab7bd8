/**
 * A replay asks each service once: one TokenRequest and one Entra token exchange per diagnosis, although the
 * probe asks for the token itself (to tell Entra's answer from Key Vault's) and every Key Vault client asks again
 * after its challenge (src/azure/shared-token-exchange.ts). Counted by the simulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

const TOKEN_REQUEST = 'POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token';

let fx: ClassroomFixture;
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
    const before = { token: entra.requests.token, issued: entra.requests.issued };
    k8s.requests.reset();
    const gather = { ...fx.engine.gather, cache: new SingleFlightCache(10_000) };
    const { report } = await runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, gather);

    expect(report.checks.find((c) => c.id === 'key-vault')?.status).toBe(status);
    expect(k8s.requests.get(TOKEN_REQUEST)).toBe(1);
    expect(entra.requests.token - before.token).toBe(1);
    expect(entra.requests.issued - before.issued).toBe(1);
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
