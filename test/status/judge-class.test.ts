/**
 * The pure half of class status on hand-shaped snapshots: progress steps, states, class-wide problems (one
 * vault denying several students the same way), empty namespaces, and an unreadable cluster.
 */
import { describe, expect, it } from 'vitest';
import { judgeClass } from '../../diagnostics/status/class-status.ts';
import { classOf, NOW, type Obj, scenarioObjects, snapshotOf } from './snapshot-from-scenario.ts';

const inNamespace = (objects: Obj[], ns: string) => objects.filter((o) => o.metadata.namespace === ns);

describe('judgeClass', () => {
  it('walks progress step by step: nothing, an SPC, a broken SPC, a pod, mounted, readable, synced', async () => {
    const objects = await scenarioObjects();
    // student-90: namespace only; student-91: a copy of student-01's SPC, no pod; student-92: student-05's
    // invalid SPC (provider azurekeyvault), no pod.
    const copy = (from: string, to: string, kinds: string[]) =>
      inNamespace(objects, from)
        .filter((o) => kinds.includes(o.kind))
        .map((o) => ({
          ...structuredClone(o),
          metadata: { ...structuredClone(o.metadata), namespace: to, uid: undefined },
        }));
    objects.push(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'student-90' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'student-91' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'student-92' } },
      ...copy('student-01', 'student-91', ['SecretProviderClass']),
      ...copy('student-05', 'student-92', ['SecretProviderClass']),
    );
    const report = judgeClass(
      classOf(['student-90', 'student-91', 'student-92', 'student-05', 'student-01', 'student-02']),
      snapshotOf(objects),
      NOW,
    );
    const rows = Object.fromEntries(report.students.map((s) => [s.namespace, s]));
    expect(rows['student-90']).toMatchObject({
      progress: 'not-started',
      state: 'not-started',
      blocker: null,
      pod: null,
    });
    expect(rows['student-91']).toMatchObject({ progress: 'spc-valid', state: 'in-progress', blocker: null });
    expect(rows['student-91']!.note).toContain('no pod yet');
    expect(rows['student-92']).toMatchObject({ progress: 'spc-created', state: 'blocked' });
    expect(rows['student-92']!.blocker).toMatchObject({ category: 'SPC_INVALID', owner: 'student' });
    // A pod on an invalid SPC: the pod step holds although the SPC step before it does not.
    expect(rows['student-05']!.steps).toEqual({
      'spc-created': true,
      'spc-valid': false,
      'pod-created': true,
      mounted: false,
      readable: false,
      synced: false,
    });
    expect(rows['student-05']!.progress).toBe('pod-created');
    expect(rows['student-01']).toMatchObject({ progress: 'readable', state: 'mounted' });
    expect(rows['student-02']).toMatchObject({ progress: 'synced', state: 'mounted' });
    expect(report.summary).toEqual({ students: 6, mounted: 2, blocked: 2, inProgress: 1, notStarted: 1 });
  });

  it('lists one vault that denies several students once, as the instructor’s, and marks their rows', async () => {
    const objects = await scenarioObjects();
    const report = judgeClass(classOf(['student-13', 'student-01']), snapshotOf(objects), NOW);
    expect(report.classProblems).toEqual([]);
    // A second student on the same vault with the same identity and the same 403.
    const clone = inNamespace(objects, 'student-13').map((o) => {
      const c = structuredClone(o);
      c.metadata.namespace = 'student-93';
      if (c.kind === 'Namespace') c.metadata.name = 'student-93';
      if (c.kind === 'Event') c.involvedObject.namespace = 'student-93';
      return c;
    });
    const shared = judgeClass(
      classOf(['student-13', 'student-93', 'student-01']),
      snapshotOf([...objects, ...clone]),
      NOW,
    );
    expect(shared.classProblems.map((p) => [p.category, p.owner, p.namespaces])).toEqual([
      ['ACCESS_DENIED', 'instructor', ['student-13', 'student-93']],
    ]);
    expect(shared.classProblems[0]!.title).toContain('kv-kvlab-lab2');
    expect(shared.students.filter((s) => s.blocker?.classWide).map((s) => s.namespace)).toEqual([
      'student-13',
      'student-93',
    ]);
    expect(shared.blockers.instructor).toEqual([
      { category: 'ACCESS_DENIED', commonProblem: 5, labProblem: '403 Forbidden from Key Vault', students: 2 },
    ]);
  });

  it('times a blocker from its first matching event and activity from the latest change', async () => {
    const objects = await scenarioObjects();
    const report = judgeClass(classOf(['student-17']), snapshotOf(objects), NOW);
    const row = report.students[0]!;
    const failing = inNamespace(objects, 'student-17').filter(
      (o) => o.kind === 'Event' && o.reason === 'FailedMount' && /SecretNotFound|not found/i.test(o.message),
    );
    const first = Math.min(...failing.map((e) => Date.parse(e.firstTimestamp)));
    expect(row.blocker?.category).toBe('SECRET_NOT_FOUND');
    expect(row.blocker?.since).toBe(new Date(first).toISOString());
    expect(Date.parse(row.lastActivity!)).toBeGreaterThanOrEqual(first);
  });

  it('says the cluster could not be read instead of calling everyone "not started"', async () => {
    const snapshot = snapshotOf(await scenarioObjects());
    snapshot.pods = { ok: false, gap: { what: 'pods', reason: 'unavailable', message: 'could not read the pods' } };
    const report = judgeClass(classOf(['student-01']), snapshot, NOW);
    expect(report.students).toEqual([]);
    expect(report.gaps).toEqual(['could not read the pods']);
  });
});
