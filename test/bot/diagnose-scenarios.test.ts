/**
 * End to end through Slack: every student of the simulated classroom types `/kvlab diagnose pod-keyvault` in the
 * class channel at once; each gets an immediate ephemeral ack and then exactly one parent message with a thread
 * naming the cause their namespace's `kvlab.io/expect` annotation predicts, with a fix — or, when healthy, a short
 * green answer. Then the canary planted in the classroom vault is searched for everywhere kvlab writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTHY } from '../../diagnostics/categories.ts';
import type { Delivery } from '../../sim/slack/driver.ts';
import { type BotFixture, parentsFor, readable, startBotFixture } from './bot-fixture.ts';

const CANARY = 'KVLAB-CANARY-7f3e9c1d';
let fx: BotFixture;
let expectations: Array<{ namespace: string; expect: string }>;
const deliveries = new Map<string, Delivery>();

beforeAll(async () => {
  fx = await startBotFixture();
  expectations = fx.classroom.scenario.objects
    .filter((o) => o.kind === 'Namespace')
    .map((o) => o.metadata as { name: string; annotations?: Record<string, string> })
    .filter((m) => m.annotations?.['kvlab.io/expect'])
    .map((m) => ({ namespace: m.name, expect: m.annotations?.['kvlab.io/expect'] as string }));
  const sent = await Promise.all(
    expectations.map(async ({ namespace }) => {
      const delivery = await fx.ask(namespace);
      return [namespace, delivery] as const;
    }),
  );
  for (const [namespace, delivery] of sent) deliveries.set(namespace, delivery);
  await Promise.all(sent.map(([, d]) => fx.settled(d.jobId, 40_000)));
}, 60_000);
afterAll(() => fx?.close());

describe('/kvlab diagnose for every classroom namespace', () => {
  it('acknowledges every command within Slack’s 3 seconds with an ephemeral note naming the target', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(20);
    for (const { namespace } of expectations) {
      const d = deliveries.get(namespace);
      expect(d?.status, namespace).toBe(200);
      expect(d?.ackMs).toBeLessThan(3000);
      expect(JSON.parse(d?.body ?? '{}')).toMatchObject({ response_type: 'ephemeral' });
      expect(d?.body).toContain(`${namespace}/pod-keyvault`);
    }
  });

  it('posts exactly one parent per student with a thread naming the expected cause and a fix', () => {
    const channel = fx.classroom.slack.channel;
    const wrong: string[] = [];
    for (const { namespace, expect: expected } of expectations) {
      const parents = parentsFor(fx, channel, `${namespace}/pod-keyvault`);
      expect(parents, namespace).toHaveLength(1);
      const parent = parents[0];
      const thread = fx.classroom.slack.server.store.thread(channel, parent?.ts ?? '').slice(1);
      const text = readable(parent ?? {});
      if (expected === HEALTHY) {
        if (!text.startsWith('✅') || thread.length > 1) wrong.push(`${namespace}: expected a short green answer`);
        continue;
      }
      const first = readable(thread[0] ?? {});
      if (!text.startsWith('❌')) wrong.push(`${namespace}: parent is not a ❌ verdict: ${text.split('\n')[0]}`);
      if (!text.includes(`\`${expected}\``)) wrong.push(`${namespace}: parent does not name ${expected}`);
      if (!first.includes('1. Root cause') || !first.includes(`\`${expected}\``)) {
        wrong.push(`${namespace}: first reply does not explain ${expected} as the root cause`);
      }
      if (!first.includes('*Fix*')) wrong.push(`${namespace}: first reply has no fix`);
      if (!readable(thread.at(-1) ?? {}).includes('checks')) wrong.push(`${namespace}: no checks table at the end`);
      // The parent's one-line verdict names the root cause's title, as the first reply does.
      const title = /Root cause: ([^*\n]+)/.exec(first)?.[1]?.trim().slice(0, 40) ?? '<none>';
      if (!text.includes(title)) wrong.push(`${namespace}: parent and thread disagree on the title`);
    }
    expect(wrong).toEqual([]);
  });

  it('edits the progress message in place rather than posting a second one', () => {
    const { requests, store } = fx.classroom.slack.server;
    const channel = fx.classroom.slack.channel;
    // Every message kvlab posted is still there as a parent or a reply: nothing was posted twice and replaced.
    const shown = store.messages(channel).reduce((n, m) => n + store.thread(channel, m.ts).length, 0);
    expect(requests.methods['chat.postMessage'] ?? 0).toBe(shown);
    // At least one edit per answer turns its progress parent into the verdict (a slow machine adds progress edits).
    expect(requests.methods['chat.update'] ?? 0).toBeGreaterThanOrEqual(expectations.length);
  });

  it('never shows, logs or queues the canary secret value', async () => {
    const { store } = fx.classroom.slack.server;
    const slackText = JSON.stringify([
      ...[...store.conversations.keys()].flatMap((id) => [
        store.messages(id),
        ...store.messages(id).map((m) => store.thread(id, m.ts)),
      ]),
      ...fx.classroom.slack.server.workspace.users.map((u) => store.ephemerals(u.id)),
    ]);
    // Each haystack is first shown to hold what kvlab wrote (so the search is not vacuous), then searched.
    expect(slackText.length).toBeGreaterThan(10_000);
    expect(slackText.includes('db-password'), 'Slack shows secret names').toBe(true);
    expect(slackText.includes(CANARY), 'canary in a Slack message').toBe(false);
    const logs = fx.logLines.join('\n');
    expect(logs.includes('diagnosis done'), 'the worker logged').toBe(true);
    expect(logs.includes(CANARY), 'canary in a log line').toBe(false);
    const values = await dumpRedis(fx);
    expect(values.includes('pod-keyvault') && values.includes('requester'), 'job data is in Redis').toBe(true);
    expect(values.includes(CANARY), 'canary in Redis (job data, ledger, reports)').toBe(false);
  });
});

/** Every value under the test's Redis prefix (job data, ledger, reports, events), as one string. */
async function dumpRedis(f: BotFixture): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await f.redis.scan(cursor, 'MATCH', `${f.prefix}:*`, 'COUNT', 500);
    for (const key of keys) {
      const type = await f.redis.type(key);
      if (type === 'string') out.push(String(await f.redis.get(key)));
      else if (type === 'hash') out.push(JSON.stringify(await f.redis.hgetall(key)));
      else if (type === 'list') out.push(JSON.stringify(await f.redis.lrange(key, 0, -1)));
      else if (type === 'set') out.push(JSON.stringify(await f.redis.smembers(key)));
      else if (type === 'zset') out.push(JSON.stringify(await f.redis.zrange(key, '0', '-1')));
      else if (type === 'stream') out.push(JSON.stringify(await f.redis.xrange(key, '-', '+')));
    }
    cursor = next;
  } while (cursor !== '0');
  return out.join('\n');
}
