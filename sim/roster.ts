/**
 * The simulators' own reader of a classroom roster YAML (the format of deploy/roster.example.yaml): just enough to
 * build the simulated Slack workspace — who the admins, instructors and students are, their names, the classes'
 * channels and namespaces. The simulators never import product code (test/architecture/dependencies.test.ts); the
 * product validates the same file with its own strict parser (src/roster/roster.ts) when it loads KVLAB_CONFIG.
 * The shape is the product's `Roster`, field for field, so a test may hand this roster to the bot.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface SimClass {
  name: string;
  channel?: string;
  alertChannel?: string;
  alertDmStudents?: boolean;
  answers?: 'channel' | 'private';
  instructors: string[];
  namespaces?: string[];
  namespaceSelector?: string;
  students: Array<{ user: string; namespace: string; name?: string }>;
}

export interface SimRoster {
  admins: string[];
  classes: SimClass[];
  namespaceAnnotation?: string;
  knowledgeCommands?: 'roster' | 'everyone';
}

/** Reads a roster file; a file that is not a roster at all is an error naming the path. */
export function readSimRoster(path: string): SimRoster {
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown> | null;
  if (!doc || !Array.isArray(doc.admins) || !Array.isArray(doc.classes)) {
    throw new Error(`${path} is not a kvlab roster (it needs "admins:" and "classes:")`);
  }
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const optional = <K extends string>(key: K, v: unknown) => (typeof v === 'string' ? { [key]: v } : {});
  const roster: SimRoster = {
    admins: strings(doc.admins),
    classes: (doc.classes as Array<Record<string, unknown>>).map((c) => ({
      name: String(c.name),
      ...optional('channel', c.channel),
      ...optional('alertChannel', c.alertChannel),
      ...(typeof c.alertDmStudents === 'boolean' ? { alertDmStudents: c.alertDmStudents } : {}),
      ...(c.answers === 'channel' || c.answers === 'private' ? { answers: c.answers } : {}),
      instructors: strings(c.instructors),
      ...(Array.isArray(c.namespaces) ? { namespaces: strings(c.namespaces) } : {}),
      ...optional('namespaceSelector', c.namespaceSelector),
      students: ((c.students as Array<Record<string, unknown>> | undefined) ?? []).map((s) => ({
        user: String(s.user),
        namespace: String(s.namespace),
        ...optional('name', s.name),
      })),
    })),
    ...optional('namespaceAnnotation', doc.namespaceAnnotation),
  };
  if (doc.knowledgeCommands === 'roster' || doc.knowledgeCommands === 'everyone') {
    roster.knowledgeCommands = doc.knowledgeCommands;
  }
  return roster;
}

/** Everyone on the roster once, with a student's name when the roster gives one, and whether they teach or run it. */
export function simRosterPeople(roster: SimRoster): Array<{ user: string; name?: string; staff: boolean }> {
  const staff = new Set([...roster.admins, ...roster.classes.flatMap((c) => c.instructors)]);
  const users = new Set([
    ...roster.admins,
    ...roster.classes.flatMap((c) => [...c.instructors, ...c.students.map((s) => s.user)]),
  ]);
  return [...users].map((user) => {
    const name = roster.classes.flatMap((c) => c.students).find((s) => s.user === user && s.name)?.name;
    return { user, staff: staff.has(user), ...(name ? { name } : {}) };
  });
}
