/**
 * The proof of issue 14 for what students can fix (run by student-patches-a/b.test.ts): with the kubelet on, every
 * namespace whose top problem the student owns gets a patch; applying it exactly as written (the real kubectl,
 * manifests on stdin, unknowns answered as the instructor would) makes the pod mount, and a second diagnosis is
 * healthy. Patches lint clean and never carry server-set fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerUnknowns } from '../../diagnostics/fixes/answer-unknowns.ts';
import { patchObjects } from '../../diagnostics/fixes/build-patch.ts';
import { lintObjects } from '../../diagnostics/knowledge/lint/index.ts';
import { type FixFixture, hasKubectl, startFixFixture } from './fix-fixture.ts';

/** What the instructor tells a student who asks (the lab's handout values). */
const INSTRUCTOR_ANSWERS: Record<string, Record<string, string>> = {
  'student-08': { '<KEY_VAULT_NAME>': 'kv-kvlab-lab' },
  'student-16': { '<KEY_VAULT_NAME>': 'kv-kvlab-lab' },
  'student-21': { '<KEY_VAULT_NAME>': 'kv-kvlab-lab' },
};

/** Student-owned scenarios of the classroom (ownership.test.ts proves the list is complete). */
export const STUDENT_OWNED = [
  'student-03',
  'student-04',
  'student-05',
  'student-06',
  'student-07',
  'student-08',
  'student-10',
  'student-11',
  'student-12',
  'student-16',
  'student-17',
  'student-18',
  'student-19',
  'student-20',
  'student-21',
  'student-22',
];

/** Registers the proof for `namespaces` (a test file per half keeps each under the time limit). */
export function provePatches(namespaces: readonly string[]): void {
  let fx: FixFixture;
  const seen: string[] = [];
  beforeAll(async () => {
    fx = await startFixFixture();
  }, 30_000);
  afterAll(() => fx?.close());

  describe.runIf(hasKubectl)('student patches, applied with kubectl', () => {
    it.each(namespaces)('%s: the patch mounts the pod and the next diagnosis is healthy', async (namespace) => {
      expect(fx.mounted(namespace)).toBe(false);
      const report = await fx.diagnose(namespace);
      seen.push(JSON.stringify(report));
      const patch = report.problems[0]?.patch;
      expect(patch?.owner).toBe('student');
      if (!patch) return;
      expect(patch.changes.length).toBeGreaterThan(0);
      expect(patch.commands.at(-1)).toBe(`kubectl apply -n ${namespace} -f -`);
      for (const key of [
        'status:',
        'uid:',
        'resourceVersion:',
        'managedFields:',
        'creationTimestamp:',
        'last-applied',
        'nodeName:',
      ]) {
        expect(patch.manifests).not.toContain(key);
      }
      const answered = answerUnknowns(patch, INSTRUCTOR_ANSWERS[namespace] ?? {});
      expect(answered.unknowns, 'every question has an instructor answer').toEqual([]);
      const errors = lintObjects(patchObjects(answered), namespace).filter((f) => f.severity === 'error');
      expect(errors).toEqual([]);
      await fx.applyPatch(answered);
      expect(fx.mounted(namespace)).toBe(true);
      const after = await fx.diagnose(namespace);
      seen.push(JSON.stringify(after));
      expect(after.verdict, JSON.stringify(after.problems[0]?.title)).toBe('healthy');
    });

    it('never puts the canary secret value in a report or patch', () => {
      expect(seen).toHaveLength(2 * namespaces.length);
      expect(seen.join('\n')).not.toContain('KVLAB-CANARY-7f3e9c1d');
    });
  });
}
