/**
 * Every student namespace of the classroom says which lab step it reached (`kvlab.io/expect-progress`),
 * and that answer agrees with the definition in docs/simulator.md as computed from its objects with the
 * real SPC linter — so class status can be tested against the annotation.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/scenarios/load.ts';
import { PROGRESS, progressOf } from './progress-oracle.ts';

describe('kvlab.io/expect-progress on the classroom', () => {
  it('is on every student namespace, is a known step and matches the namespace’s objects', async () => {
    const scenario = await loadScenario('classroom');
    const students = scenario.objects.filter(
      (o) => o.kind === 'Namespace' && String((o.metadata as Record<string, unknown>).name).startsWith('student-'),
    );
    expect(students).toHaveLength(24);
    const annotated = students.map((ns) => {
      const meta = ns.metadata as { name: string; annotations: Record<string, string> };
      return [meta.name, meta.annotations['kvlab.io/expect-progress']];
    });
    for (const [, progress] of annotated) expect(PROGRESS).toContain(progress);
    expect(annotated).toEqual(annotated.map(([name]) => [name, progressOf(scenario.objects, String(name))]));
    expect(Object.fromEntries(annotated)).toMatchObject({
      'student-01': 'readable',
      'student-02': 'synced',
      // The SPC is in namespace default, but the pod was created: the furthest step reached counts.
      'student-04': 'pod-created',
      'student-05': 'pod-created',
      'student-13': 'pod-created',
      // Mounted and readable; its secretObjects names an object that is not mounted, so sync never happens.
      'student-20': 'readable',
      'student-23': 'not-started',
      'student-24': 'spc-valid',
    });
  });
});
