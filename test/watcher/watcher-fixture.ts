/**
 * The watcher under test: the simulated classroom, the real bot (`--role all`, or the parts a test asks for) on
 * real Redis and BullMQ under a fresh key prefix, with a small roster of its own (class-a: student-01, student-02
 * with alert channel C0ALERTS01; class-b: student-03 without one), short grace and lease settings, and helpers
 * that write Pods and Events through the cluster-admin client exactly as kubelet would (the same Event object,
 * `count` bumped).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type CoreV1Event, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { type Classroom, startClassroom } from '../../sim/classroom.ts';
import type { KubeletOptions } from '../../sim/kubelet/kubelet.ts';
import type { SlackMessage as StoredMessage } from '../../sim/slack/store.ts';
import { loadBotEnv, loadEnv, type ServeRole } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { deleteKeysWithPrefix } from '../../src/queue/redis.ts';
import { loadRoster } from '../../src/roster/roster.ts';
import { type RunningBot, startBot } from '../../src/slack-app/start-bot.ts';
import { redisUrl } from '../bot/bot-fixture.ts';

export const ALERTS = 'C0ALERTS01';

export const ROSTER = `admins: [U0OPERATOR]
classes:
  - name: class-a
    channel: C0CLASSA01
    alertChannel: ${ALERTS}
    instructors: [U0INSTRUCT]
    namespaces: [student-01, student-02]
    students:
      - { user: U0STUDENT01, namespace: student-01, name: Amara Okafor }
      - { user: U0STUDENT02, namespace: student-02, name: Ben Fischer }
  - name: class-b
    instructors: [U0INSTRUCT]
    namespaces: [student-03]
`;

export interface WatcherFixture {
  classroom: Classroom;
  env: Record<string, string>;
  prefix: string;
  redis: Redis;
  admin: CoreV1Api;
  kubeconfigYaml: string;
  dir: string;
  logLines: string[];
  /** Starts one more bot process part (e.g. a second watcher) against the same sims and Redis. */
  startPart(role: ServeRole, identity?: string): Promise<RunningBot>;
  parents(target: string): StoredMessage[];
  thread(ts: string): StoredMessage[];
  close(): Promise<void>;
}

/**
 * Quick alerting for every watcher test. The Lease and the job lock keep kvlab's defaults here: a 2 s Lease
 * renewed within 1.5 s is lost whenever a loaded CI machine stalls this one process (simulators, bot and test
 * share its event loop) for that long, and a test not about failover must not depend on that never happening.
 */
export const WATCHER_ENV = {
  KVLAB_ALERT_GRACE_SECONDS: '2',
  KVLAB_ALERT_UPDATE_SECONDS: '0.3',
  KVLAB_WATCHER_TICK_MS: '100',
};

/** For the failover tests: a Lease that expires in 2 s and a job lock of 1 s, so a takeover is quick to see. */
export const FAILOVER_ENV = {
  KVLAB_LEASE_DURATION_SECONDS: '2',
  KVLAB_LEASE_RENEW_SECONDS: '1.5',
  KVLAB_LEASE_RETRY_SECONDS: '0.3',
  KVLAB_JOB_LOCK_MS: '1000',
};

export interface FixtureOptions {
  /** Run the simulated kubelet (sim/kubelet): pods really mount and fail. Default off (hand-written events). */
  kubelet?: true | KubeletOptions;
  /** Roster YAML (default {@link ROSTER}). */
  roster?: string;
}

/** Kubelet settings for watcher tests: quick retries, only the namespaces a test touches. */
export const quickKubelet = (namespaces: string[]): KubeletOptions => ({
  backoff: { initialMs: 100, maxMs: 400 },
  namespaces,
});

