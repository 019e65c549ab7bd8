/**
 * What the console page shows, as one JSON document: the simulated Slack workspace (people with their role in the
 * roster, conversations with messages, threads and edits, each person's ephemeral messages and open modals) and the
 * classroom (each student namespace's lab pod, its last mount failure, and the break/fix changes on offer).
 * Everything is read from the simulators' stores at the moment it is built; the page renders it, escaping all text.
 */

import type { ObjectStore } from '../k8s/store.ts';
import type { Obj } from '../kubelet/cluster-objects.ts';
import type { SimRoster as Roster } from '../roster.ts';
import type { SlackServer } from '../slack/server.ts';
import { CHANGE_KINDS, type ClassroomChanges, labPod } from './classroom-changes.ts';

export interface SnapshotDeps {
  slack: SlackServer;
  roster: Roster;
  store: ObjectStore;
  changes: ClassroomChanges;
  /** Modals a person closed or submitted in the console. */
  closedViews: Set<string>;
  botUrl: () => string;
}

export type Role = 'student' | 'instructor' | 'admin' | 'outsider';

export function buildSnapshot(deps: SnapshotDeps) {
  const { slack, roster } = deps;
  const { workspace, store } = slack;
  const students = new Map(roster.classes.flatMap((c) => c.students.map((s) => [s.user, s] as const)));
  const instructors = new Set(roster.classes.flatMap((c) => c.instructors));
  const roleOf = (id: string): Role =>
    students.has(id)
      ? 'student'
      : instructors.has(id)
        ? 'instructor'
        : roster.admins.includes(id)
          ? 'admin'
          : 'outsider';
  const people = workspace.users
    .filter((u) => !u.isBot)
    .map((u) => ({
      id: u.id,
      name: u.name,
      realName: u.realName ?? u.name,
      role: roleOf(u.id),
      ...(students.get(u.id)?.namespace ? { namespace: students.get(u.id)?.namespace } : {}),
    }));
  const conversations = [...store.conversations.values()].map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name ?? '',
    isPrivate: c.isPrivate,
    botIsMember: c.botIsMember,
    members: [...c.members],
    messages: store.messages(c.id).map((m) => ({
      ...m,
      replies: m.reply_count && m.subtype !== 'thread_broadcast' ? store.thread(c.id, m.ts).slice(1) : [],
    })),
  }));
  const ephemerals = Object.fromEntries(people.map((p) => [p.id, store.ephemerals(p.id)]));
  const views = Object.fromEntries(
    people.map((p) => [p.id, store.views(p.id).filter((v) => !deps.closedViews.has(v.id))]),
  );
  return {
    team: workspace.team,
    bot: { userId: workspace.bot.userId, name: workspace.bot.name },
    botUrl: deps.botUrl(),
    classes: roster.classes.map((c) => ({
      name: c.name,
      channel: c.channel ?? null,
      alertChannel: c.alertChannel ?? null,
      instructors: c.instructors,
    })),
    people,
    conversations,
    ephemerals,
    views,
    classroom: classroomState(deps),
  };
}

export type Snapshot = ReturnType<typeof buildSnapshot>;

function classroomState({ roster, store, changes }: SnapshotDeps) {
  const students = roster.classes.flatMap((c) =>
    c.students.map((s) => {
      const pod = labPod(store, s.namespace);
      return {
        class: c.name,
        namespace: s.namespace,
        user: s.user,
        name: s.name ?? s.user,
        pod: pod ? podState(store, pod) : null,
        changes: CHANGE_KINDS.filter((k) => k.scope === 'student').map((k) => ({
          id: k.id,
          active: changes.active(k.id, s.namespace),
          unavailable: changes.unavailable(k.id, s.namespace) ?? null,
        })),
      };
    }),
  );
  return {
    kinds: CHANGE_KINDS,
    cluster: CHANGE_KINDS.filter((k) => k.scope === 'cluster').map((k) => ({ id: k.id, active: changes.active(k.id) })),
    students,
  };
}

/** Phase, the container's waiting reason, and the newest Warning event's message for the pod. */
function podState(store: ObjectStore, pod: Obj) {
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason as string | undefined;
  const ready = (pod.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
  const warnings = (store.list('v1', 'Event', pod.metadata.namespace) as Obj[])
    .filter(
      (e) =>
        e.type === 'Warning' &&
        e.involvedObject?.name === pod.metadata.name &&
        (!e.involvedObject?.uid || e.involvedObject.uid === pod.metadata.uid),
    )
    .sort((a, b) => String(lastSeen(a)).localeCompare(String(lastSeen(b))));
  const last = warnings.at(-1);
  return {
    name: String(pod.metadata.name),
    phase: String(pod.status?.phase ?? 'Pending'),
    ready,
    reason: waiting ?? null,
    lastWarning: last
      ? { reason: String(last.reason ?? ''), message: String(last.message ?? ''), count: last.count ?? 1 }
      : null,
  };
}

function lastSeen(event: Obj): string {
  return event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp ?? '';
}
