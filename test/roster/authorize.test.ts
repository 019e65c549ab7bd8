import { describe, expect, it } from 'vitest';
import {
  authorizeNamespace,
  classByName,
  classOfNamespace,
  defaultNamespace,
  identify,
  rosterPeople,
  usersFromAnnotations,
} from '../../src/roster/authorize.ts';
import { parseRoster } from '../../src/roster/roster.ts';

const roster = parseRoster(
  `
admins: [U0ADMIN1, U0ADMIN2]
namespaceAnnotation: kvlab.io/slack-users
classes:
  - name: class-a
    instructors: [U0TEACHA]
    namespaces: [student-01, student-02, student-03]
    students:
      - { user: U0ALICE, namespace: student-01, name: Alice }
      - { user: U0BOB, namespace: student-02 }
  - name: class-b
    instructors: [U0TEACHB, U0TEACHB2]
    namespaceSelector: kvlab.io/class=class-b,tier notin (legacy)
    students:
      - { user: U0CAROL, namespace: team-red }
      - { user: U0ALICE, namespace: team-blue }
`,
  'roster.yaml',
);
const CLASS_B = { 'kvlab.io/class': 'class-b' };

describe('authorizeNamespace', () => {
  it.each<[string, string, string, object, string | false]>([
    ['a student, own namespace', 'U0BOB', 'student-02', {}, 'student'],
    ['a student, a classmate namespace', 'U0BOB', 'student-01', {}, false],
    ['a student in two classes, the second one', 'U0ALICE', 'team-blue', {}, 'student'],
    ['a student, a system namespace', 'U0ALICE', 'kube-system', {}, false],
    ['an instructor, a listed namespace of their class', 'U0TEACHA', 'student-03', {}, 'instructor'],
    ['an instructor, a namespace of another class', 'U0TEACHA', 'team-red', {}, false],
    ['an instructor, a namespace outside every class', 'U0TEACHA', 'default', {}, false],
    ['a selector instructor, a student namespace of their class', 'U0TEACHB', 'team-red', {}, 'instructor'],
    ['a selector instructor, labels matching', 'U0TEACHB2', 'team-green', { namespaceLabels: CLASS_B }, 'instructor'],
    [
      'a selector instructor, labels not matching',
      'U0TEACHB',
      'team-green',
      { namespaceLabels: { ...CLASS_B, tier: 'legacy' } },
      false,
    ],
    ['a selector instructor, labels unknown', 'U0TEACHB', 'team-green', {}, false],
    [
      'a selector instructor, a listed namespace of another class',
      'U0TEACHB',
      'student-01',
      { namespaceLabels: {} },
      false,
    ],
    ['an admin, anything', 'U0ADMIN2', 'kube-system', {}, 'admin'],
    ['a stranger', 'U0NOBODY', 'student-01', {}, false],
    [
      'a stranger named in the namespace annotation',
      'U0NOBODY',
      'student-04',
      { annotatedUsers: ['U0OTHER', 'U0NOBODY'] },
      'student',
    ],
    [
      'a student named in another namespace annotation',
      'U0BOB',
      'student-03',
      { annotatedUsers: ['U0BOB'] },
      'student',
    ],
    ['a stranger not named in the annotation', 'U0NOBODY', 'student-04', { annotatedUsers: ['U0OTHER'] }, false],
  ])('%s', (_name, user, namespace, extra, expected) => {
    const decision = authorizeNamespace(roster, user, namespace, extra);
    expect(decision.ok ? decision.as : false).toBe(expected);
  });

  it('reads annotated users from the configured annotation only', () => {
    const annotations = { 'kvlab.io/slack-users': ' U0NOBODY, ,@bob,U0OTHER', other: 'U0BOB' };
    expect(usersFromAnnotations(roster, annotations)).toEqual(['U0NOBODY', 'U0OTHER']);
    expect(usersFromAnnotations(roster, { other: 'U0BOB' })).toEqual([]);
    expect(usersFromAnnotations(roster, undefined)).toEqual([]);
    expect(usersFromAnnotations({ ...roster, namespaceAnnotation: undefined }, annotations)).toEqual([]);
  });

  it('ignores annotated users when the roster names no annotation', () => {
    const plain = { ...roster, namespaceAnnotation: undefined };
    expect(authorizeNamespace(plain, 'U0NOBODY', 'student-04', { annotatedUsers: ['U0NOBODY'] }).ok).toBe(false);
  });

  it('tells a stranger to ask the admins', () => {
    const d = authorizeNamespace(roster, 'U0NOBODY', 'student-01');
    expect(d).toEqual({
      ok: false,
      reason: expect.stringMatching(/^Sorry, you are not on the kvlab roster.*\.$/),
      whomToAsk: ['U0ADMIN1', 'U0ADMIN2'],
    });
  });

  it("tells a student to ask the instructors of the namespace's class", () => {
    const d = authorizeNamespace(roster, 'U0CAROL', 'student-01');
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.whomToAsk).toEqual(['U0TEACHA']);
    expect(d.reason).toBe('Sorry, you can diagnose only your own namespace (team-red), not student-01.');
  });

  it('tells a student asking about a namespace of no class to ask their own instructors', () => {
    const d = authorizeNamespace(roster, 'U0ALICE', 'kube-system');
    expect(d.ok ? [] : d.whomToAsk).toEqual(['U0TEACHA', 'U0TEACHB', 'U0TEACHB2']);
    expect(d.ok ? '' : d.reason).toMatch(/your own namespaces \(student-01, team-blue\), not kube-system/);
  });

  it('tells an instructor to ask the other class instructors, never themselves', () => {
    const d = authorizeNamespace(roster, 'U0TEACHB', 'student-02');
    expect(d.ok ? [] : d.whomToAsk).toEqual(['U0TEACHA']);
    expect(d.ok ? '' : d.reason).toMatch(
      /^Sorry, student-02 belongs to class-a, not to class-b, the class you teach\./,
    );
  });

  it('says when a selector could not be checked, and names the admins for an unclassed namespace', () => {
    const d = authorizeNamespace(roster, 'U0TEACHB', 'team-green');
    expect(d.ok ? '' : d.reason).toMatch(
      /could not confirm that team-green belongs to class-b, the class you teach \(its labels were not read\)/,
    );
    expect(d.ok ? [] : d.whomToAsk).toEqual(['U0ADMIN1', 'U0ADMIN2']);
  });
});

