/**
 * Command-to-final-reply latency for one student at a time: from sending `/kvlab diagnose pod-keyvault` to the
 * parent showing the verdict, and to the last thread reply (BullMQ `finishedOn`, set after the last post).
 * Measured with Slack's per-channel pace (defaults: bursts of 3, then 1 message/s) and without it
 * (KVLAB_SLACK_PACE_MS=0).
 * Run: `npx node bench/bot/end-to-end.ts`.
 */
import { jobIdFor } from '../../src/queue/bullmq-diagnosis-queue.ts';
import { percentile, round, startBenchBot } from './bench-bot.ts';

const CHANNEL = 'C0CLASSA01';

for (const pace of ['1000', '0']) {
  const bench = await startBenchBot({ role: 'all', env: { KVLAB_SLACK_PACE_MS: pace } });
  try {
    const verdict: number[] = [];
    const final: number[] = [];
    // Paced: 10 students, each after the channel's burst allowance has refilled (3 × 1 s), so each is measured
    // alone; unpaced: all 22.
    const students = pace === '0' ? bench.students : bench.students.slice(0, 10);
    for (const student of students) {
      if (pace !== '0') await new Promise((resolve) => setTimeout(resolve, 3_100));
      const started = Date.now();
      const d = await bench.driver.slashCommand({
        url: bench.url,
        user: student.user,
        channel: CHANNEL,
        text: 'diagnose pod-keyvault',
      });
      const jobId = jobIdFor('cmd', d.triggerId);
      for (;;) {
        const job = await bench.queue.getJob(jobId);
        if (job?.finishedOn) {
          const ledger = await bench.ledger.get(jobId);
          const parent = bench.classroom.slack.server.store.messages(CHANNEL).find((m) => m.ts === ledger.parentTs);
          const editedAt = Number(parent?.edited?.ts ?? '0') * 1000;
          verdict.push(editedAt - started);
          final.push(job.finishedOn - started);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const stats = (xs: number[]) => ({
      p50: round(percentile(xs, 50)),
      p95: round(percentile(xs, 95)),
      max: round(Math.max(...xs)),
    });
    process.stdout.write(
      `${JSON.stringify({ paceMs: Number(pace), diagnoses: final.length, toVerdict: stats(verdict), toLastReply: stats(final) })}\n`,
    );
  } finally {
    await bench.close();
  }
}