export async function startWatcherFixture(
  env: Record<string, string> = {},
  options: FixtureOptions = {},
): Promise<WatcherFixture> {
  const classroom = await startClassroom({
    slackRateLimits: false,
    ...(options.kubelet ? { kubelet: options.kubelet } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'kvlab-watcher-'));
  const rosterPath = join(dir, 'roster.yaml');
  await writeFile(rosterPath, options.roster ?? ROSTER);
  const prefix = `kvlab-test-${randomUUID()}`;
  const logLines: string[] = [];
  const fullEnv: Record<string, string> = {
    ...classroom.settings,
    KVLAB_CONFIG: rosterPath,
    REDIS_URL: redisUrl(),
    KVLAB_REDIS_PREFIX: prefix,
    PORT: '0',
    KVLAB_SLACK_PACE_MS: '0',
    KVLAB_JOB_BACKOFF_MS: '200',
    LOG_LEVEL: 'info',
    ...WATCHER_ENV,
    ...env,
  };
  const kc = (context: string) => {
    const k = new KubeConfig();
    k.loadFromString(classroom.kubeconfigYaml);
    k.setCurrentContext(context);
    return k;
  };
  const roster = loadRoster(rosterPath);
  const parts: RunningBot[] = [];
  const startPart = async (role: ServeRole, identity?: string) => {
    const log = createLogger({ level: 'info', destination: { write: (l: string) => void logLines.push(l) } });
    const engine = createEngine({ ...loadEnv(fullEnv), caPem: classroom.caPem }, kc('kvlab-bot'));
    const bot = await startBot({
      config: loadBotEnv(fullEnv, role),
      log,
      roster,
      engine: { ports: engine.ports, gather: engine.gather },
      host: '127.0.0.1',
      watcher: { kubeconfig: kc('kvlab-bot'), env: fullEnv, ...(identity ? { identity } : {}) },
    });
    parts.push(bot);
    return bot;
  };
  explainTimeout = () => {
    const notable = logLines.filter((l) => !l.includes('"level":30')).slice(-12);
    const alerts = parts.flatMap((p) => {
      const w = p.watcher?.current();
      if (!w) return [];
      return [...w.state.alerts.values()].map(
        (a) =>
          `${p.watcher?.identity} ${a.id}: ${a.status} count=${a.count} dirty=${a.dirty} syncedAt=${a.syncedAt ?? '-'}`,
      );
    });
    const leaders = parts.filter((p) => p.watcher?.elector.isLeader()).length;
    return [
      `\nleading watchers: ${leaders}`,
      `alerts held by them:\n  ${alerts.join('\n  ') || '(none)'}`,
      `last warnings and errors:\n  ${notable.join('  ') || '(none)'}`,
    ].join('\n');
  };
  const redis = new Redis(redisUrl());
  const store = classroom.slack.server.store;
  const bot = classroom.slack.server.workspace.bot.userId;
  return {
    classroom,
    env: fullEnv,
    prefix,
    redis,
    admin: kc('admin').makeApiClient(CoreV1Api),
    kubeconfigYaml: classroom.kubeconfigYaml,
    dir,
    logLines,
    startPart,
    parents: (target) =>
      store
        .messages(ALERTS)
        .filter((m) => m.user === bot && (!m.thread_ts || m.thread_ts === m.ts) && JSON.stringify(m).includes(target)),
    thread: (ts) => store.thread(ALERTS, ts).slice(1),
    async close() {
      explainTimeout = undefined;
      for (const p of parts.reverse()) await p.close().catch(() => undefined);
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      await classroom.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A pod with the lab's CSI volume, as `kubectl apply` creates it (Pending until kubelet starts it). */
export async function createFailingPod(admin: CoreV1Api, namespace: string, name: string): Promise<V1Pod> {
  return admin.createNamespacedPod({
    namespace,
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace },
      spec: {
        serviceAccountName: 'workload-identity-sa',
        containers: [
          { name: 'app', image: 'busybox', volumeMounts: [{ name: 'secrets-store', mountPath: '/mnt/secrets' }] },
        ],
        volumes: [
          {
            name: 'secrets-store',
            csi: {
              driver: 'secrets-store.csi.k8s.io',
              readOnly: true,
              volumeAttributes: { secretProviderClass: 'missing-spc' },
            },
          },
        ],
      },
    },
  });
}

export const SPC_NOT_FOUND_MESSAGE = (ns: string) =>
  `MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to get secretproviderclass ${ns}/missing-spc, error: SecretProviderClass.secrets-store.csi.x-k8s.io "missing-spc" not found <!channel>`;

/** Kubelet's first FailedMount for `pod` (a new Event object, count 1). */
export async function recordFailedMount(admin: CoreV1Api, pod: V1Pod, message: string): Promise<CoreV1Event> {
  const ns = pod.metadata?.namespace as string;
  const now = new Date();
  return admin.createNamespacedEvent({
    namespace: ns,
    body: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata?.name}.${Date.now().toString(16)}`, namespace: ns },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: pod.metadata?.name,
        namespace: ns,
        uid: pod.metadata?.uid,
      },
      reason: 'FailedMount',
      type: 'Warning',
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'kubelet', host: 'aks-nodepool1-31718369-vmss000000' },
    },
  });
}

/** Kubelet's correlator seeing the same failure again: the same Event object, `count + 1`, new lastTimestamp. */
export async function bumpEvent(admin: CoreV1Api, ev: CoreV1Event): Promise<CoreV1Event> {
  return admin.replaceNamespacedEvent({
    name: ev.metadata?.name as string,
    namespace: ev.metadata?.namespace as string,
    body: { ...ev, count: (ev.count ?? 1) + 1, lastTimestamp: new Date() },
  });
}

/** Kubelet after the mount succeeded: containers started, pod Running. */
export async function markMounted(admin: CoreV1Api, pod: V1Pod): Promise<void> {
  const name = pod.metadata?.name as string;
  const namespace = pod.metadata?.namespace as string;
  const current = await admin.readNamespacedPod({ name, namespace });
  const startedAt = new Date();
  await admin.replaceNamespacedPodStatus({
    name,
    namespace,
    body: {
      ...current,
      status: {
        ...current.status,
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            image: 'busybox',
            imageID: '',
            ready: true,
            restartCount: 0,
            started: true,
            state: { running: { startedAt } },
          },
        ],
      },
    },
  });
}

/**
 * What the running fixture knows when a wait times out: the last warnings of its bot parts and the alert states
 * of the watcher that leads. A wait that fails in CI then says why (lost Lease, stopped informer, unpublished
 * count) instead of only that it did not happen.
 */
let explainTimeout: (() => string) | undefined;

export async function waitFor<T>(
  read: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms${explainTimeout?.() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const readableOf = (m: StoredMessage | undefined): string => JSON.stringify(m ?? {});
