/**
 * A pod that is not there, diagnosed against the simulated classroom through the real readers: a typo (the closest
 * name), an empty namespace and a namespace that does not exist are each a finding, the checks that need the pod are
 * skipped, and what it costs in Kubernetes API requests (counted by the simulator).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SingleFlightCache } from '../../diagnostics/gather/single-flight-cache.ts';
import { isPodNotFound, runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { renderDiagnosis } from '../../src/slack/render-diagnosis.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

/** Requests the simulated API serves to Entra (OIDC discovery of the issuer), not to kvlab. */
const NOT_KVLAB = new Set(['GET /.well-known/openid-configuration', 'GET /openid/v1/jwks']);

let fx: ClassroomFixture;
beforeAll(async () => {
  fx = await startClassroomFixture();
});
afterAll(() => fx?.classroom.close());

async function diagnoseCold(namespace: string, pod: string) {
  fx.classroom.k8s.requests.reset();
  const gather = { ...fx.engine.gather, cache: new SingleFlightCache(10_000) };
  const result = await runDiagnosis(namespace, pod, fx.engine.ports, gather);
  const counts = fx.classroom.k8s.requests.snapshot() as Record<string, number>;
  const routes = Object.entries(counts).filter(([route]) => !NOT_KVLAB.has(route));
  return { ...result, routes: Object.fromEntries(routes), total: routes.reduce((n, [, c]) => n + c, 0) };
}

describe('diagnosing a pod that does not exist', () => {
  it('suggests the closest name and costs six requests (the pod names, no namespace read)', async () => {
    const { report, podMissing, routes, total } = await diagnoseCold('student-01', 'pod-keyvalut');
    expect(podMissing).toBe(true);
    expect(isPodNotFound(report)).toBe(true);
    expect(report.verdict).toBe('broken');
    expect(report.problems[0]?.title).toBe(
      'Pod pod-keyvalut does not exist in namespace student-01 — did you mean pod-keyvault?',
    );
    // CSIDriver, driver pods, the pod, its events, the namespace's pods, the CRD.
    expect(total, JSON.stringify(routes)).toBe(6);
    expect(routes['GET /api/v1/namespaces/{name}']).toBeUndefined();
    const skipped = report.checks.filter((c) => c.status === 'skip');
    expect(skipped.map((c) => c.summary)).toEqual(
      Array(6).fill('not checked because pod pod-keyvalut does not exist in namespace student-01'),
    );
  });

  it('tells an empty namespace (one more request: does the namespace exist?)', async () => {
    const { report, routes, total } = await diagnoseCold('student-23', 'pod-keyvault');
    expect(report.problems[0]?.title).toBe('Pod pod-keyvault does not exist in namespace student-23');
    expect(report.problems[0]?.cause).toContain('The pods there: none, the namespace has no pods.');
    expect(routes['GET /api/v1/namespaces/{name}']).toBe(1);
    expect(total, JSON.stringify(routes)).toBe(7);
  });

  it('tells a namespace that does not exist', async () => {
    const { report, total } = await diagnoseCold('student-99', 'pod-keyvault');
    expect(report.problems.map((p) => p.title)).toEqual(['Namespace student-99 does not exist']);
    expect(total).toBe(7);
  });

  it('renders in Slack as any broken report, its title the headline', async () => {
    const { report } = await diagnoseCold('student-01', 'pod-keyvalut');
    const { parent, replies } = renderDiagnosis(report, { jobId: 'job-1' });
    expect(parent.text).toBe(
      '❌ student-01/pod-keyvalut is broken: Pod pod-keyvalut does not exist in namespace student-01 — did you mean pod-keyvault?',
    );
    expect(JSON.stringify(replies)).toContain('kvlab diagnose pod-keyvault -n student-01');
  });
});