describe('roster lookups', () => {
  it('identifies every role a user holds', () => {
    expect(identify(roster, 'U0ALICE')).toEqual({
      user: 'U0ALICE',
      roles: ['student'],
      ownNamespaces: ['student-01', 'team-blue'],
      instructs: [],
    });
    expect(identify(roster, 'U0TEACHB')?.instructs).toEqual(['class-b']);
    expect(identify(roster, 'U0ADMIN1')?.roles).toEqual(['admin']);
    expect(identify(roster, 'U0NOBODY')).toBeUndefined();
  });

  it("defaults a student's diagnosis to their first namespace and nobody else's", () => {
    expect(defaultNamespace(roster, 'U0ALICE')).toBe('student-01');
    expect(defaultNamespace(roster, 'U0TEACHA')).toBeUndefined();
    expect(defaultNamespace(roster, 'U0NOBODY')).toBeUndefined();
  });

  it('finds classes by name and by namespace, using labels for selectors', () => {
    expect(classByName(roster, 'class-b')?.instructors).toEqual(['U0TEACHB', 'U0TEACHB2']);
    expect(classByName(roster, 'class-c')).toBeUndefined();
    expect(classOfNamespace(roster, 'student-03')?.name).toBe('class-a');
    expect(classOfNamespace(roster, 'team-red')?.name).toBe('class-b');
    expect(classOfNamespace(roster, 'team-green')).toBeUndefined();
    expect(classOfNamespace(roster, 'team-green', CLASS_B)?.name).toBe('class-b');
  });

  it('lists everyone once, admins first, with student names', () => {
    const people = rosterPeople(roster);
    expect(people.map((p) => p.user)).toEqual([
      'U0ADMIN1',
      'U0ADMIN2',
      'U0TEACHA',
      'U0ALICE',
      'U0BOB',
      'U0TEACHB',
      'U0TEACHB2',
      'U0CAROL',
    ]);
    expect(people.find((p) => p.user === 'U0ALICE')?.name).toBe('Alice');
  });
});
