import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkspace, findChannel, findUser } from '../../sim/slack/workspace.ts';
import { authorizeNamespace, defaultNamespace, rosterPeople } from '../../src/roster/authorize.ts';
import { loadRoster, MAX_ROSTER_BYTES } from '../../src/roster/roster.ts';

const root = join(import.meta.dirname, '../..');
const CLASSROOM = join(root, 'sim/scenarios/classroom/roster.yaml');
const EXAMPLE = join(root, 'deploy/roster.example.yaml');

describe('the shipped rosters', () => {
  it('reads the documented example with a listed and a selector class', () => {
    const roster = loadRoster(EXAMPLE);
    expect(roster.admins).toEqual(['U0OPERATOR']);
    expect(roster.namespaceAnnotation).toBe('kvlab.io/slack-users');
    expect(roster.classes.map((c) => [c.name, c.namespaces, c.namespaceSelector])).toEqual([
      ['class-a', ['student-01', 'student-02', 'student-03'], undefined],
      ['class-b', undefined, 'kvlab.io/class=class-b'],
    ]);
    expect(roster.classes[0]?.students[0]).toEqual({
      user: 'U0STUDENT01',
      namespace: 'student-01',
      name: 'Amara Okafor',
    });
    expect(defaultNamespace(roster, 'U0STUDENT01')).toBe('student-01');
    expect(authorizeNamespace(roster, 'U0STUDENT01', 'team-blue').ok).toBe(true);
  });

  it('gives every namespace of the simulated classroom exactly one student of class-a', () => {
    const roster = loadRoster(CLASSROOM);
    const scenarioNamespaces = readdirSync(join(root, 'sim/scenarios/classroom/cluster'))
      .filter((f) => /^student-\d+\.yaml$/.test(f))
      .map((f) => f.replace('.yaml', ''))
      .sort();
    expect(scenarioNamespaces).toHaveLength(24);
    const [classA, ...others] = roster.classes;
    expect(others).toEqual([]);
    expect(classA?.name).toBe('class-a');
    expect(classA?.namespaces).toEqual(scenarioNamespaces);
    expect(classA?.students.map((s) => s.namespace).sort()).toEqual(scenarioNamespaces);
    expect(new Set(classA?.students.map((s) => s.user)).size).toBe(24);
    for (const student of classA?.students ?? []) {
      expect(defaultNamespace(roster, student.user)).toBe(student.namespace);
      expect(authorizeNamespace(roster, classA?.instructors[0] ?? '', student.namespace)).toEqual({
        ok: true,
        as: 'instructor',
      });
    }
  });

  it("names only people and channels the Slack simulator's workspace has", () => {
    const roster = loadRoster(CLASSROOM);
    const workspace = createWorkspace({
      users: rosterPeople(roster).map((p) => ({
        id: p.user,
        name: p.name?.toLowerCase().replace(/\s+/g, '.') ?? p.user.toLowerCase(),
        ...(p.name ? { realName: p.name } : {}),
        isAdmin: !p.roles.includes('student'),
      })),
    });
    const defaults = createWorkspace();
    const classA = roster.classes[0]!;
    for (const id of [classA.channel!, classA.alertChannel!]) {
      expect(findChannel(workspace, id)?.botIsMember).toBe(true);
      expect(findChannel(defaults, id)?.id).toBe(id);
    }
    for (const instructor of classA.instructors) expect(findUser(defaults, instructor)?.id).toBe(instructor);
    for (const s of classA.students) {
      expect(findUser(workspace, s.user)?.realName).toBe(s.name);
      expect(findChannel(workspace, classA.channel!)?.members).toContain(s.user);
    }
    expect(findChannel(workspace, classA.alertChannel!)?.members).toEqual([...roster.admins, ...classA.instructors]);
  });
});

describe('loadRoster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvlab-roster-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the path of a missing file and says what to do', () => {
    const path = join(dir, 'absent.yaml');
    expect(() => loadRoster(path)).toThrow(`${path}: cannot read the roster (ENOENT); set KVLAB_CONFIG`);
  });

  it('refuses a directory', () => {
    expect(() => loadRoster(dir)).toThrow(`${dir}: KVLAB_CONFIG must name a roster YAML file`);
  });

  it('refuses an oversized file without parsing it', () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, Buffer.alloc(MAX_ROSTER_BYTES + 1, 0x23));
    expect(() => loadRoster(path)).toThrow(/over the 1048576-byte limit/);
  });

  it('reports mistakes with the path it was given', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'admins: [U0OPERATOR]\nclasses:\n  - name: class-a\n    instrutors: [U0INSTRUCT]\n');
    expect(() => loadRoster(path)).toThrow(
      `${path}:4:5: unknown key "instrutors" in a class; did you mean "instructors"?`,
    );
  });
});
