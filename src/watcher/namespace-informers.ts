/**
 * client-node informers (list + watch, resourceVersion bookkeeping and relist on 410 are client-node's
 * ListWatch, docs/wire-notes.md §7.2) for the Pods and the Warning Events of each watched namespace, one pair per
 * namespace so kvlab needs list/watch in lab namespaces only. client-node stops an informer on any error other
 * than 410 or its own watch timeout (07 §2, kubernetes-client/javascript#1933), so every informer is restarted
 * here with exponential backoff (1 s doubling to 30 s, ±20 % jitter); a restart resumes from the stored
 * resourceVersion, and a 410 then makes it relist. A namespace's pods count as "synced" once a list succeeded,
 * so "pod not in the cache" can mean "deleted" only then.
 * Permission needed: `list`, `watch` on `pods` and `events` in each watched namespace.
 */
import {
  type CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  ListWatch,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import type { Logger } from '../logger.ts';

export const BACKOFF_START_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/** The next restart delay: doubled, capped, with ±20 % jitter (`random` injectable for tests). */
export function nextBackoff(previousMs: number, random: () => number = Math.random): number {
  const base = previousMs <= 0 ? BACKOFF_START_MS : Math.min(BACKOFF_MAX_MS, previousMs * 2);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface NamespaceHandlers {
  onEvent(ev: CoreV1Event): void;
  onPod(pod: V1Pod): void;
}

export interface WatchedNamespace {
  readonly namespace: string;
  pods: ListWatch<V1Pod>;
  events: ListWatch<CoreV1Event>;
  /** A pod list has succeeded at least once. */
  synced(): boolean;
  stop(): Promise<void>;
}

/** A ListWatch that restarts itself after errors, with backoff and jitter. */
function resilient<T extends { metadata?: { resourceVersion?: string } }>(
  lw: ListWatch<T & object>,
  what: string,
  log: Logger,
  onBackoff?: (ms: number) => void,
) {
  let delay = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  lw.on('error', (err?: unknown) => {
    if (stopped) return;
    delay = nextBackoff(delay);
    onBackoff?.(delay);
    log.warn(
      { what, retryInMs: delay, err: { message: String((err as Error)?.message ?? err).slice(0, 200) } },
      'informer stopped; restarting',
    );
    timer = setTimeout(() => {
      if (!stopped) void lw.start();
    }, delay);
    timer.unref?.();
  });
  const reset = () => {
    delay = 0;
  };
  lw.on('add', reset);
  lw.on('update', reset);
  return {
    start: () => lw.start(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await lw.stop();
    },
  };
}

export function watchNamespace(
  kc: KubeConfig,
  core: CoreV1Api,
  namespace: string,
  handlers: NamespaceHandlers,
  log: Logger,
): WatchedNamespace {
  let podsListed = false;
  const watch = new Watch(kc);
  const pods = new ListWatch<V1Pod>(
    `/api/v1/namespaces/${namespace}/pods`,
    watch,
    async () => {
      const list = await core.listNamespacedPod({ namespace });
      podsListed = true;
      return list;
    },
    false,
  );
  const events = new ListWatch<CoreV1Event>(
    `/api/v1/namespaces/${namespace}/events`,
    watch,
    () => core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }),
    false,
    undefined,
    'type=Warning',
  );
  pods.on('add', handlers.onPod);
  pods.on('update', handlers.onPod);
  pods.on('delete', handlers.onPod);
  events.on('add', handlers.onEvent);
  events.on('update', handlers.onEvent);
  const nsLog = log.child({ namespace });
  const a = resilient(pods, 'pods', nsLog);
  const b = resilient(events, 'events', nsLog);
  // Pods first: an event is then judged against its pod (mounted already? a secrets-store volume at all?).
  void a.start().then(() => b.start());
  return {
    namespace,
    pods,
    events,
    synced: () => podsListed,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}

/**
 * Namespaces chosen by a label selector, followed as they appear, change labels and disappear (a Namespace
 * informer with the selector). Permission needed: `list`, `watch` on `namespaces` (cluster-wide).
 */
export function followNamespaces(
  kc: KubeConfig,
  core: CoreV1Api,
  labelSelector: string,
  on: { added(namespace: string): void; removed(namespace: string): void },
  log: Logger,
): { stop(): Promise<void> } {
  const lw = new ListWatch(
    '/api/v1/namespaces',
    new Watch(kc),
    () => core.listNamespace({ labelSelector }),
    false,
    labelSelector,
  );
  lw.on('add', (ns) => ns.metadata?.name && on.added(ns.metadata.name));
  lw.on('delete', (ns) => ns.metadata?.name && on.removed(ns.metadata.name));
  lw.on('update', (ns) => {
    const name = ns.metadata?.name;
    if (!name) return;
    if (ns.status?.phase === 'Terminating') on.removed(name);
  });
  const r = resilient(lw, `namespaces ${labelSelector}`, log);
  void r.start();
  return r;
}
