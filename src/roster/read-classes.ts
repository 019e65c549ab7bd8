/**
 * Reads the roster's `classes:` list and checks what spans entries: class names unique, each namespace listed by
 * one class only, every student's namespace inside the class's list, no user twice as a student of one class.
 */
import type { Node, Scalar } from 'yaml';
import { parseLabelSelector } from './label-selector.ts';
import { readChannelId, readDnsLabel, readUserId, readUserIds } from './read-ids.ts';
import type { ClassConfig } from './roster.ts';
import { readList, readMap, readString, type YamlFile } from './yaml-nodes.ts';

const CLASS_KEYS = [
  'name',
  'channel',
  'alertChannel',
  'alertDmStudents',
  'answers',
  'instructors',
  'namespaces',
  'namespaceSelector',
  'students',
] as const;
const STUDENT_KEYS = ['user', 'namespace', 'name'] as const;

/** The classes, in file order; at least one. */
export function readClasses(file: YamlFile, node: Node | undefined, at: Scalar): ClassConfig[] {
  const items = readList(file, node, '"classes"');
  if (items.length === 0) file.fail(node ?? at, '"classes" is empty; add at least one class (name, instructors, …).');
  const classAt = new Map<string, Node>();
  const namespaceOwner = new Map<string, { cls: string; node: Node }>();
  return items.map((item) => {
    const cls = readClass(file, item);
    const first = classAt.get(cls.name);
    if (first) {
      file.fail(item, `class "${cls.name}" is defined twice (first at ${file.where(first)}); class names must differ.`);
    }
    classAt.set(cls.name, item);
    for (const [namespace, where] of cls.namespaceNodes) {
      const owner = namespaceOwner.get(namespace);
      if (owner) {
        file.fail(
          where,
          `namespace ${namespace} is already in class "${owner.cls}" (${file.where(owner.node)}); a namespace belongs to one class, so that its instructors are the ones asked.`,
        );
      }
      namespaceOwner.set(namespace, { cls: cls.name, node: where });
    }
    return cls.config;
  });
}

function readClass(
  file: YamlFile,
  node: Node,
): { name: string; config: ClassConfig; namespaceNodes: [string, Node][] } {
  const entries = readMap(file, node, CLASS_KEYS, 'a class');
  const nameEntry = entries.get('name');
  if (!nameEntry) file.fail(node, 'this class has no "name:"; give it a short DNS-1123 name such as class-a.');
  const name = readDnsLabel(file, nameEntry.value, 'the class name', nameEntry.key);
  const what = `class "${name}"`;
  const instructors = entries.get('instructors');
  if (!instructors) {
    file.fail(node, `${what} has no "instructors:"; list the Slack user ids of the people who teach it.`);
  }
  const config: ClassConfig = {
    name,
    instructors: readUserIds(file, instructors.value, `the instructors of ${what}`, instructors.key, {
      atLeastOne: true,
    }),
    students: [],
  };
  for (const key of ['channel', 'alertChannel'] as const) {
    const entry = entries.get(key);
    if (entry) config[key] = readChannelId(file, entry.value, `the ${key} of ${what}`, entry.key);
  }
  const answers = entries.get('answers');
  if (answers) {
    const value = (answers.value as Scalar | undefined)?.value;
    if (value !== 'channel' && value !== 'private') {
      file.fail(
        answers.value ?? answers.key,
        `answers of ${what} must be "channel" (diagnoses in the class channel, where students learn from each other) or "private" (each student's diagnosis in a DM to them).`,
      );
    }
    config.answers = value;
  }
  const dm = entries.get('alertDmStudents');
  if (dm) {
    const value = (dm.value as Scalar | undefined)?.value;
    if (typeof value !== 'boolean') file.fail(dm.value ?? dm.key, `alertDmStudents of ${what} must be true or false.`);
    if (value) config.alertDmStudents = true;
  }

  const listed = entries.get('namespaces');
  const selector = entries.get('namespaceSelector');
  if (listed && selector) {
    file.fail(
      selector.key,
      `${what} has both "namespaces" and "namespaceSelector"; keep one (a list, or a label selector matching them).`,
    );
  }
  if (!listed && !selector) {
    file.fail(
      node,
      `${what} has neither "namespaces:" nor "namespaceSelector:"; list its namespaces or give a label selector such as kvlab.io/class=${name}.`,
    );
  }
  const namespaceNodes: [string, Node][] = [];
  if (listed) {
    const items = readList(file, listed.value, `the namespaces of ${what}`);
    if (items.length === 0) file.fail(listed.value ?? listed.key, `the namespaces of ${what} are empty; list some.`);
    for (const item of items) {
      const namespace = readDnsLabel(file, item, `namespace`, item);
      const twice = namespaceNodes.find(([n]) => n === namespace);
      if (twice)
        file.fail(item, `namespace ${namespace} is listed twice in ${what} (first at ${file.where(twice[1])}).`);
      namespaceNodes.push([namespace, item]);
    }
    config.namespaces = namespaceNodes.map(([n]) => n);
  }
  if (selector) {
    const text = readString(file, selector.value, `the namespaceSelector of ${what}`, selector.key);
    try {
      parseLabelSelector(text);
    } catch (err) {
      file.fail(selector.value, `the namespaceSelector of ${what} is invalid: ${(err as Error).message}.`);
    }
    config.namespaceSelector = text;
  }

  const students = entries.get('students');
  const studentAt = new Map<string, Node>();
  for (const item of readList(file, students?.value, `the students of ${what}`)) {
    const student = readMap(file, item, STUDENT_KEYS, `a student of ${what}`);
    const user = student.get('user');
    const namespace = student.get('namespace');
    if (!user) file.fail(item, `this student of ${what} has no "user:"; give their Slack user id.`);
    if (!namespace) file.fail(item, `this student of ${what} has no "namespace:"; give the namespace they work in.`);
    const entry: ClassConfig['students'][number] = {
      user: readUserId(file, user.value, 'the student user', user.key),
      namespace: readDnsLabel(file, namespace.value, 'the student namespace', namespace.key),
    };
    const first = studentAt.get(entry.user);
    if (first) {
      file.fail(
        user.value,
        `${entry.user} is listed twice as a student of ${what} (first at ${file.where(first)}); give one entry per person, or move the second namespace to another class.`,
      );
    }
    studentAt.set(entry.user, user.value ?? item);
    if (config.namespaces && !config.namespaces.includes(entry.namespace)) {
      file.fail(
        namespace.value,
        `${entry.user}'s namespace ${entry.namespace} is not one of the namespaces of ${what}; add it to "namespaces" or fix the name.`,
      );
    }
    const displayName = student.get('name');
    if (displayName) entry.name = readString(file, displayName.value, 'the student name', displayName.key);
    config.students.push(entry);
  }
  return { name, config, namespaceNodes };
}
