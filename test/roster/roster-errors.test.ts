import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../diagnostics/errors.ts';
import { parseRoster } from '../../src/roster/roster.ts';

/** Parses `lines` joined as a file and returns the ConfigError message it must throw. */
function errorOf(lines: string[]): string {
  try {
    parseRoster(`${lines.join('\n')}\n`, 'roster.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected parseRoster to throw');
}

const HEAD = ['admins: [U0OPERATOR]', 'classes:', '  - name: class-a', '    instructors: [U0INSTRUCT]'];

describe('parseRoster refuses mistakes at their line and column', () => {
  it.each<[string, string[], string, RegExp]>([
    ['an empty file', [''], 'roster.yaml:1:1:', /roster is empty.*roster\.example\.yaml/],
    ['a file of comments only', ['# nothing yet', ''], 'roster.yaml:1:1:', /roster is empty/],
    ['a YAML syntax error', ['admins: [U0OPERATOR', 'classes: []'], 'roster.yaml:2:', /invalid YAML/],
    ['a duplicate key', ['admins: [U0A1]', 'admins: [U0A2]'], 'roster.yaml:2:1:', /appears twice/],
    ['a list at the top', ['- admins'], 'roster.yaml:1:1:', /must be a mapping/],
    [
      'a misspelt top-level key',
      [...HEAD, '    namespaces: [ns-a]', 'namespaceAnotation: a/b'],
      'roster.yaml:6:1:',
      /unknown key "namespaceAnotation".*did you mean "namespaceAnnotation"\?/,
    ],
    [
      'an unknown key with no near match',
      [...HEAD, '    namespaces: [ns-a]', 'colour: blue'],
      'roster.yaml:6:1:',
      /unknown key "colour" in the roster\. Allowed keys: admins, classes, namespaceAnnotation/,
    ],
    ['missing admins', ['classes: []'], 'roster.yaml:1:1:', /no "admins:"/],
    ['empty admins', ['admins: []', 'classes: []'], 'roster.yaml:1:9:', /"admins" is empty/],
    [
      'a display name as admin',
      ['admins:', '  - "@olga"'],
      'roster.yaml:2:5:',
      /"@olga" is not a Slack user id.*Copy member ID/,
    ],
    ['a lowercase user id', ['admins: [U0OPERATOR, u0other]'], 'roster.yaml:1:22:', /"u0other" is not a Slack user id/],
    [
      'an admin listed twice',
      ['admins:', '  - U0OPERATOR', '  - U0OPERATOR'],
      'roster.yaml:3:5:',
      /listed twice in "admins" \(first at 2:5\)/,
    ],
    ['a numeric id', ['admins: [12345]'], 'roster.yaml:1:10:', /must be text, not the number 12345/],
    ['missing classes', ['admins: [U0OPERATOR]'], 'roster.yaml:1:1:', /no "classes:"/],
    ['no classes', ['admins: [U0OPERATOR]', 'classes:'], 'roster.yaml:2:9:', /"classes" is empty/],
    [
      'a class without a name',
      ['admins: [U0OPERATOR]', 'classes:', '  - instructors: [U0INSTRUCT]'],
      'roster.yaml:3:5:',
      /no "name:"/,
    ],
    [
      'a class name that is not DNS-1123',
      ['admins: [U0OPERATOR]', 'classes:', '  - name: Class_A'],
      'roster.yaml:3:11:',
      /"Class_A" is not a valid name/,
    ],
    [
      'a class without instructors',
      ['admins: [U0OPERATOR]', 'classes:', '  - name: class-a', '    namespaces: [ns-a]'],
      'roster.yaml:3:5:',
      /class "class-a" has no "instructors:"/,
    ],
    [
      'a misspelt class key',
      [...HEAD, '    namespace: [ns-a]'],
      'roster.yaml:5:5:',
      /unknown key "namespace" in a class; did you mean "namespaces"\?/,
    ],
    [
      'a channel name instead of an id',
      [...HEAD, '    namespaces: [ns-a]', '    channel: "#class-a"'],
      'roster.yaml:6:14:',
      /the channel of class "class-a" "#class-a" is not a Slack channel id/,
    ],
    [
      'a user id as alert channel',
      [...HEAD, '    namespaces: [ns-a]', '    alertChannel: U0INSTRUCT'],
      'roster.yaml:6:19:',
      /alertChannel .*not a Slack channel id/,
    ],
    ['neither namespaces nor selector', HEAD, 'roster.yaml:3:5:', /neither "namespaces:" nor "namespaceSelector:"/],
    [
      'both namespaces and selector',
      [...HEAD, '    namespaces: [ns-a]', '    namespaceSelector: a=b'],
      'roster.yaml:6:5:',
      /both "namespaces" and "namespaceSelector"/,
    ],
    [
      'an invalid namespace',
      [...HEAD, '    namespaces:', '      - student-01', '      - Student-02'],
      'roster.yaml:7:9:',
      /namespace "Student-02" is not a valid name/,
    ],
    [
      'a namespace listed twice',
      [...HEAD, '    namespaces: [student-01, student-01]'],
      'roster.yaml:5:30:',
      /listed twice in class "class-a" \(first at 5:18\)/,
    ],
    [
      'an invalid selector',
      [...HEAD, '    namespaceSelector: "tier in ()"'],
      'roster.yaml:5:24:',
      /namespaceSelector of class "class-a" is invalid: "tier in \(\)" lists no values/,
    ],
    ['an empty selector', [...HEAD, '    namespaceSelector: " "'], 'roster.yaml:5:24:', /would select every namespace/],
    [
      'two classes with one name',
      [...HEAD, '    namespaces: [ns-a]', '  - name: class-a', '    instructors: [U0B1]', '    namespaces: [ns-b]'],
      'roster.yaml:6:5:',
      /class "class-a" is defined twice \(first at 3:5\)/,
    ],
    [
      'one namespace in two classes',
      [
        ...HEAD,
        '    namespaces: [ns-a]',
        '  - name: class-b',
        '    instructors: [U0B1]',
        '    namespaces: [ns-b, ns-a]',
      ],
      'roster.yaml:8:24:',
      /namespace ns-a is already in class "class-a" \(5:18\)/,
    ],
    [
      'a student outside the namespace list',
      [...HEAD, '    namespaces: [ns-a]', '    students:', '      - { user: U0S1, namespace: ns-b }'],
      'roster.yaml:7:34:',
      /U0S1's namespace ns-b is not one of the namespaces of class "class-a"/,
    ],
    [
      'a student listed twice in one class',
      [
        ...HEAD,
        '    namespaces: [ns-a, ns-b]',
        '    students:',
        '      - { user: U0S1, namespace: ns-a }',
        '      - user: U0S1',
        '        namespace: ns-b',
      ],
      'roster.yaml:8:15:',
      /U0S1 is listed twice as a student of class "class-a" \(first at 7:17\)/,
    ],
    [
      'a student without a namespace',
      [...HEAD, '    namespaceSelector: a=b', '    students:', '      - user: U0S1'],
      'roster.yaml:7:9:',
      /has no "namespace:"/,
    ],
    [
      'a misspelt student key',
      [...HEAD, '    namespaceSelector: a=b', '    students:', '      - { user: U0S1, namespace: ns-a, nmae: Ana }'],
      'roster.yaml:7:40:',
      /did you mean "name"\?/,
    ],
    [
      'an annotation key that is not one',
      [...HEAD, '    namespaces: [ns-a]', 'namespaceAnnotation: "slack users"'],
      'roster.yaml:6:22:',
      /"slack users" is not a Kubernetes annotation key/,
    ],
    [
      'a value missing after a colon',
      [...HEAD, '    namespaces: [ns-a]', 'namespaceAnnotation:'],
      'roster.yaml:6:21:',
      /"namespaceAnnotation" has no value/,
    ],
    ['an empty list item', ['admins:', '  -', 'classes: []'], 'roster.yaml:2:4:', /a user in "admins" has no value/],
    ['two YAML documents', ['admins: [U0OPERATOR]', '---', 'classes: []'], 'roster.yaml:2:1:', /second document/],
    ['an alias to no anchor', [...HEAD.slice(0, 3), '    instructors: *ops'], 'roster.yaml:4:18:', /names no anchor/],
    [
      'a student given as a bare id',
      [...HEAD, '    namespaces: [ns-a]', '    students:', '      - U0S1'],
      'roster.yaml:7:9:',
      /a student of class "class-a" must be a mapping of user, namespace, name/,
    ],
  ])('%s', (_name, lines, where, what) => {
    const message = errorOf(lines);
    expect(message.slice(0, where.length), message).toBe(where);
    expect(message).toMatch(what);
  });

  it('follows anchors, so classes may share an instructor list', () => {
    const roster = parseRoster(
      'admins: &ops [U0OPERATOR]\nclasses:\n  - name: class-a\n    instructors: *ops\n    namespaces: [ns-a]\n',
      'roster.yaml',
    );
    expect(roster.classes[0]?.instructors).toEqual(['U0OPERATOR']);
  });

  it('refuses a file over 1 MiB before parsing it', () => {
    const text = `admins: [U0OPERATOR]\n# ${'x'.repeat(1024 * 1024)}\n`;
    expect(() => parseRoster(text, '/etc/kvlab/roster.yaml')).toThrow(
      /^\/etc\/kvlab\/roster\.yaml: the roster is \d+ bytes, over the 1048576-byte limit/,
    );
  });
});
