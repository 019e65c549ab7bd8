/**
 * Which classroom scenarios the fixes cover: every broken namespace's top problem is owned by the student or the
 * instructor, and each list the proofs run over is exactly the classroom's — a new scenario cannot slip by unproven.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ClassroomFixture, startClassroomFixture } from '../integration/classroom-fixture.ts';
import { STUDENT_OWNED } from './prove-student-patches.ts';

let fx: ClassroomFixture;
beforeAll(async () => {
  fx = await startClassroomFixture();
});
afterAll(() => fx?.classroom.close());

it('splits the broken classroom namespaces into the proven student and instructor lists', async () => {
  const owners: Record<string, string[]> = { student: [], instructor: [] };
  for (const { namespace, expect: expected } of fx.expectations) {
    if (expected === 'healthy') continue;
    const { runDiagnosis } = await import('../../diagnostics/run-diagnosis.ts');
    const { report } = await runDiagnosis(namespace, 'pod-keyvault', fx.engine.ports, fx.engine.gather);
    const top = report.problems[0];
    owners[top?.owner ?? 'none']?.push(namespace);
    expect(top?.patch, `${namespace} has a patch`).toBeDefined();
  }
  expect(owners.student).toEqual(STUDENT_OWNED);
  expect(owners.instructor).toEqual(['student-09', 'student-13', 'student-14', 'student-15']);
});
