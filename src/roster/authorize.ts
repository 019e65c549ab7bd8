/**
 * Who may diagnose which namespace, decided from the roster alone (plus, when the caller has read the namespace,
 * its labels and user annotation). Students: their own namespaces. Instructors: every namespace of the classes
 * they teach. Admins: everything. Anyone else gets a polite refusal naming whom to ask. Pure and synchronous, so
 * commands and button clicks are authorized the same way before anything is enqueued.
 */
import { matchesLabels, parseLabelSelector } from './label-selector.ts';
import { USER_ID } from './read-ids.ts';
import type { ClassConfig, Roster } from './roster.ts';

export type Role = 'admin' | 'instructor' | 'student';

/** What the roster says about one Slack user. */
export interface Identity {
  user: string;
  /** In the order admin, instructor, student; never empty. */
  roles: Role[];
  /** Namespaces the user works in as a student, in roster order, without repeats. */
  ownNamespaces: string[];
  /** Names of the classes the user instructs. */
  instructs: string[];
}

/** What the caller knows about the namespace from the cluster, when it has read it. */
export interface NamespaceFacts {
  /**
   * Slack user ids from the namespace's `roster.namespaceAnnotation` (comma-separated in the annotation). They get
   * student access to this namespace. Ignored unless the roster names an annotation.
   */
  annotatedUsers?: string[];
  /**
   * The namespace's labels, to evaluate classes' `namespaceSelector`. Without them a selector's match is unknown
   * and counts as no match: the instructor is refused and told whom to ask (fail closed). Pass them whenever the
   * roster uses selectors.
   */
  namespaceLabels?: Record<string, string>;
}

/** A refusal names whom to ask as Slack user ids; the renderer turns them into mentions. */
export type Decision = { ok: true; as: Role } | { ok: false; reason: string; whomToAsk: string[] };

/** The roster's view of `user`; undefined when they are not on it. */
export function identify(roster: Roster, user: string): Identity | undefined {
  const roles: Role[] = [];
  if (roster.admins.includes(user)) roles.push('admin');
  const instructs = roster.classes.filter((c) => c.instructors.includes(user)).map((c) => c.name);
  if (instructs.length > 0) roles.push('instructor');
  const ownNamespaces = [
    ...new Set(roster.classes.flatMap((c) => c.students.filter((s) => s.user === user).map((s) => s.namespace))),
  ];
  if (ownNamespaces.length > 0) roles.push('student');
  return roles.length === 0 ? undefined : { user, roles, ownNamespaces, instructs };
}

/** Everyone on the roster, admins first then in class order, with a student's display name when given. */
export function rosterPeople(roster: Roster): Array<Identity & { name?: string }> {
  const users = new Set([
    ...roster.admins,
    ...roster.classes.flatMap((c) => [...c.instructors, ...c.students.map((s) => s.user)]),
  ]);
  return [...users].map((user) => {
    const identity = identify(roster, user)!;
    const name = roster.classes.flatMap((c) => c.students).find((s) => s.user === user && s.name)?.name;
    return name ? { ...identity, name } : identity;
  });
}

/** The namespace `/kvlab diagnose <pod>` uses without `-n`: the student's first own namespace. */
export function defaultNamespace(roster: Roster, user: string): string | undefined {
  return identify(roster, user)?.ownNamespaces[0];
}

/** The class called `name`. */
export function classByName(roster: Roster, name: string): ClassConfig | undefined {
  return roster.classes.find((c) => c.name === name);
}

/**
 * The class `namespace` belongs to: the one listing it, or naming it for a student, or (when `labels` are given)
 * the first whose selector matches them. Undefined when none does or a selector cannot be evaluated.
 */
export function classOfNamespace(
  roster: Roster,
  namespace: string,
  labels?: Record<string, string>,
): ClassConfig | undefined {
  return roster.classes.find((c) => classHas(c, namespace, labels));
}

