/**
 * End to end on the simulators, real Redis and BullMQ: a pod starts failing → exactly one alert after the grace
 * period with the right category and the diagnosis; 500 more FailedMount count bumps → still one message, count
 * updated; the fix → the same message turns ✅ with a thread reply. A pod that recovers inside the grace period
 * is never alerted; a class without an alert channel gets none and the log says so once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bumpEvent,
  createFailingPod,
  markMounted,
  readableOf,
  recordFailedMount,
  SPC_NOT_FOUND_MESSAGE,
  startWatcherFixture,
  type WatcherFixture,
  waitFor,
} from './watcher-fixture.ts';

let fx: WatcherFixture;
beforeAll(async () => {
  fx = await startWatcherFixture();
  await fx.startPart('all');
});
afterAll(async () => {
  await fx?.close();
});

describe('one failing pod', () => {
  it('alerts once after the grace period, counts repeats on the same message, and turns ✅ when fixed', async () => {
    const pod = await createFailingPod(fx.admin, 'student-01', 'pod-alert');
    const failedAt = Date.now();
    let ev = await recordFailedMount(fx.admin, pod, SPC_NOT_FOUND_MESSAGE('student-01'));
    const parent = await waitFor(() => fx.parents('student-01/pod-alert')[0], 15_000, 'the alert');
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(2_000);
    const text = readableOf(parent);
    expect(text).toContain('SPC_NOT_FOUND');
    expect(text).toContain('lab Common Problems row 3');
    expect(text).toContain('U0STUDENT01');
    await waitFor(
      () => !readableOf(fx.parents('student-01/pod-alert')[0]).includes('Diagnosing'),
      15_000,
      'the diagnosis',
    );
    const event = await waitFor(
      () => fx.thread(parent.ts).find((m) => readableOf(m).includes('Latest')),
      10_000,
      'the event reply',
    );
    expect(readableOf(event)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(fx.classroom.slack.server.store.messages('C0ALERTS01'))).not.toContain('<!channel>');

    for (let i = 0; i < 500; i++) ev = await bumpEvent(fx.admin, ev);
    // Waits (not timings): 500 events, then an update at the watcher's pace, can take a loaded CI machine well past
    // 10 s; a watcher that stopped counting never gets there however long it is given.
    await waitFor(() => readableOf(fx.parents('student-01/pod-alert')[0]).includes('×501'), 40_000, 'count 501');
    expect(fx.parents('student-01/pod-alert')).toHaveLength(1);

    await markMounted(fx.admin, pod);
    const fixed = await waitFor(
      () => {
        const p = fx.parents('student-01/pod-alert')[0];
        return p && readableOf(p).includes('✅') ? p : undefined;
      },
      30_000,
      'the ✅',
    );
    expect(fixed.ts).toBe(parent.ts);
    expect(fixed.text).toMatch(/^✅ student-01\/pod-alert mounted its secrets after \d+s$/);
    await waitFor(
      () => fx.thread(parent.ts).some((m) => readableOf(m).includes('mounted its secrets')),
      5_000,
      'the ✅ reply',
    );
    expect(fx.parents('student-01/pod-alert')).toHaveLength(1);
  }, 120_000);

  it('never alerts a pod that mounts within the grace period', async () => {
    const pod = await createFailingPod(fx.admin, 'student-02', 'pod-quick');
    await recordFailedMount(fx.admin, pod, SPC_NOT_FOUND_MESSAGE('student-02'));
    // Mounted at once, not after a pause: a pause on a slow machine could outlast the 2 s grace and make it alert.
    await markMounted(fx.admin, pod);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(fx.parents('student-02/pod-quick')).toEqual([]);
  });

  it('sends nothing for a class without an alert channel, and logs it once at start', async () => {
    const pod = await createFailingPod(fx.admin, 'student-03', 'pod-nochannel');
    await recordFailedMount(fx.admin, pod, SPC_NOT_FOUND_MESSAGE('student-03'));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(fx.parents('student-03/pod-nochannel')).toEqual([]);
    expect(fx.logLines.filter((l) => l.includes('class has no alertChannel')).length).toBe(1);
  });
});
