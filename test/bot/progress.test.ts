/**
 * While a slow diagnosis runs, the parent message shows which checks are done, edited in place; the final
 * answer then replaces it. Quick diagnoses (under a second and a half) skip the intermediate edits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotFixture, parentsFor, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';

beforeAll(async () => {
  fx = await startBotFixture({ env: { KVLAB_SLACK_PACE_MS: '50' } });
});
afterAll(() => fx?.close());

async function diagnoseCountingUpdates(namespace: string): Promise<number> {
  const { requests } = fx.classroom.slack.server;
  const before = requests.calls.length;
  const res = await fx.ask(namespace);
  expect(await fx.settled(res.jobId)).toBe('completed');
  return requests.calls.slice(before).filter((c) => c.method === 'chat.update' && c.status === 200).length;
}

describe('progress while checks run', () => {
  it('edits the parent with the finished steps when the cluster is slow, then shows the verdict', async () => {
    const fault = fx.classroom.k8s.faults.add({
      path: '/api/v1/namespaces/{namespace}/events',
      latencyMs: 1_800,
      times: 1,
    });
    const updates = await diagnoseCountingUpdates('student-17');
    expect(fault.hits).toBe(1);
    expect(updates).toBeGreaterThanOrEqual(2);
    const parents = parentsFor(fx, CLASS, 'student-17/pod-keyvault');
    expect(parents).toHaveLength(1);
    expect(parents[0]?.text).toMatch(/^❌/);
  });

  it('goes straight from "Diagnosing…" to the verdict when the diagnosis is quick', async () => {
    expect(await diagnoseCountingUpdates('student-13')).toBe(1);
  });
});
