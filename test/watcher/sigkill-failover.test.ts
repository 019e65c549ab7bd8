/**
 * The leading watcher is the real `kvlab serve --role watcher` in a child process and dies by SIGKILL while an
 * incident is open: it releases nothing, so its Lease stays held until it expires. A second watcher process
 * started at once must wait out the dead leader's Lease (KVLAB_LEASE_DURATION_SECONDS=2), then continues from
 * Redis: no second alert, the count keeps going on the same message, and the fix still turns that message ✅.
 * The kubelet is the simulated one, so the failure and the fix are real mounts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recreatePod, replaceInObjects } from '../../sim/kubelet/timeline.ts';
import {
  FAILOVER_ENV,
  quickKubelet,
  readableOf,
  startWatcherFixture,
  type WatcherFixture,
  waitFor,
} from './watcher-fixture.ts';

let fx: WatcherFixture;
const children: ChildProcess[] = [];
beforeAll(async () => {
  fx = await startWatcherFixture(FAILOVER_ENV, { kubelet: quickKubelet(['student-01']) });
  await fx.classroom.kubelet?.settle();
  await fx.startPart('worker');
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await fx?.close();
});

interface ChildWatcher {
  proc: ChildProcess;
  output: string[];
  startedAt: number;
  /** Resolves with the time this process started leading. */
  leading: Promise<number>;
}

/** `kvlab serve --role watcher` on this test's Node, with the fixture's settings, Redis prefix and sims. */
async function startChildWatcher(name: string): Promise<ChildWatcher> {
  const kubeconfig = join(fx.dir, 'kubeconfig');
  const ca = join(fx.dir, 'ca.pem');
  await writeFile(kubeconfig, fx.kubeconfigYaml, { mode: 0o600 });
  await writeFile(ca, fx.classroom.caPem);
  const startedAt = Date.now();
  const proc = spawn(process.execPath, ['bin/kvlab.js', 'serve', '--role', 'watcher'], {
    env: {
      ...process.env,
      ...fx.env,
      KUBECONFIG: kubeconfig,
      KVLAB_CA_FILE: ca,
      NODE_EXTRA_CA_CERTS: ca,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  const output: string[] = [];
  const leading = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (chunk.toString().includes('watcher leading')) resolve(Date.now());
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code, signal) => reject(new Error(`watcher ${name} exited (${code ?? signal})`)));
  });
  leading.catch(() => undefined);
  await waitFor(() => output.join('').includes('kvlab serve ready'), 20_000, `watcher ${name} ready`);
  return { proc, output, startedAt, leading };
}

const ctx = () => ({ store: fx.classroom.k8s.store, azure: fx.classroom.scenario.azure });

describe('a leading watcher killed with SIGKILL mid-incident', () => {
  it('is replaced after its Lease expires, with no duplicate alert, and the incident still resolves', async () => {
    const first = await startChildWatcher('watcher-one');
    await first.leading;

    await replaceInObjects('student-01', 'azure-kv-secrets', 'objectName: api-key', 'objectName: api-kee')(ctx());
    await recreatePod('student-01', 'pod-keyvault')(ctx());
    const parent = await waitFor(() => fx.parents('student-01/pod-keyvault')[0], 15_000, 'the alert');
    await waitFor(() => readableOf(fx.parents('student-01/pod-keyvault')[0]).includes('❌'), 15_000, 'the diagnosis');
    const countOnMessage = () => Number(/×(\d+)/.exec(readableOf(fx.parents('student-01/pod-keyvault')[0]))?.[1]);
    const before = await waitFor(() => countOnMessage() > 1 && countOnMessage(), 10_000, 'a count edit');

    first.proc.kill('SIGKILL');
    await new Promise((resolve) => first.proc.once('exit', resolve));
    const second = await startChildWatcher('watcher-two');
    const ledAt = await second.leading;
    // It had to wait for the dead leader's Lease (2 s, measured from when it first read it) to expire.
    expect(ledAt - second.startedAt).toBeGreaterThanOrEqual(1_900);

    // The new leader keeps counting on the same message …
    await waitFor(() => countOnMessage() > before, 10_000, 'the count edited by the new leader');
    expect(fx.parents('student-01/pod-keyvault')).toHaveLength(1);

    // … and resolves the incident it did not open.
    await replaceInObjects('student-01', 'azure-kv-secrets', 'objectName: api-kee', 'objectName: api-key')(ctx());
    const fixed = await waitFor(
      () => {
        const p = fx.parents('student-01/pod-keyvault')[0];
        return p && readableOf(p).includes('✅') ? p : undefined;
      },
      10_000,
      'the ✅',
    );
    expect(fixed.ts).toBe(parent.ts);
    expect(fx.parents('student-01/pod-keyvault')).toHaveLength(1);
    expect(
      fx.classroom.slack.server.store.messages('C0ALERTS01').filter((m) => !m.thread_ts || m.thread_ts === m.ts),
    ).toHaveLength(1);
  });
});
