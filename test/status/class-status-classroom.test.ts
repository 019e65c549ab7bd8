/**
 * Class status against the simulated classroom with the product's real adapters: every student's blocker is
 * what their namespace's `kvlab.io/expect` says, it agrees with a full `kvlab diagnose` (Key Vault replay on),
 * the whole class costs a constant number of API requests, and a cluster-level cause is listed once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTHY } from '../../diagnostics/categories.ts';
import { runDiagnosis } from '../../diagnostics/run-diagnosis.ts';
import { runClassStatus } from '../../diagnostics/status/class-status.ts';
import type { ClassStatusReport } from '../../diagnostics/status/types.ts';
import { type ClassroomFixture, startClassroomFixture } from '../integration/classroom-fixture.ts';

const statusOf = (fx: ClassroomFixture) => {
  const spec = fx.classroom.slack.roster.classes.find((c) => c.name === 'class-a');
  if (!spec) throw new Error('the classroom roster has no class-a');
  return runClassStatus(spec, { cluster: fx.engine.ports.cluster, classes: fx.engine.classes }, fx.engine.gather);
};
const got = (row: ClassStatusReport['students'][number]) =>
  row.state === 'mounted' ? HEALTHY : (row.blocker?.category ?? `(${row.state})`);

describe('class status of the classroom', () => {
  let fx: ClassroomFixture;
  let report: ClassStatusReport;
  let requests: Record<string, number>;
  beforeAll(async () => {
    fx = await startClassroomFixture('classroom');
    fx.classroom.k8s.requests.reset();
    report = await statusOf(fx);
    requests = fx.classroom.k8s.requests.snapshot();
  });
  afterAll(() => fx?.classroom.close());

  it("gives every student with a pod the blocker their namespace's kvlab.io/expect names", () => {
    const byNamespace = new Map(report.students.map((s) => [s.namespace, s]));
    const wrong = fx.expectations
      .map(({ namespace, expect: expected }) => ({ namespace, expected, got: got(byNamespace.get(namespace)!) }))
      .filter((o) => o.expected !== o.got);
    expect(wrong).toEqual([]);
    expect(report.gaps).toEqual([]);
  });

  it("shows every student at the lab step their namespace's kvlab.io/expect-progress names", () => {
    const annotated = fx.classroom.scenario.objects
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata as { name: string; annotations?: Record<string, string> })
      .filter((m) => m.annotations?.['kvlab.io/expect-progress'])
      .map((m) => [m.name, m.annotations?.['kvlab.io/expect-progress']]);
    expect(annotated.length).toBeGreaterThanOrEqual(22);
    const shown = Object.fromEntries(report.students.map((s) => [s.namespace, s.progress]));
    expect(annotated.map(([ns]) => [ns, shown[ns as string]])).toEqual(annotated);
  });

  it('agrees with a full diagnosis (Key Vault replay on) on every student with a pod', async () => {
    const disagreements = [];
    for (const row of report.students.filter((s) => s.pod)) {
      const { report: d } = await runDiagnosis(row.namespace, row.pod!, fx.engine.ports, fx.engine.gather);
      const top = d.verdict === 'healthy' ? HEALTHY : (d.problems[0]?.category ?? `(${d.verdict})`);
      if (top !== got(row)) disagreements.push({ namespace: row.namespace, diagnose: top, status: got(row) });
    }
    expect(disagreements).toEqual([]);
  });

  it('reads the whole class with nine cluster-wide requests, none per student and none for Secrets', () => {
    expect(requests).toEqual({
      'GET /api/v1/namespaces': 1,
      'GET /api/v1/pods': 1,
      'GET /api/v1/events': 1,
      'GET /api/v1/serviceaccounts': 1,
      'GET /apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasses': 1,
      'GET /apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasspodstatuses': 1,
      'GET /apis/storage.k8s.io/v1/csidrivers/{name}': 1,
      // The driver's pods in kube-system, by label: the one namespaced read.
      'GET /api/v1/namespaces/{namespace}/pods': 1,
      'GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}': 1,
    });
  });

  it('keeps roster order, shows progress and when each blocker started', () => {
    expect(report.students.map((s) => s.namespace)).toEqual(
      fx.classroom.slack.roster.classes[0]!.students.map((s) => s.namespace),
    );
    const first = report.students[0]!;
    expect(first).toMatchObject({ namespace: 'student-01', state: 'mounted', progress: 'readable', blocker: null });
    expect(report.students[1]).toMatchObject({ namespace: 'student-02', progress: 'synced' });
    const blocked = report.students.filter((s) => s.blocker);
    expect(blocked.every((s) => s.blocker!.since !== null && s.lastActivity !== null)).toBe(true);
    expect(report.summary).toMatchObject({
      mounted: 2,
      blocked: report.students.length - 2 - report.summary.inProgress - report.summary.notStarted,
    });
  });

  it('splits blockers by who can fix them, with the lab row', () => {
    const instructor = Object.fromEntries(report.blockers.instructor.map((b) => [b.category, b.students]));
    expect(instructor).toMatchObject({ ACCESS_DENIED: 2, FIREWALL: 1 });
    expect(report.blockers.student.find((b) => b.category === 'SECRET_NOT_FOUND')).toEqual({
      category: 'SECRET_NOT_FOUND',
      commonProblem: 4,
      labProblem: 'keyvault error: secret not found',
      students: 1,
    });
    // Two different vaults deny two students: no shared cause, so nothing is class-wide.
    expect(report.classProblems).toEqual([]);
  });
});

describe('class status when the add-on is missing', () => {
  let fx: ClassroomFixture;
  afterAll(() => fx?.classroom.close());

  it('lists the missing driver once, at the top, and marks the rows it blocks', async () => {
    fx = await startClassroomFixture('addon-missing');
    const report = await statusOf(fx);
    expect(report.classProblems.map((p) => [p.category, p.owner, p.namespaces])).toEqual([
      ['CSI_DRIVER_NOT_INSTALLED', 'instructor', ['student-01']],
    ]);
    const row = report.students.find((s) => s.namespace === 'student-01')!;
    expect(row.blocker).toMatchObject({ category: 'CSI_DRIVER_NOT_INSTALLED', classWide: true });
    // The variant keeps only student-01: the others' namespaces do not exist, so they have not started.
    const others = report.students.filter((s) => s.namespace !== 'student-01');
    expect(others.every((s) => s.state === 'not-started' && s.note?.includes('does not exist'))).toBe(true);
  });
});
