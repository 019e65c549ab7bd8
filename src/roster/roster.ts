/**
 * The classroom roster (`KVLAB_CONFIG`): classes, their namespaces (a list or a label selector), instructors,
 * channels, admins, and which Slack user works in which namespace. It is read and validated once at start; a bad
 * file stops the program with `path:line:col` and what to change (docs/configuration.md). The annotated example
 * is deploy/roster.example.yaml.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../../diagnostics/errors.ts';
import { isQualifiedName } from './label-selector.ts';
import { readClasses } from './read-classes.ts';
import { readUserIds } from './read-ids.ts';
import { parseYamlFile, readMap, readString, type YamlFile } from './yaml-nodes.ts';

/** The whole roster. */
export interface Roster {
  /** Slack user ids allowed everything, and asked by people who are not on the roster. At least one. */
  admins: string[];
  classes: ClassConfig[];
  /**
   * Optional namespace annotation (e.g. `kvlab.io/slack-users`) whose value, a comma-separated list of Slack user
   * ids, grants those users student access to that namespace in addition to the `students` entries.
   */
  namespaceAnnotation?: string;
  /**
   * Who may use `/kvlab explain` and `/kvlab lint` (pure knowledge, no cluster access): `roster` (default) —
   * anyone on the roster, like every other command; `everyone` — anyone in the workspace.
   */
  knowledgeCommands?: 'roster' | 'everyone';
}

/** One class: who teaches it, where it talks, which namespaces are its, and who works where. */
export interface ClassConfig {
  /** DNS-1123 label, e.g. `class-a`; what instructors type in `/kvlab status class-a`. Unique in the roster. */
  name: string;
  /** The class channel id (`C…`). */
  channel?: string;
  /** Channel id where mount-failure alerts for this class are posted. */
  alertChannel?: string;
  /** Opt-in: also send each alert to the student whose pod it is, as a DM. */
  alertDmStudents?: boolean;
  /**
   * Where a student's `/kvlab diagnose` answer goes: `channel` (default: a thread in the channel they typed in) or
   * `private` (a DM from kvlab to them), since a diagnosis shows that student's mistakes.
   */
  answers?: 'channel' | 'private';
  /** Slack user ids of the instructors. At least one. */
  instructors: string[];
  /** The class's namespaces, when listed. Exactly one of `namespaces` and `namespaceSelector` is set. */
  namespaces?: string[];
  /** A label selector (e.g. `kvlab.io/class=class-a`) choosing the class's namespaces by their labels. */
  namespaceSelector?: string;
  /** Which Slack user works in which namespace; a user may appear in several classes but once per class. */
  students: Array<{ user: string; namespace: string; name?: string }>;
}

/** Largest roster file accepted: far above any classroom, small enough that a wrong path cannot exhaust memory. */
export const MAX_ROSTER_BYTES = 1024 * 1024;

const TOP_KEYS = ['admins', 'classes', 'namespaceAnnotation', 'knowledgeCommands'] as const;

/**
 * Parses and validates roster YAML. Throws ConfigError `"<path>:<line>:<col>: <what is wrong and how to fix it>"`
 * at the first mistake: YAML syntax, unknown keys (with "did you mean"), malformed Slack ids or namespace names,
 * duplicate classes, a student outside the class's namespaces, a user listed twice in one class, an empty file.
 */
export function parseRoster(text: string, path: string): Roster {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ROSTER_BYTES) {
    throw new ConfigError(
      `${path}: the roster is ${bytes} bytes, over the ${MAX_ROSTER_BYTES}-byte limit; check that KVLAB_CONFIG names the roster YAML and not another file.`,
    );
  }
  const file: YamlFile = parseYamlFile(text, path);
  if (file.root === undefined) {
    file.fail(
      undefined,
      'the roster is empty; it needs "admins:" and "classes:" (see deploy/roster.example.yaml for a complete one).',
    );
  }
  const top = readMap(file, file.root, TOP_KEYS, 'the roster');
  const admins = top.get('admins');
  if (!admins) file.fail(file.root, 'the roster has no "admins:"; list the Slack user ids of kvlab\'s operators.');
  const adminIds = readUserIds(file, admins.value, '"admins"', admins.key, { atLeastOne: true });
  const classes = top.get('classes');
  if (!classes) file.fail(file.root, 'the roster has no "classes:"; add at least one class (name, instructors, …).');
  const roster: Roster = {
    admins: adminIds,
    classes: readClasses(file, classes.value, classes.key),
  };
  const knowledge = top.get('knowledgeCommands');
  if (knowledge) {
    const value = readString(file, knowledge.value, '"knowledgeCommands"', knowledge.key);
    if (value !== 'roster' && value !== 'everyone') {
      file.fail(
        knowledge.value,
        `"knowledgeCommands" is "roster" (anyone on the roster) or "everyone", not "${value}".`,
      );
    }
    roster.knowledgeCommands = value;
  }
  const annotation = top.get('namespaceAnnotation');
  if (annotation) {
    const key = readString(file, annotation.value, '"namespaceAnnotation"', annotation.key);
    if (!isQualifiedName(key)) {
      file.fail(
        annotation.value,
        `"${key}" is not a Kubernetes annotation key; use a DNS prefix, "/" and a name, e.g. kvlab.io/slack-users.`,
      );
    }
    roster.namespaceAnnotation = key;
  }
  return roster;
}

/**
 * Reads and parses the roster file at `path` (the value of `KVLAB_CONFIG`). A missing, unreadable or oversized
 * file is a ConfigError naming the path; the entry point prints it and exits with code 2.
 */
export function loadRoster(path: string): Roster {
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) {
      throw new ConfigError(`${path}: KVLAB_CONFIG must name a roster YAML file, and this is not a regular file.`);
    }
    if (stat.size > MAX_ROSTER_BYTES) {
      throw new ConfigError(
        `${path}: the roster is ${stat.size} bytes, over the ${MAX_ROSTER_BYTES}-byte limit; check that KVLAB_CONFIG names the roster YAML.`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(
      `${path}: cannot read the roster (${code}); set KVLAB_CONFIG to a readable roster YAML file (see deploy/roster.example.yaml).`,
      { cause: err },
    );
  }
  return parseRoster(text, path);
}
