/**
 * Guarantees of a diagnosis beyond its verdict: the secret value never leaves the probe (a canary planted in
 * the simulated vault appears in no report, rendering or log), and a cold diagnosis costs at most ten
 * Kubernetes API requests (counted by the simulator).
 */
import { ClientAssertionCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { createAzureTransport } from '../../src/azure/transport.ts';
import { renderReportText } from '../../src/cli/render-report.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

const CANARY = 'KVLAB-CANARY-7f3e9c1d';
/** Requests the simulated API serves to Entra (OIDC discovery of the issuer), not to kvlab. */
const NOT_KVLAB = new Set(['GET /.well-known/openid-configuration', 'GET /openid/v1/jwks']);

let fx: ClassroomFixture;
beforeAll(async () => {
  fx = await startClassroomFixture();
});
afterAll(() => fx?.classroom.close());

describe('a diagnosis', () => {
  it('never shows the secret value, although the replay reads the secret that holds it', async () => {
    const vault = fx.classroom.scenario.azure.vaults.find((v) =>
      v.secrets?.some((s) => s.versions.some((ver) => ver.value?.includes(CANARY))),
    );
    expect(vault, 'the classroom plants the canary in a vault').toBeDefined();

    const logged: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => {
      const original = console[m];
      console[m] = (...args: unknown[]) => logged.push(args.map(String).join(' '));
      return () => {
        console[m] = original;
      };
    });
    const outputs: string[] = [];
    let replayedCanarySecret = false;
    try {
      for (const { namespace } of fx.expectations) {
        const { report } = await runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, fx.engine.gather);
        outputs.push(JSON.stringify(report), renderReportText(report, { timings: true }));
        const kv = report.checks.find((c) => c.id === 'key-vault');
        if (kv?.status === 'pass' && kv.summary.includes(vault?.name ?? '?')) replayedCanarySecret = true;
      }
    } finally {
      for (const restore of spies) restore();
    }
    expect(replayedCanarySecret, 'some healthy namespace reads db-password from the canary vault').toBe(true);
    for (const text of [...outputs, ...logged]) expect(text).not.toContain(CANARY);
  });

  it('the canary is really what the vault returns (so the check above can fail)', async () => {
    // Read it as the healthy student's identity would, through the same transport the engine uses.

    const transport = createAzureTransport({
      keyVaultEndpoint: fx.classroom.settings.KVLAB_KEYVAULT_ENDPOINT,
      caPem: fx.classroom.caPem,
      entraEndpoint: fx.classroom.settings.KVLAB_ENTRA_ENDPOINT,
    });
    const token = await fx.engine.ports.cluster.requestServiceAccountToken(
      'student-01',
      'workload-identity-sa',
      'api://AzureADTokenExchange',
      600,
    );
    const spc = await fx.engine.ports.cluster.getSecretProviderClass('student-01', 'azure-kv-secrets');
    const params = spc?.spec?.parameters as Record<string, string>;
    const credential = new ClientAssertionCredential(
      params.tenantId ?? params.tenantID ?? '',
      params.clientID ?? '',
      async () => token?.token ?? '',
      transport.credentialOptions(),
    );
    const client = new SecretClient(
      transport.vaultUrl(params.keyvaultName ?? ''),
      credential,
      transport.secretClientOptions(),
    );
    expect((await client.getSecret('db-password')).value).toContain(CANARY);
  });

  it.each(['student-01', 'student-13', 'student-19', 'student-03'])(
    'costs at most 10 Kubernetes API requests when nothing is cached (%s)',
    async (namespace) => {
      fx.classroom.k8s.requests.reset();
      const gather = { ...fx.engine.gather, cache: new SingleFlightCache(10_000) };
      await runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, gather);
      const counts = fx.classroom.k8s.requests.snapshot() as Record<string, number>;
      const kvlab = Object.entries(counts).filter(([route]) => !NOT_KVLAB.has(route));
      const total = kvlab.reduce((n, [, c]) => n + c, 0);
      expect(total, JSON.stringify(kvlab)).toBeLessThanOrEqual(10);
      expect(total).toBeGreaterThanOrEqual(5);
    },
  );

  it('shares cluster-wide reads between concurrent diagnoses', async () => {
    fx.classroom.k8s.requests.reset();
    const gather = { ...fx.engine.gather, cache: new SingleFlightCache(10_000) };
    await Promise.all(
      fx.expectations.map(({ namespace }) => runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, gather)),
    );
    expect(fx.classroom.k8s.requests.get('GET /apis/storage.k8s.io/v1/csidrivers/{name}')).toBe(1);
    expect(fx.classroom.k8s.requests.get('GET /api/v1/namespaces/{namespace}/pods')).toBe(1);
  });
});
