/**
 * The watcher's decisions under a FailedMount storm, in simulated time: 10,000 failing events over 100 pods in
 * 10 minutes, fed to the real incident reducer (observeFailure / tick every KVLAB_WATCHER_TICK_MS) and the real
 * publisher, whose Slack and queue ports record what would be posted, with the alert store in real Redis (the
 * publisher reads where each parent went from it). No timers: "now" is a number, so 10 minutes take a second.
 *
 * The storm: 4 classes × 25 pods, one alert channel each.
 * - class-1: the CSI add-on is removed at 2:00 for all 25 pods (one cause), reinstalled at 7:00;
 * - classes 2–4: 75 pods start failing at random times in the first 5 minutes with one of three causes; 10 of
 *   them are fixed within 30 s (inside the 60 s grace period), 30 are fixed later, the rest fail until the end.
 * Each failing pod's events are count bumps of one Event object (what kubelet's correlator does), spread evenly
 * over its failing time, 10,000 in all.
 *
 * Reported against the baseline of a naive forwarder that posts one message per event: messages posted (new
 * parents, thread replies, edits), the busiest second per channel and minute of edits (Slack: ~1 post/s per
 * channel, chat.update Tier 3 ~50/min), and the event-to-alert latency after the grace period (p50/p99).
 * Run: `npx node bench/watcher/storm-decisions.ts [--seed 7]`.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { classifyMessage } from '../../diagnostics/knowledge/classify/index.ts';
import { createLogger } from '../../src/logger.ts';
import type { ChatPoster } from '../../src/ports/chat-poster.ts';
import type { DiagnosisQueue } from '../../src/ports/diagnosis-queue.ts';
import { deleteKeysWithPrefix } from '../../src/queue/redis.ts';
import type { AlertSettings, ClassRoute, Failure, PodView } from '../../src/watcher/alert-model.ts';
import { createPublisher } from '../../src/watcher/alert-publisher.ts';
import { alertKeys, createAlertStore } from '../../src/watcher/alert-store.ts';
import { emptyState, noChanges, observeFailure, tick } from '../../src/watcher/incident-reducer.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
let seed = arg('seed', 7);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

const EVENTS = 10_000;
const DURATION_MS = 10 * 60_000;
const TICK_MS = 500;
const settings: AlertSettings = {
  graceMs: 60_000,
  reopenMs: 3_600_000,
  adoptMs: 600_000,
  stormPods: 5,
  budget: 5,
  budgetWindowMs: 300_000,
  updateEveryMs: 30_000,
};

const message = {
  addon:
    'MountVolume.SetUp failed for volume "secrets-store" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers',
  spc: (ns: string) =>
    `MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to get secretproviderclass ${ns}/azure-kv-secrets, error: SecretProviderClass.secrets-store.csi.x-k8s.io "azure-kv-secrets" not found`,
  notFound: (ns: string) =>
    `MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod ${ns}/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:api-kee, objectVersion:: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=404 -- Original Error: autorest/azure: Service returned an error. Status=404 Code="SecretNotFound" Message="A secret with (name/id) api-kee was not found in this key vault."`,
  denied: (ns: string) =>
    `MountVolume.SetUp failed for volume "secrets-store" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod ${ns}/pod-keyvault, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:db-password, objectVersion:: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="The user, group or application does not have secrets get permission on key vault"`,
};

interface SimPod {
  namespace: string;
  name: string;
  uid: string;
  className: string;
  channel: string;
  message: string;
  failFrom: number;
  fixedAt: number;
}

const pods: SimPod[] = [];
for (let c = 1; c <= 4; c++) {
  for (let i = 1; i <= 25; i++) {
    const namespace = `c${c}-student-${String(i).padStart(2, '0')}`;
    const base = {
      namespace,
      name: 'pod-keyvault',
      uid: randomUUID(),
      className: `class-${c}`,
      channel: `C0ALERT00${c}`,
    };
    if (c === 1) {
      pods.push({ ...base, message: message.addon, failFrom: 120_000, fixedAt: 420_000 });
      continue;
    }
    const failFrom = Math.round(random() * 300_000);
    const kind = [message.spc, message.notFound, message.denied][Math.floor(random() * 3)] ?? message.spc;
    const n = pods.filter((p) => p.className !== 'class-1').length;
    const fixedAt =
      n < 10
        ? failFrom + 5_000 + Math.round(random() * 25_000)
        : n < 40
          ? failFrom + 90_000 + Math.round(random() * 200_000)
          : Number.POSITIVE_INFINITY;
    pods.push({ ...base, message: kind(namespace), failFrom, fixedAt: Math.min(fixedAt, Number.POSITIVE_INFINITY) });
  }
}

// Events: each pod's share of the 10,000 proportional to its failing time, evenly spaced.
const failing = (p: SimPod) => Math.min(p.fixedAt, DURATION_MS) - p.failFrom;
const totalFailing = pods.reduce((n, p) => n + failing(p), 0);
interface Ev {
  at: number;
  pod: SimPod;
  count: number;
}
const events: Ev[] = [];
for (const p of pods) {
  const n = Math.max(1, Math.round((EVENTS * failing(p)) / totalFailing));
  for (let k = 0; k < n; k++) events.push({ at: p.failFrom + Math.floor((k * failing(p)) / n), pod: p, count: k + 1 });
}
events.sort((a, b) => a.at - b.at);

// Ports recording what would reach Slack; the "worker" records each parent in the alert store at once.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `kvlab-bench-${randomUUID()}`;
const store = createAlertStore(redis, alertKeys(prefix, 'bench'));
let now = 0;
const posts: Array<{ at: number; channel: string; kind: 'parent' | 'reply' }> = [];
const edits: number[] = [];
const openedAt = new Map<string, number>();
let ts = 0;
const queue: DiagnosisQueue = {
  async enqueue(job, options) {
    const channel = job.requester.channel;
    posts.push({ at: now, channel, kind: 'parent' });
    if (job.alert) {
      openedAt.set(job.alert.id, now);
      await store.setDelivery(job.alert.id, { channel, ts: String(++ts), jobId: options.jobId ?? '', posted: true });
    }
    return { jobId: options.jobId ?? '', joined: false };
  },
  enqueueStatus: async () => ({ jobId: '', joined: false }),
  close: async () => undefined,
};
const poster: ChatPoster = {
  async post(channel, _m, options) {
    posts.push({ at: now, channel, kind: options?.threadTs ? 'reply' : 'parent' });
    return { channel, ts: String(++ts) };
  },
  async update() {
    edits.push(now);
  },
  postEphemeral: async () => undefined,
  openDm: async (user) => `D${user}`,
  respond: async () => undefined,
};
const publisher = createPublisher({
  queue,
  poster,
  store,
  ledger: { report: async () => undefined },
  cluster: 'bench',
  requesterOf: () => 'U0INSTRUCT',
  log: createLogger({ level: 'silent' }),
});

const categories = new Set(pods.map((p) => classifyMessage(p.message).category));
const state = emptyState();
const byNs = new Map(pods.map((p) => [p.namespace, p]));
const view = (namespace: string, _pod: string, uid: string): PodView => {
  const p = byNs.get(namespace);
  if (!p || p.uid !== uid) return 'gone';
  return now >= p.fixedAt ? 'mounted' : 'failing';
};
const started = performance.now();
let next = 0;
let pending = noChanges();
for (now = 0; now <= DURATION_MS + 120_000; now += TICK_MS) {
  for (; next < events.length && (events[next]?.at ?? Infinity) <= now; next++) {
    const e = events[next] as Ev;
    const c = classifyMessage(e.pod.message);
    const f: Failure = {
      namespace: e.pod.namespace,
      pod: e.pod.name,
      podUid: e.pod.uid,
      eventUid: `ev-${e.pod.uid}`,
      reason: 'FailedMount',
      message: e.pod.message,
      category: c.category,
      specificity: c.specificity,
      count: e.count,
      firstSeen: e.pod.failFrom,
      lastSeen: e.at,
    };
    const route: ClassRoute = { className: e.pod.className, channel: e.pod.channel, student: 'U0STUDENT01' };
    observeFailure(state, f, route, view(f.namespace, f.pod, f.podUid), now, settings, pending);
  }
  tick(state, now, settings, view, new Map(), pending);
  pending = noChanges();
  await publisher.publish(state, now, settings);
}
const wallMs = performance.now() - started;

// Latency after the grace period: parent queued − (first failing event + grace).
const latencies = [...state.alerts.values()]
  .filter((a) => openedAt.has(a.id))
  .map((a) => (openedAt.get(a.id) as number) - (a.firstSeen + settings.graceMs))
  .sort((a, b) => a - b);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const busiest = (times: Array<{ at: number; channel: string }>, windowMs: number) => {
  const buckets = new Map<string, number>();
  for (const t of times) {
    const k = `${t.channel}@${Math.floor(t.at / windowMs)}`;
    buckets.set(k, (buckets.get(k) ?? 0) + 1);
  }
  return Math.max(0, ...buckets.values());
};
const naive = events.map((e) => ({ at: e.at, channel: e.pod.channel }));
const parents = posts.filter((p) => p.kind === 'parent').length;
const replies = posts.filter((p) => p.kind === 'reply').length;
const incidents = new Set(pods.filter((p) => p.fixedAt - p.failFrom > settings.graceMs || p.fixedAt === Infinity)).size;
const kvlabMessages = parents + replies + edits.length;
const result = {
  events: events.length,
  pods: pods.length,
  categories: [...categories],
  simulatedMinutes: DURATION_MS / 60_000,
  decisionWallMs: Math.round(wallMs),
  naive: { posts: naive.length, busiestChannelSecond: busiest(naive, 1_000) },
  kvlab: {
    parents,
    threadReplies: replies,
    edits: edits.length,
    podsFailingBeyondGrace: incidents,
    busiestChannelSecond: busiest(posts, 1_000),
    busiestEditMinute: busiest(
      edits.map((at) => ({ at, channel: 'workspace' })),
      60_000,
    ),
    latencyAfterGraceMs: { p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies.at(-1) ?? 0 },
  },
  ratios: {
    parentsVsNaivePosts: +(parents / naive.length).toFixed(4),
    allMessagesVsNaivePosts: +(kvlabMessages / naive.length).toFixed(4),
    busiestSecondVsNaive: +(busiest(posts, 1_000) / Math.max(1, busiest(naive, 1_000))).toFixed(3),
    latencyP99VsTick: +(pct(latencies, 99) / TICK_MS).toFixed(2),
    latencyP99VsGrace: +(pct(latencies, 99) / settings.graceMs).toFixed(4),
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();
