/**
 * A read that fails — kvlab's own RBAC says no, the API times out or drops the connection, Key Vault
 * throttles — becomes "could not check X: why" in the report, never a crash and never a healthy verdict.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

let fx: ClassroomFixture;
beforeAll(async () => {
  fx = await startClassroomFixture();
});
afterEach(() => fx.classroom.k8s.faults.clear());
afterAll(() => fx?.classroom.close());

const diagnose = (namespace: string, readTimeoutMs = 2_000) =>
  runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, {
    ...fx.engine.gather,
    readTimeoutMs,
    cache: new SingleFlightCache(10_000),
  });

describe('a diagnosis with failing reads', () => {
  it('reports a Forbidden events read as a gap and still finds the cause elsewhere', async () => {
    fx.classroom.k8s.faults.add({ path: '/api/v1/namespaces/{namespace}/events', status: 403 });
    const { report } = await diagnose('student-13');
    const events = report.checks.find((c) => c.id === 'events');
    expect(events?.status).toBe('error');
    expect(events?.summary).toMatch(/not allowed to read the events of pod student-13\/pod-keyvault/);
    expect(report.problems[0]?.category).toBe('ACCESS_DENIED');
  });

  it('turns a slow SecretProviderClass read into a timeout gap, and the verdict is not healthy', async () => {
    fx.classroom.k8s.faults.add({
      path: '/apis/secrets-store.csi.x-k8s.io/v1/namespaces/{namespace}/secretproviderclasses/{name}',
      latencyMs: 1_500,
    });
    const { report } = await diagnose('student-01', 300);
    const spc = report.checks.find((c) => c.id === 'secret-provider-class');
    expect(spc?.status).toBe('error');
    expect(spc?.summary).toMatch(/timed out/);
    expect(report.verdict).not.toBe('healthy');
  });

  it('survives a dropped connection on the pod read with an inconclusive verdict', async () => {
    fx.classroom.k8s.faults.add({ path: '/api/v1/namespaces/{namespace}/pods/{name}', drop: true });
    const { report } = await diagnose('student-01');
    expect(report.verdict).toBe('inconclusive');
    expect(report.checks.find((c) => c.id === 'pod')?.summary).toMatch(/could not read pod student-01\/pod-keyvault/);
  });

  it('reports a healthy pod as healthy again once the faults are gone', async () => {
    const { report } = await diagnose('student-01');
    expect(report.verdict).toBe('healthy');
  });

  it('gets past Key Vault throttling within its short retries', async () => {
    fx.classroom.keyvault.faults.throttle({ times: 1, retryAfterSeconds: 1 });
    const { report } = await diagnose('student-01');
    expect(report.verdict).toBe('healthy');
  });
});
