/**
 * A class burst: 100 students send `/kvlab diagnose pod-keyvault` within one second (10 ms apart) to a receiver
 * with two workers, each its own `kvlab serve` process as deployed (`--role receiver`, 2 × `--role worker`,
 * KVLAB_WORKER_CONCURRENCY each). Measures the time until every parent shows its verdict and until every job has
 * posted its last reply, the Kubernetes API requests per diagnosis (simulator counters) in the burst against the
 * same diagnoses run one at a time, and each process's peak resident memory (VmHWM).
 * Slack's rate limits are off in the simulator and kvlab's channel pace is 0 here: this measures kvlab; with
 * Slack's real limits one channel takes about one message per second (see bench/README.md).
 * Target (issue 4): all answered ≤ 10 s with 2 workers.
 * Run: `npx node bench/bot/class-burst.ts [concurrency] [--slack-limits]`.
 */
import { readFile } from 'node:fs/promises';
import { jobIdFor } from '../../src/queue/bullmq-diagnosis-queue.ts';
import { percentile, round, startBenchBot } from './bench-bot.ts';

const STUDENTS = 100;
const CHANNEL = 'C0CLASSA01';
const CONCURRENCY = process.argv[2] ?? '8';
/** `--slack-limits`: Slack's rate limits in the simulator and kvlab's default pace (slow: minutes). */
const SLACK_LIMITS = process.argv.includes('--slack-limits');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const bench = await startBenchBot({
  role: 'none',
  students: STUDENTS,
  env: { KVLAB_WORKER_CONCURRENCY: CONCURRENCY, ...(SLACK_LIMITS ? {} : { KVLAB_SLACK_PACE_MS: '0' }) },
  slackRateLimits: SLACK_LIMITS ? {} : false,
});
const k8s = bench.classroom.k8s.requests;
try {
  const receiver = await bench.spawnServe('receiver');
  const workers = await Promise.all([bench.spawnServe('worker'), bench.spawnServe('worker')]);
  const send = (user: string) =>
    bench.driver.slashCommand({ url: receiver.url, user, channel: CHANNEL, text: 'diagnose pod-keyvault' });
  const failed: string[] = [];
  const settle = async (jobIds: string[]) => {
    for (const id of jobIds) {
      for (;;) {
        const state = await bench.queue.getJobState(id);
        if (state === 'completed') break;
        if (state === 'failed') {
          failed.push(id);
          break;
        }
        await sleep(20);
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
  const parentsBefore = bench.classroom.slack.server.store.messages(CHANNEL).length;
  const started = performance.now();
  const deliveries = await Promise.all(
    bench.students.map(async (s, i) => {
      await sleep(i * 10);
      return send(s.user);
    }),
  );
  const jobIds = deliveries.map((d) => jobIdFor('cmd', d.triggerId));
  let allVerdictsMs = 0;
  const verdicts = () =>
    bench.classroom.slack.server.store
      .messages(CHANNEL)
      .slice(parentsBefore)
      .filter((m) => m.edited && !m.text.includes('Diagnosing')).length;
  const settled = settle(jobIds).then(() => performance.now() - started);
  while (verdicts() < STUDENTS && failed.length === 0) await sleep(20);
  allVerdictsMs = performance.now() - started;
  const allRepliesMs = await settled;
  const parents = bench.classroom.slack.server.store.messages(CHANNEL).slice(parentsBefore);
  const replies = parents.reduce((n, m) => n + (m.reply_count ?? 0), 0);
  const { requests } = bench.classroom.slack.server;
  const perDiagnosisBurst = (k8s.total() - beforeBurst) / STUDENTS;
  const peak = async (pid: number | undefined) => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  };
  const acks = deliveries.map((d) => d.ackMs);
  process.stdout.write(
    `${JSON.stringify({
      students: STUDENTS,
      workers: 2,
      concurrencyPerWorker: Number(CONCURRENCY),
      slackLimits: SLACK_LIMITS,
      acked200: deliveries.filter((d) => d.status === 200).length,
      failedJobs: failed.length,
      parentsPosted: parents.length,
      repliesPosted: replies,
      slack429s: requests.errors.ratelimited ?? 0,
      ackClientMs: { p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)) },
      allVerdictsShownMs: Math.round(allVerdictsMs),
      allRepliesPostedMs: Math.round(allRepliesMs),
      k8sRequestsPerDiagnosis: { oneAtATime: round(perDiagnosisAlone), inBurst: round(perDiagnosisBurst) },
      peakRssMb: {
        receiver: await peak(receiver.proc.pid),
        workers: await Promise.all(workers.map((w) => peak(w.proc.pid))),
      },
    })}\n`,
  );
} finally {
  await bench.close();
}
