/**
 * Composition of the watcher role (`kvlab serve --role watcher`, and part of `--role all`): settings, the
 * cluster's name in incident keys, the Redis alert store, the publisher (BullMQ queue + Slack poster) and the
 * leader election that runs the watcher only while this replica holds the Lease. Classes without an
 * `alertChannel` are not watched, and the start-up log says so once per class.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CoordinationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { ChatPoster } from '../ports/chat-poster.ts';
import type { DiagnosisQueue } from '../ports/diagnosis-queue.ts';
import type { DeliveryLedger } from '../queue/delivery-ledger.ts';
import type { Roster } from '../roster/roster.ts';
import { createPublisher, type Publisher } from './alert-publisher.ts';
import { alertKeys, createAlertStore } from './alert-store.ts';
import { type LeaderElector, startLeaderElection } from './lease-election.ts';
import { loadWatcherSettings, type WatcherSettings } from './settings.ts';
import { type RunningWatcher, runWatcher } from './watcher.ts';

export interface WatcherRoleDeps {
  env: NodeJS.ProcessEnv;
  prefix: string;
  roster: Roster;
  kubeconfig: KubeConfig;
  redis: Redis;
  queue: DiagnosisQueue;
  poster: ChatPoster;
  ledger: Pick<DeliveryLedger, 'report'>;
  log: Logger;
  /** Overrides the generated `<host>-<random>` Lease holder identity. */
  identity?: string;
}

export interface WatcherRole {
  cluster: string;
  identity: string;
  settings: WatcherSettings;
  elector: LeaderElector;
  publisher: Publisher;
  /** The running watcher while this replica leads. */
  current(): RunningWatcher | undefined;
  close(): Promise<void>;
}

/** The cluster's name in keys: KVLAB_CLUSTER_NAME, else the kubeconfig's current cluster, made key-safe. */
export function clusterName(settings: WatcherSettings, kubeconfig: KubeConfig): string {
  const raw = settings.cluster ?? kubeconfig.getCurrentCluster()?.name ?? 'default';
  return raw.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'default';
}

export function startWatcherRole(deps: WatcherRoleDeps): WatcherRole {
  const settings = loadWatcherSettings(deps.env);
  const cluster = clusterName(settings, deps.kubeconfig);
  const log = deps.log.child({ component: 'watcher', cluster });
  for (const cls of deps.roster.classes) {
    if (!cls.alertChannel)
      log.info({ class: cls.name }, 'class has no alertChannel in the roster: its pods get no alerts');
  }
  const store = createAlertStore(deps.redis, alertKeys(deps.prefix, cluster));
  const instructorOf = new Map(
    deps.roster.classes.map((c) => [c.name, c.instructors[0] ?? deps.roster.admins[0] ?? '']),
  );
  const publisher = createPublisher({
    queue: deps.queue,
    poster: deps.poster,
    store,
    ledger: deps.ledger,
    cluster,
    requesterOf: (a) => instructorOf.get(a.className) ?? deps.roster.admins[0] ?? '',
    log,
  });
  const identity = deps.identity ?? `${hostname()}-${randomUUID().slice(0, 8)}`;
  const core = deps.kubeconfig.makeApiClient(CoreV1Api);
  let current: RunningWatcher | undefined;
  let starting: Promise<void> = Promise.resolve();
  const elector = startLeaderElection(
    deps.kubeconfig.makeApiClient(CoordinationV1Api),
    { ...settings.lease, identity },
    {
      onStartedLeading(signal) {
        starting = (async () => {
          const w = await runWatcher({
            kubeconfig: deps.kubeconfig,
            core,
            roster: deps.roster,
            store,
            publisher,
            settings: settings.alerts,
            reopenSeconds: settings.alerts.reopenMs / 1000,
            tickMs: settings.tickMs,
            log,
          });
          if (signal.aborted) await w.stop();
          else current = w;
        })();
        return starting;
      },
      async onStoppedLeading() {
        await starting.catch(() => undefined);
        const w = current;
        current = undefined;
        await w?.stop();
      },
    },
    log,
  );
  log.info(
    { identity, lease: `${settings.lease.namespace}/${settings.lease.name}` },
    'watcher started; campaigning for the Lease',
  );
  return {
    cluster,
    identity,
    settings,
    elector,
    publisher,
    current: () => current,
    close: () => elector.stop(),
  };
}