/**
 * The Slack user ids a namespace's annotations map to it: the value of `roster.namespaceAnnotation`, split on
 * commas, keeping only well-formed user ids. Empty when the roster names no annotation or the namespace lacks it.
 * Pass the result as `annotatedUsers` to `authorizeNamespace`. Needs: `get namespaces` (to read the annotations).
 */
export function usersFromAnnotations(roster: Roster, annotations: Record<string, string> | undefined): string[] {
  const value = roster.namespaceAnnotation ? annotations?.[roster.namespaceAnnotation] : undefined;
  return (value ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => USER_ID.test(id));
}

/**
 * Decides whether `user` may diagnose pods in `namespace`. A refusal carries `reason`, polite plain-text sentences
 * saying why, and `whomToAsk`, the Slack user ids to ask: the namespace's class instructors, else the asker's own
 * instructors, else the admins; a user not on the roster is always sent to the admins. `reason` repeats
 * `namespace`, so validate it first (`validateTarget`), and escape it where it is shown.
 */
export function authorizeNamespace(
  roster: Roster,
  user: string,
  namespace: string,
  extra: NamespaceFacts = {},
): Decision {
  const identity = identify(roster, user);
  const labels = extra.namespaceLabels;
  if (identity?.roles.includes('admin')) return { ok: true, as: 'admin' };
  const taught = roster.classes.filter((c) => c.instructors.includes(user));
  if (taught.some((c) => classHas(c, namespace, labels))) return { ok: true, as: 'instructor' };
  if (identity?.ownNamespaces.includes(namespace)) return { ok: true, as: 'student' };
  if (roster.namespaceAnnotation && extra.annotatedUsers?.includes(user)) return { ok: true, as: 'student' };

  const owner = classOfNamespace(roster, namespace, labels);
  if (!identity) {
    const reason = 'Sorry, you are not on the kvlab roster yet, so kvlab cannot tell which namespaces are yours.';
    return { ok: false, reason, whomToAsk: others(roster.admins, user) };
  }
  const ownClasses = roster.classes.filter((c) => c.students.some((s) => s.user === user));
  const candidates = [owner?.instructors ?? [], ownClasses.flatMap((c) => c.instructors), roster.admins];
  return {
    ok: false,
    reason: refusal(identity, namespace, taught, owner, labels),
    whomToAsk: others(candidates.find((people) => people.some((p) => p !== user)) ?? [], user),
  };
}

/** `people` other than the asker, without repeats. */
function others(people: string[], asker: string): string[] {
  return [...new Set(people.filter((p) => p !== asker))];
}

function refusal(
  identity: Identity,
  namespace: string,
  taught: ClassConfig[],
  owner: ClassConfig | undefined,
  labels: Record<string, string> | undefined,
): string {
  if (taught.length > 0) {
    const names = `${taught.map((c) => c.name).join(', ')}, the class${taught.length > 1 ? 'es' : ''} you teach`;
    if (owner) return `Sorry, ${namespace} belongs to ${owner.name}, not to ${names}.`;
    return !labels && taught.some((c) => c.namespaceSelector)
      ? `Sorry, kvlab could not confirm that ${namespace} belongs to ${names} (its labels were not read), so it will not diagnose it for you.`
      : `Sorry, ${namespace} is not a namespace of ${names}.`;
  }
  const own = identity.ownNamespaces.join(', ');
  return `Sorry, you can diagnose only your own namespace${identity.ownNamespaces.length > 1 ? 's' : ''} (${own}), not ${namespace}.`;
}

function classHas(cls: ClassConfig, namespace: string, labels: Record<string, string> | undefined): boolean {
  if (cls.namespaces?.includes(namespace) || cls.students.some((s) => s.namespace === namespace)) return true;
  return cls.namespaceSelector !== undefined && labels !== undefined
    ? matchesLabels(parseLabelSelector(cls.namespaceSelector), labels)
    : false;
}
