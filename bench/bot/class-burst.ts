/**
 * A class burst: 100 students send `/kvlab diagnose pod-keyvault` within one second (10 ms apart) to a receiver
 * with two workers, each its own `kvlab serve` process as deployed (`--role receiver`, 2 × `--role worker`,
 * KVLAB_WORKER_CONCURRENCY each). Per student, from the Slack simulator's own clock (the interaction's creation,
 * the ts of what kvlab posted): command → verdict (the first thing that student can see with their verdict in it:
 * the parent showing it, or an ephemeral answer through the response_url) and command → last thread reply; and,
 * from BullMQ, how long each diagnosis waited for a worker slot. Also the Kubernetes API requests per diagnosis
 * (simulator counters) in the burst against the same diagnoses run one at a time, and each process's peak
 * resident memory (VmHWM).
 * Without `--slack-limits` Slack's rate limits are off in the simulator and kvlab's channel pace is 0: this
 * measures kvlab. With it, the simulator enforces Slack's limits (chat.postMessage 1/s per channel, burst 4) and
 * kvlab keeps its default pace.
 * Targets (issue 12): with Slack's limits on, every verdict visible ≤ 10 s, median command → verdict ≤ 2 s.
 * Also each worker's GC and CPU seconds over the whole run (its /metrics), to price `--semi-space=<MB>`, and what
 * its memory held when its resident size peaked (V8's heap spaces and external memory from /metrics, resident
 * memory by mapping from /proc: node binary, malloc arenas, other anonymous; sampled whenever VmRSS reached a new
 * high), to see what the peak is made of.
 * Run: `npx node bench/bot/class-burst.ts [concurrency] [--slack-limits] [--semi-space=<MB>]`.
 */
import { readFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { jobIdFor } from '../../src/queue/bullmq-diagnosis-queue.ts';
import { percentile, round, startBenchBot } from './bench-bot.ts';

const STUDENTS = 100;
const CHANNEL = 'C0CLASSA01';
const CONCURRENCY = process.argv[2] ?? '8';
/** `--slack-limits`: Slack's rate limits in the simulator and kvlab's default pace (slow: minutes). */
const SLACK_LIMITS = process.argv.includes('--slack-limits');
/** `--semi-space=<MB>`: the workers run with V8's `--max-semi-space-size` (young generation) capped at that. */
const SEMI_SPACE = process.argv.find((a) => a.startsWith('--semi-space='))?.split('=')[1];
/** The queue of threaded answers waiting for their channel's pace (absent before issue 12: nothing to wait for). */
const DELIVERY_QUEUE = 'deliver';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tsMs = (ts: string) => Math.round(Number(ts) * 1000);

const bench = await startBenchBot({
  role: 'none',
  students: STUDENTS,
  env: { KVLAB_WORKER_CONCURRENCY: CONCURRENCY, ...(SLACK_LIMITS ? {} : { KVLAB_SLACK_PACE_MS: '0' }) },
  slackRateLimits: SLACK_LIMITS ? {} : false,
});
const k8s = bench.classroom.k8s.requests;
const { store } = bench.classroom.slack.server;
const deliveries = new Queue(DELIVERY_QUEUE, {
  connection: { url: bench.env.REDIS_URL ?? '' },
  prefix: bench.env.KVLAB_REDIS_PREFIX ?? '',
});
try {
  const receiver = await bench.spawnServe('receiver');
  const workerEnv: Record<string, string> = SEMI_SPACE ? { NODE_OPTIONS: `--max-semi-space-size=${SEMI_SPACE}` } : {};
  const workers = await Promise.all([bench.spawnServe('worker', workerEnv), bench.spawnServe('worker', workerEnv)]);
  const memory = workers.map((w) => sampleMemoryPeaks(w));
  const send = (user: string) =>
    bench.driver.slashCommand({ url: receiver.url, user, channel: CHANNEL, text: 'diagnose pod-keyvault' });
  const failed: string[] = [];
  /** Until the diagnosis job and (when there is one) its threaded answer's delivery job are done. */
  const settle = async (jobIds: string[]) => {
    for (const id of jobIds) {
      for (const [queue, jobId] of [
        [bench.queue as Queue, id],
        [deliveries, `deliver-${id}`],
      ] as const) {
        for (;;) {
          const state = await queue.getJobState(jobId);
          if (state === 'completed' || state === 'unknown') break;
          if (state === 'failed') {
            failed.push(jobId);
            break;
          }
          await sleep(20);
        }
      }
    }
  };

  // One at a time: the classroom's 22 students, each waiting for the answer before the next asks.
  const single = bench.students.slice(0, 22);
  const beforeSingle = k8s.total();
  for (const s of single) await settle([jobIdFor('cmd', (await send(s.user)).triggerId)]);
  const perDiagnosisAlone = (k8s.total() - beforeSingle) / single.length;
  await sleep(11_000); // let the workers' shared 10-second cache of cluster-wide reads expire, as before the first

  // The burst.
  const beforeBurst = k8s.total();
  const parentsBefore = store.messages(CHANNEL).length;
  const started = performance.now();
  const commands = await Promise.all(
    bench.students.map(async (s, i) => {
      await sleep(i * 10);
      return { user: s.user, ...(await send(s.user)) };
    }),
  );
  const jobIds = commands.map((d) => jobIdFor('cmd', d.triggerId));
  await settle(jobIds);
  const wallMs = performance.now() - started;
  const atPeak = await Promise.all(memory.map((m) => m.stop()));

  // Per student, on the simulator's clock.
  const toVerdict: number[] = [];
  const toLastReply: number[] = [];
  const waitedForSlot: number[] = [];
  const via = { parent: 0, ephemeral: 0 };
  /** Answers that did not end as a final parent in the class channel (none expected). */
  const unusual: Array<Record<string, unknown>> = [];
  for (const [i, c] of commands.entries()) {
    const jobId = jobIds[i] as string;
    const asked = store.interaction(c.responseUrl.split('/').filter(Boolean).at(-1) ?? '')?.createdAt ?? Number.NaN;
    const record = await bench.ledger.get(jobId);
    if (record.channel !== CHANNEL || !record.parentTs || !record.final) {
      unusual.push({ route: record.route, inChannel: record.channel === CHANNEL, final: record.final });
    }
    const parent = record.parentTs ? store.thread(record.channel ?? CHANNEL, record.parentTs)[0] : undefined;
    // The parent shows the verdict from its last edit (a quick diagnosis: the only one), or from the start.
    const parentAt = parent ? tsMs(parent.edited?.ts ?? parent.ts) : Number.POSITIVE_INFINITY;
    const ephemeralAt = Math.min(
      ...store
        .ephemerals(c.user)
        .filter((e) => e.via === 'response_url' && !e.text.includes('Diagnosing') && tsMs(e.ts) >= asked)
        .map((e) => tsMs(e.ts)),
    );
    toVerdict.push(Math.min(parentAt, ephemeralAt) - asked);
    if (ephemeralAt < parentAt) via.ephemeral++;
    else via.parent++;
    const thread = record.threadTs ? store.thread(record.channel ?? CHANNEL, record.threadTs) : [];
    const last = thread.at(-1);
    if (last) toLastReply.push(tsMs(last.ts) - asked);
    const job = await bench.queue.getJob(jobId);
    if (job?.processedOn) waitedForSlot.push(job.processedOn - job.timestamp);
  }
  const stats = (values: number[]) => ({
    p50: Math.round(percentile(values, 50)),
    p95: Math.round(percentile(values, 95)),
    max: Math.round(Math.max(...values)),
  });
  const parents = store.messages(CHANNEL).slice(parentsBefore);
  const replies = parents.reduce((n, m) => n + (m.reply_count ?? 0), 0);
  const { requests } = bench.classroom.slack.server;
  const perDiagnosisBurst = (k8s.total() - beforeBurst) / STUDENTS;
  const peak = async (pid: number | undefined) => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  };
  /** A worker's garbage-collection and CPU seconds so far, from its own /metrics (prom-client's default metrics). */
  const gcAndCpu = async (w: (typeof workers)[number]) => {
    const port = w.json().find((l) => l.msg === 'health server started')?.port;
    const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
    const sum = (name: string) =>
      [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    return { gcS: round(sum('nodejs_gc_duration_seconds_sum')), cpuS: round(sum('process_cpu_seconds_total')) };
  };
  const acks = commands.map((d) => d.ackMs);
  process.stdout.write(
    `${JSON.stringify({
      students: STUDENTS,
      workers: 2,
      concurrencyPerWorker: Number(CONCURRENCY),
      slackLimits: SLACK_LIMITS,
      ...(SEMI_SPACE ? { workerMaxSemiSpaceMb: Number(SEMI_SPACE) } : {}),
      acked200: commands.filter((d) => d.status === 200).length,
      failedJobs: failed.length,
      parentsPosted: parents.length,
      repliesPosted: replies,
      ephemeralVerdicts: via.ephemeral,
      notInChannel: unusual,
      slack429s: requests.errors.ratelimited ?? 0,
      ackClientMs: { p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)) },
      commandToVerdictMs: stats(toVerdict),
      commandToLastReplyMs: stats(toLastReply),
      waitedForWorkerSlotMs: stats(waitedForSlot),
      allSettledWallMs: Math.round(wallMs),
      k8sRequestsPerDiagnosis: { oneAtATime: round(perDiagnosisAlone), inBurst: round(perDiagnosisBurst) },
      peakRssMb: {
        receiver: await peak(receiver.proc.pid),
        workers: await Promise.all(workers.map((w) => peak(w.proc.pid))),
      },
      workerGcAndCpuSeconds: await Promise.all(workers.map(gcAndCpu)),
      workerMemoryAtPeakMb: atPeak,
    })}\n`,
  );
} finally {
  await deliveries.close();
  await bench.close();
}

/**
 * Follows a worker's VmRSS (every 100 ms) and, at each new high (1 MB above the last), reads its /metrics: V8's
 * heap spaces (size = what the space holds from the OS, used = live objects and garbage not yet collected) and
 * external memory, and the resident memory by kind of mapping. `stop()` gives the breakdown at the highest RSS
 * seen, in MB.
 */
function sampleMemoryPeaks(w: { proc: { pid?: number }; json(): Array<Record<string, unknown>> }) {
  const port = w.json().find((l) => l.msg === 'health server started')?.port;
  const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
  let highest = 0;
  let breakdown: Record<string, unknown> = {};
  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      const status = await readFile(`/proc/${w.proc.pid}/status`, 'utf8');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (rssKb < highest + 1024) return;
      highest = rssKb;
      const text = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
      const series = (name: string) =>
        Object.fromEntries(
          [...text.matchAll(new RegExp(`^${name}\\{space="(\\w+)"\\} ([0-9.e+-]+)$`, 'gm'))]
            .map((m) => [m[1] as string, mb(Number(m[2]))] as const)
            .filter(([, v]) => v > 0),
        );
      const one = (name: string) => mb(Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? 0));
      breakdown = {
        rss: Math.round(rssKb / 102.4) / 10,
        heapSpaceSize: series('nodejs_heap_space_size_total_bytes'),
        heapSpaceUsed: series('nodejs_heap_space_size_used_bytes'),
        external: one('nodejs_external_memory_bytes'),
        residentByMapping: await residentByMapping(w.proc.pid),
      };
    } catch {
      // the worker is busy or gone: the next sample
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void sample(), 100);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return breakdown;
    },
  };
}

