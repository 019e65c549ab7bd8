/**
 * The watcher's alerts on /metrics: a mount failure alerted after the grace period counts as `posted`, its repeats
 * as `updated` edits of the same message, and the metrics endpoint of `--role all` shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bumpEvent,
  createFailingPod,
  readableOf,
  recordFailedMount,
  SPC_NOT_FOUND_MESSAGE,
  startWatcherFixture,
  type WatcherFixture,
  waitFor,
} from './watcher-fixture.ts';

let fx: WatcherFixture;
let metricsUrl: string;

beforeAll(async () => {
  fx = await startWatcherFixture();
  const bot = await fx.startPart('all');
  metricsUrl = `http://127.0.0.1:${bot.port ?? bot.healthPort}/metrics`;
}, 30_000);
afterAll(async () => {
  await fx?.close();
});

describe('alert metrics', () => {
  it('counts the posted alert and its edits', async () => {
    const pod = await createFailingPod(fx.admin, 'student-02', 'pod-metrics');
    const ev = await recordFailedMount(fx.admin, pod, SPC_NOT_FOUND_MESSAGE('student-02'));
    await waitFor(() => fx.parents('student-02/pod-metrics')[0], 15_000, 'the alert');
    // Once the alert's diagnosis is in, a repeat is an edit by the watcher (before, the job renders the count).
    await waitFor(
      () => !readableOf(fx.parents('student-02/pod-metrics')[0]).includes('Diagnosing'),
      15_000,
      'the diagnosis on the alert',
    );
    await bumpEvent(fx.admin, ev);
    await waitFor(() => readableOf(fx.parents('student-02/pod-metrics')[0]).includes('×2'), 10_000, 'count 2');
    // The alert's job completes (and is counted) a moment after its message appears.
    const deadline = Date.now() + 10_000;
    let text = '';
    do {
      text = await (await fetch(metricsUrl)).text();
      if (/kvlab_alerts_total\{action="posted"\} [1-9]/.test(text) && /action="updated"\} [1-9]/.test(text)) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(text).toMatch(/kvlab_alerts_total\{action="posted"\} [1-9]/);
    expect(text).toMatch(/kvlab_alerts_total\{action="updated"\} [1-9]/);
    expect(text).toMatch(/kvlab_alerts_suppressed\{reason="folded"\} \d/);
  }, 40_000);
});
