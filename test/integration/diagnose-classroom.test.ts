/**
 * The engine's acceptance test: every namespace of every scenario yields the category its
 * `kvlab.io/expect` annotation names as the top problem, a healthy one yields `healthy`, and no broken one
 * is ever reported healthy. Real client-node, @azure/identity and @azure/keyvault-secrets against the sims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTHY } from '../../diagnostics/categories.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { type ClassroomFixture, startClassroomFixture } from './classroom-fixture.ts';

const SCENARIOS = ['classroom', 'addon-missing', 'driver-not-ready', 'crd-missing'];

describe.each(SCENARIOS)('scenario %s', (scenario) => {
  let fx: ClassroomFixture;
  beforeAll(async () => {
    fx = await startClassroomFixture(scenario);
    expect(fx.expectations.length).toBeGreaterThan(0);
  });
  afterAll(() => fx?.classroom.close());

  it('diagnoses every annotated namespace as its annotation expects', async () => {
    const outcomes = [];
    for (const { namespace, expect: expected, story } of fx.expectations) {
      const { report } = await runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, fx.engine.gather);
      const got = report.verdict === 'healthy' ? HEALTHY : (report.problems[0]?.category ?? `(${report.verdict})`);
      outcomes.push({ namespace, story, expected, got, verdict: report.verdict });
      if (expected !== HEALTHY) expect(report.verdict, `${namespace} must never be healthy`).not.toBe('healthy');
    }
    const wrong = outcomes.filter((o) => o.expected !== o.got);
    expect(wrong, JSON.stringify(wrong, null, 2)).toEqual([]);
  });
});
