/**
 * Retry timing on the live classroom, with the kubelet limited to one namespace and small backoff values:
 * waits double from the initial value to the cap, each retry bumps the same Event, and a change the mount
 * depends on (driven by a scripted timeline) resets the backoff and retries at once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AttemptReport } from '../../../sim/kubelet/kubelet.ts';
import { editSpc, replaceInObjects, runTimeline } from '../../../sim/kubelet/timeline.ts';
import { eventsOf, type Obj, pod, startKubeletClassroom } from './kubelet-fixture.ts';

let c: Awaited<ReturnType<typeof startKubeletClassroom>>;
const attempts: AttemptReport[] = [];

beforeAll(async () => {
  c = await startKubeletClassroom({
    kubelet: { namespaces: ['student-17'], backoff: { initialMs: 40, maxMs: 320 }, events: { spamBurst: 1000 } },
  });
  c.kubelet.onAttempt((r) => attempts.push(r));
});
afterAll(() => c?.close());

const waitForAttempts = async (n: number) => {
  while (attempts.length < n) await c.kubelet.nextAttempt();
};

it('doubles the wait from the initial value to the cap, bumping one Event', async () => {
  await waitForAttempts(6);
  expect(attempts.slice(0, 6).map((a) => a.retryInMs)).toEqual([40, 80, 160, 320, 320, 320]);
  const gaps = attempts.slice(1, 6).map((a, i) => a.at.getTime() - (attempts[i] as AttemptReport).at.getTime());
  // The classroom runs on the wall clock here: each retry came no earlier than the wait announced before it.
  for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual((attempts[i]?.retryInMs ?? 0) - 5);
  const p = pod(c, 'student-17') as Obj;
  const [event] = eventsOf(c, 'student-17', p.metadata.uid).filter((e) => e.message.includes('db-passwd'));
  expect(event?.count).toBeGreaterThanOrEqual(14 + 6);
  expect(attempts.every((a) => a.namespace === 'student-17')).toBe(true);
});

it('resets the backoff on a change and mounts once the timeline fixes the SPC', async () => {
  const before = attempts.length;
  const started = Date.now();
  const reports = await runTimeline({ store: c.k8s.store, azure: c.scenario.azure }, [
    {
      at: 0,
      name: 'touch',
      do: editSpc('student-17', 'azure-kv-secrets', (s) => Object.assign(s.metadata, { labels: { touched: 'yes' } })),
    },
    { at: 30, name: 'fix', do: replaceInObjects('student-17', 'azure-kv-secrets', 'db-passwd', 'db-password') },
  ]);
  expect(reports.map((r) => [r.name, r.error])).toEqual([
    ['touch', undefined],
    ['fix', undefined],
  ]);
  // Retries due within a second count too: on a loaded machine one attempt may meet a slow simulator.
  await c.kubelet.settle(1_000);
  const after = attempts.slice(before);
  // The touch retried at once (well before the 320 ms the backoff had reached) with the backoff back at 40 ms.
  expect(after[0]?.retryInMs).toBe(40);
  expect((after[0]?.at.getTime() ?? 0) - started).toBeLessThan(300);
  expect(after.at(-1)?.outcome).toBe('running');
  expect(pod(c, 'student-17')?.status.phase).toBe('Running');
  const count = attempts.length;
  await new Promise((r) => setTimeout(r, 400));
  expect(attempts.length).toBe(count);
});
