/**
 * A worker process is killed with SIGKILL in the middle of a job (after it posted the progress message, while the
 * diagnosis waits on a slow Kubernetes API); its job lock lapses, another worker picks the job up, and Slack ends
 * with exactly one parent — the progress message, edited to the verdict — and one set of replies.
 * The first worker is the real `kvlab serve --role worker` in a child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotEnv } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createDeliveryLedger } from '../../src/queue/delivery-ledger.ts';
import { redisKeys } from '../../src/queue/redis.ts';
import { renderDiagnosis } from '../../src/slack/render-diagnosis.ts';
import { type RunningBot, startBot } from '../../src/slack-app/start-bot.ts';
import { type BotFixture, parentsFor, readable, startBotFixture } from './bot-fixture.ts';

const CLASS = 'C0CLASSA01';
const NAMESPACE = 'student-19';
let fx: BotFixture;
let dir: string;
let child: ChildProcess | undefined;
let second: RunningBot | undefined;
const childOutput: string[] = [];

beforeAll(async () => {
  // A 1 s job lock, so the killed worker's job lapses and passes to the other one quickly.
  fx = await startBotFixture({ role: 'receiver', env: { KVLAB_JOB_LOCK_MS: '1000' } });
  dir = await mkdtemp(join(tmpdir(), 'kvlab-worker-crash-'));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await second?.close();
  await fx?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts `kvlab serve --role worker` on Node 24 (this test's own runtime) against the fixture's Redis and sims. */
async function startChildWorker(): Promise<ChildProcess> {
  const kubeconfig = join(dir, 'kubeconfig');
  const ca = join(dir, 'ca.pem');
  await writeFile(kubeconfig, fx.kubeconfigYaml, { mode: 0o600 });
  await writeFile(ca, fx.classroom.caPem);
  const proc = spawn(process.execPath, ['bin/kvlab.js', 'serve', '--role', 'worker'], {
    env: { ...process.env, ...fx.env, KUBECONFIG: kubeconfig, KVLAB_CA_FILE: ca, NODE_EXTRA_CA_CERTS: ca },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (chunk: Buffer) => childOutput.push(chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => childOutput.push(chunk.toString()));
  await waitFor(
    () => childOutput.join('').includes('kvlab serve ready'),
    20_000,
    () => childOutput.join(''),
  );
  return proc;
}

describe('a worker killed with SIGKILL mid-job', () => {
  it('is replaced by another worker, and Slack shows one parent and one set of replies', async () => {
    child = await startChildWorker();
    // The pod read hangs for 5 s: the child is inside the diagnosis when it dies.
    const slow = fx.classroom.k8s.faults.add({
      path: new RegExp(`/namespaces/${NAMESPACE}/pods/pod-keyvault$`),
      latencyMs: 5000,
    });
    const { jobId } = await fx.ask(NAMESPACE);
    const progress = await waitFor(() => parentsFor(fx, CLASS, `${NAMESPACE}/pod-keyvault`)[0], 10_000);
    expect(progress.text).toContain('Diagnosing');
    // Kill once the worker has recorded the progress message (it is then waiting on the slow pod read). A kill in
    // the instant between Slack's answer and that Redis write is the one case that repeats a message.
    const ledger = createDeliveryLedger(fx.redis, redisKeys(fx.prefix));
    await waitForAsync(async () => (await ledger.get(jobId)).parentTs === progress.ts, 5_000);
    expect(await fx.queue.getJobState(jobId)).toBe('active');

    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    fx.classroom.k8s.faults.remove(slow);

    second = await startBot({
      config: loadBotEnv(fx.env, 'worker'),
      log: createLogger({ level: 'silent' }),
      engine: fx.engine,
    });
    expect(await fx.settled(jobId, 15_000)).toBe('completed');

    const parents = parentsFor(fx, CLASS, `${NAMESPACE}/pod-keyvault`);
    expect(parents).toHaveLength(1);
    expect(parents[0]?.ts).toBe(progress.ts);
    const report = await ledger.report(jobId);
    if (!report) throw new Error('the second worker stored no report');
    const { parent, replies } = renderDiagnosis(report, { jobId });
    expect(readable(parents[0] ?? {})).not.toContain('Diagnosing');
    expect(parents[0]?.text).toBe(parent.text);
    const thread = fx.classroom.slack.server.store.thread(CLASS, progress.ts).slice(1);
    expect(thread.map((m) => m.text)).toEqual(replies.map((r) => r.text));
  });
});

async function waitFor<T>(read: () => T | undefined | false, timeoutMs: number, explain?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${explain ? `: ${explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function waitForAsync(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
