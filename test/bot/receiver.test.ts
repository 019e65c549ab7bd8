/**
 * The receiver's gatekeeping, through the real Bolt HTTP receiver: Slack's signature is verified before anything
 * runs, the roster decides who may diagnose what (refusals say whom to ask), bad input gets a usage error, a
 * repeated question joins the pending job, a flood gets "slow down" — and in each refused case nothing is queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotFixture, parentsFor, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';
const INSTRUCTOR = 'U0INSTRUCT';
const queued = async () => {
  const counts = await fx.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
};
const ackOf = (body: string) => JSON.parse(body) as { response_type?: string; text?: string; blocks?: unknown[] };

beforeAll(async () => {
  fx = await startBotFixture({ env: { KVLAB_USER_RATE_LIMIT: '5' } });
});
afterAll(() => fx?.close());

describe('Slack request verification', () => {
  it.each([
    ['a forged signature', { signingSecret: 'not-the-signing-secret' }],
    ['a stale timestamp (6 minutes old)', { timestampSeconds: Math.floor(Date.now() / 1000) - 360 }],
    ['no signature', { omitHeaders: ['x-slack-signature' as const] }],
    ['no timestamp', { omitHeaders: ['x-slack-request-timestamp' as const] }],
  ])('answers 401 to %s and queues nothing', async (_what, forge) => {
    const before = await queued();
    const res = await fx.ask('student-03', 'diagnose pod-keyvault', { forge });
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await queued()).toBe(before);
  });

  it('serves a health check for Kubernetes probes', async () => {
    const res = await fetch(fx.url.replace('/slack/events', '/healthz'));
    expect(res.status).toBe(200);
  });
});

describe('authorization from the roster', () => {
  it('refuses a student asking about another student’s namespace, says whom to ask, and queues nothing', async () => {
    const before = await queued();
    const res = await fx.ask('student-04', 'diagnose pod-keyvault -n student-05');
    const ack = ackOf(res.body);
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain('only your own namespace (student-04), not student-05');
    expect(JSON.stringify(ack.blocks)).toContain(`<@${INSTRUCTOR}>`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await queued()).toBe(before);
  });

  it('refuses someone who is not on the roster and names the operator to ask', async () => {
    fx.classroom.slack.server.workspace.users.push({ id: 'U0STRANGER', name: 'stranger' });
    const before = await queued();
    const res = await fx.command('stranger', 'diagnose x');
    const ack = ackOf(res.body);
    expect(ack.text).toContain('not on the kvlab roster');
    expect(JSON.stringify(ack.blocks)).toContain('<@U0OPERATOR>');
    expect(await queued()).toBe(before);
  });

  it('asks an instructor, who has no namespace of their own, to name one', async () => {
    const res = await fx.command(INSTRUCTOR, 'diagnose x');
    expect(ackOf(res.body).text).toContain('no namespace of your own');
  });

  it('lets an instructor diagnose any namespace of the class', async () => {
    const res = await fx.command(INSTRUCTOR, 'diagnose pod-keyvault -n student-03');
    expect(ackOf(res.body).text).toContain('Diagnosing `student-03/pod-keyvault`');
    expect(await fx.settled(res.jobId)).toBe('completed');
    expect(parentsFor(fx, CLASS, 'student-03/pod-keyvault')).toHaveLength(1);
  });

  it('grants access through the roster’s namespace annotation, read from the cluster', async () => {
    const ns = fx.classroom.k8s.store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'student-06' });
    const metadata = ns?.metadata as { annotations?: Record<string, string> };
    metadata.annotations = { ...metadata.annotations, 'kvlab.io/slack-users': fx.studentOf('student-08') };
    fx.classroom.k8s.store.update({ ...ns, metadata: { ...metadata, resourceVersion: undefined } });
    const res = await fx.ask('student-08', 'diagnose pod-keyvault -n student-06');
    expect(ackOf(res.body).text).toContain('Diagnosing `student-06/pod-keyvault`');
    expect(await fx.settled(res.jobId)).toBe('completed');
  });
});

describe('bad input, repeats and floods', () => {
  it.each([
    ['diagnose', 'Name the pod'],
    ['diagnose a b', 'exactly one pod'],
    ['diagnose Pod_KeyVault', 'not a valid pod name'],
    ['diagnose pod-keyvault -n <!channel>', 'not a valid namespace name'],
    ['frobnicate', 'is not a kvlab command'],
  ])('answers `/kvlab %s` with an ephemeral usage error and queues nothing', async (text, message) => {
    const before = await queued();
    const res = await fx.ask('student-09', text);
    const ack = ackOf(res.body);
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain(message);
    expect(JSON.stringify(ack)).not.toContain('<!channel>');
    expect(await queued()).toBe(before);
  });

  it('answers help, an empty command and an unknown class without queueing', async () => {
    const before = await queued();
    const user = fx.studentOf('student-10');
    const help = await fx.command(user, 'help');
    const empty = await fx.command(user, '');
    const status = await fx.command(INSTRUCTOR, 'status class-z');
    expect(JSON.stringify(ackOf(help.body).blocks)).toContain('/kvlab diagnose');
    expect(ackOf(empty.body).text).toBe(ackOf(help.body).text);
    expect(ackOf(status.body).text).toContain('There is no class `class-z` on the roster. Yours: `class-a`.');
    expect(await queued()).toBe(before);
  });

  it('joins a pending diagnosis when the same student asks again, and says "slow down" past the limit', async () => {
    const fault = fx.classroom.k8s.faults.add({
      path: /\/namespaces\/student-11\/pods\/pod-keyvault$/,
      latencyMs: 1500,
    });
    const user = fx.studentOf('student-11');
    const first = await fx.command(user);
    const repeats = [];
    for (let i = 0; i < 4; i++) {
      repeats.push(await fx.command(user));
    }
    const flood = await fx.command(user);
    expect(ackOf(flood.body).text).toContain('Slow down');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const r of repeats) {
      expect(fx.classroom.slack.server.store.responses(r.responseUrl)[0]?.payload.text).toContain('already asked');
      expect(await fx.queue.getJob(r.jobId)).toBeUndefined();
    }
    expect(await fx.settled(first.jobId)).toBe('completed');
    fx.classroom.k8s.faults.remove(fault);
    expect(parentsFor(fx, CLASS, 'student-11/pod-keyvault')).toHaveLength(1);
  });
});
