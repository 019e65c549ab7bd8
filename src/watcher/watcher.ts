/**
 * The watcher while it leads: loads the alerts from Redis, starts the informers of the roster's namespaces
 * (listed, or followed by label selector), feeds every failing Event into the reducer as it arrives, and every
 * `tickMs` advances time (grace, resolution, storms), persists what changed and publishes it. Pods are read from
 * the informer cache (`view`), so a pod that mounted or went while no watcher ran is resolved after the first
 * list. Stopping (leadership lost, shutdown) stops the informers and persists the last changes; the next leader
 * continues from Redis.
 */
import type { CoreV1Api, CoreV1Event, KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../logger.ts';
import type { Roster } from '../roster/roster.ts';
import type { AlertSettings, ClassRoute, PodView, WatchState } from './alert-model.ts';
import type { Publisher } from './alert-publisher.ts';
import type { AlertStore } from './alert-store.ts';
import { failureOf } from './event-failures.ts';
import { type Changes, emptyState, noChanges, observeFailure, tick } from './incident-reducer.ts';
import { followNamespaces, type WatchedNamespace, watchNamespace } from './namespace-informers.ts';
import { mountState, usesSecretsStore } from './pod-view.ts';

export interface WatcherDeps {
  kubeconfig: KubeConfig;
  core: CoreV1Api;
  roster: Roster;
  store: AlertStore;
  publisher: Publisher;
  settings: AlertSettings;
  reopenSeconds: number;
  tickMs: number;
  log: Logger;
  now?: () => number;
}

export interface RunningWatcher {
  state: WatchState;
  /** Namespaces watched right now. */
  namespaces(): string[];
  /** One tick now (tests and the benchmark call it instead of waiting). */
  tickNow(): Promise<void>;
  stop(): Promise<void>;
}

/** Namespace → class route, for the classes that have an alert channel. */
export function routesOf(roster: Roster): (namespace: string, className?: string) => ClassRoute | undefined {
  return (namespace, className) => {
    const cls =
      roster.classes.find((c) => c.namespaces?.includes(namespace)) ??
      roster.classes.find((c) => c.name === className) ??
      roster.classes.find((c) => c.students.some((s) => s.namespace === namespace) && c.namespaceSelector);
    if (!cls) return undefined;
    const student = cls.students.find((s) => s.namespace === namespace);
    return {
      className: cls.name,
      ...(cls.alertChannel ? { channel: cls.alertChannel } : {}),
      ...(student ? { student: student.user, ...(student.name ? { studentName: student.name } : {}) } : {}),
      ...(cls.alertDmStudents ? { dmStudent: true } : {}),
    };
  };
}

export async function runWatcher(deps: WatcherDeps): Promise<RunningWatcher> {
  const now = deps.now ?? Date.now;
  const log = deps.log;
  const state: WatchState = emptyState();
  for (const a of await deps.store.loadAll()) state.alerts.set(a.id, a);
  log.info({ alerts: state.alerts.size }, 'watcher leading: alerts loaded from Redis');
  const route = routesOf(deps.roster);
  const watched = new Map<string, WatchedNamespace>();
  const classOf = new Map<string, string>();
  const removed = new Set<string>();
  let pending: Changes = noChanges();
  let stopped = false;

  const view = (namespace: string, pod: string, podUid: string): PodView => {
    if (removed.has(namespace)) return 'gone';
    const w = watched.get(namespace);
    if (!w?.synced()) return 'unknown';
    return mountState(w.pods.get(pod, namespace), podUid);
  };

  const onEvent = (ev: CoreV1Event) => {
    const f = failureOf(ev);
    if (!f || stopped) return;
    const r = route(f.namespace, classOf.get(f.namespace));
    if (!r?.channel) return;
    const pod = watched.get(f.namespace)?.pods.get(f.pod, f.namespace);
    if (pod && !usesSecretsStore(pod)) return;
    const v = watched.get(f.namespace)?.synced() ? mountState(pod, f.podUid) : 'unknown';
    observeFailure(state, f, r, v, now(), deps.settings, pending);
  };
  const onPod = (_pod: V1Pod) => {};

  const add = (namespace: string, className?: string) => {
    if (className) classOf.set(namespace, className);
    removed.delete(namespace);
    if (watched.has(namespace)) return;
    watched.set(namespace, watchNamespace(deps.kubeconfig, deps.core, namespace, { onEvent, onPod }, log));
  };
  const drop = (namespace: string) => {
    const w = watched.get(namespace);
    watched.delete(namespace);
    removed.add(namespace);
    void w?.stop();
  };

  const followers: Array<{ stop(): Promise<void> }> = [];
  for (const cls of deps.roster.classes) {
    if (!cls.alertChannel) continue;
    for (const ns of cls.namespaces ?? []) add(ns, cls.name);
    if (cls.namespaceSelector) {
      followers.push(
        followNamespaces(
          deps.kubeconfig,
          deps.core,
          cls.namespaceSelector,
          { added: (ns) => add(ns, cls.name), removed: drop },
          log,
        ),
      );
    }
  }

  let running: Promise<void> = Promise.resolve();
  const step = async () => {
    const t = now();
    const mutes = await deps.store.mutes(t);
    const changes = pending;
    pending = noChanges();
    tick(state, t, deps.settings, view, mutes, changes);
    // Persist the decisions before publishing them: the worker loads an alert's state when its job runs, and
    // a job that finds no state treats the alert as forgotten (a class-wide alert was lost that way).
    const decided = [...changes.changed].flatMap((id) => state.alerts.get(id) ?? []);
    await deps.store.save(decided, deps.reopenSeconds);
    await deps.store.remove([...changes.deleted].filter((id) => !state.alerts.has(id)));
    const published = await deps.publisher.publish(state, t, deps.settings);
    await deps.store.save(
      [...published].flatMap((id) => state.alerts.get(id) ?? []),
      deps.reopenSeconds,
    );
  };
  const tickNow = () => {
    running = running.then(step).catch((err: unknown) => log.warn({ err }, 'watcher tick failed'));
    return running;
  };
  let busy = false;
  const timer = setInterval(() => {
    if (stopped || busy) return;
    busy = true;
    void tickNow().finally(() => {
      busy = false;
    });
  }, deps.tickMs);

  return {
    state,
    namespaces: () => [...watched.keys()].sort(),
    tickNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...watched.values()].map((w) => w.stop()));
      await Promise.all(followers.map((f) => f.stop()));
      await running;
      const last = [...pending.changed].flatMap((id) => state.alerts.get(id) ?? []);
      await deps.store
        .save(last, deps.reopenSeconds)
        .catch((err: unknown) => log.warn({ err }, 'could not save the last alert changes'));
    },
  };
}