/**
 * Resident MB by kind of mapping (/proc/<pid>/smaps): the node binary's pages, the main malloc arena (`[heap]`),
 * other threads' malloc arenas (anonymous, each starting on a 64 MB boundary) and the rest of the anonymous memory
 * (V8's heap pages, buffers, stacks).
 */
async function residentByMapping(pid: number | undefined): Promise<Record<string, number>> {
  // A constant here, not at module level: the benchmark's top-level code runs (and awaits) before the module's end.
  const arenaAlignment = 64n * 1024n * 1024n;
  const kb: Record<string, number> = {};
  let kind = '';
  for (const line of (await readFile(`/proc/${pid}/smaps`, 'utf8')).split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const start = BigInt(`0x${head[1]}`);
      const name = head[3] ?? '';
      kind = name.endsWith('/node')
        ? 'nodeBinary'
        : name === '[heap]'
          ? 'mallocMainArena'
          : name.startsWith('/')
            ? 'otherFiles'
            : name === ''
              ? start % arenaAlignment === 0n
                ? 'mallocThreadArenas'
                : 'otherAnonymous'
              : 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kb[kind] = (kb[kind] ?? 0) + Number(rss[1]);
  }
  return Object.fromEntries(Object.entries(kb).map(([k, v]) => [k, Math.round(v / 102.4) / 10]));
}
