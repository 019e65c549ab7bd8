/**
 * Operating the bot: one bad request never takes it down (a signed `payload=null` is answered 400, the process keeps
 * serving), future-dated Slack timestamps are refused like stale ones, `/healthz` `/readyz` `/metrics` answer, the
 * audit stream records who asked what, and `explain`/`lint` answer only people on the roster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../sim/slack/signing.ts';
import { auditStreamKey } from '../../src/audit.ts';
import { type BotFixture, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
const base = () => fx.url.replace('/slack/events', '');

beforeAll(async () => {
  fx = await startBotFixture();
});
afterAll(() => fx?.close());

/** POSTs `body` to the bot signed with its signing secret (or `secret`) at `timestamp`. */
async function signedPost(body: string, options: { contentType?: string; timestamp?: number; secret?: string } = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.secret ?? (fx.config.SLACK_SIGNING_SECRET as string);
  const res = await fetch(fx.url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

describe('a bad request never takes the service down', () => {
  it.each([
    ['payload=null', 'payload=null', undefined],
    ['payload=42', 'payload=42', undefined],
    ['a JSON body null', 'null', 'application/json'],
  ])('answers 400 to a signed %s, logs it once, and keeps serving', async (_what, body, contentType) => {
    const before = fx.logLines.filter((l) => l.includes('is not a JSON object')).length;
    const res = await signedPost(body, contentType ? { contentType } : {});
    expect(res.status).toBe(400);
    expect(fx.logLines.filter((l) => l.includes('is not a JSON object')).length).toBe(before + 1);
    const next = await fx.ask('student-03', 'help');
    expect(next.status).toBe(200);
  });

  it('answers 401 to an unsigned payload=null, like any forged request', async () => {
    expect((await signedPost('payload=null', { secret: 'not-the-secret' })).status).toBe(401);
  });
});

describe('Slack request timestamps', () => {
  it('refuses a correctly signed request whose timestamp is six minutes ahead', async () => {
    const ahead = Math.floor(Date.now() / 1000) + 360;
    const res = await fx.ask('student-03', 'help', { forge: { timestampSeconds: ahead } });
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
  });

  it('accepts a little clock skew ahead (one minute)', async () => {
    const res = await fx.ask('student-03', 'help', { forge: { timestampSeconds: Math.floor(Date.now() / 1000) + 60 } });
    expect(res.status).toBe(200);
  });
});

describe('health, readiness and metrics', () => {
  it('serves /healthz and a /readyz that checked Redis, Kubernetes and Slack', async () => {
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { redis: 'ok', kubernetes: 'ok', slack: 'ok' } });
  });

  it('exposes the metrics after a diagnosis', async () => {
    const res = await fx.ask('student-13'); // ACCESS_DENIED: the replay talks to Entra ID and Key Vault
    expect(await fx.settled(res.jobId)).toBe('completed');
    const scrape = await fetch(`${base()}/metrics`);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toMatch(/kvlab_commands_total\{kind="diagnose"\} [1-9]/);
    expect(text).toMatch(/kvlab_ack_duration_seconds_count [1-9]/);
    expect(text).toMatch(/kvlab_jobs_total\{kind="diagnose",outcome="completed"\} [1-9]/);
    expect(text).toMatch(/kvlab_job_duration_seconds_count\{kind="diagnose"\} [1-9]/);
    expect(text).toMatch(/kvlab_queue_jobs\{state="waiting"\} \d/);
    expect(text).toMatch(/kvlab_upstream_requests_total\{service="kubernetes",code="200"\} [1-9]/);
    expect(text).toMatch(/kvlab_upstream_requests_total\{service="azure",code="\d+"\} [1-9]/);
    expect(text).toMatch(/kvlab_upstream_requests_total\{service="slack",code="200"\} [1-9]/);
    expect(text).toContain('# TYPE kvlab_slack_rate_limited_total counter');
    expect(text).toContain('# TYPE kvlab_alerts_total counter');
    expect(text).toMatch(/process_cpu_user_seconds_total \d/);
  });
});

describe('audit log', () => {
  it('records who asked about which namespace, and the verdict, in a bounded Redis stream', async () => {
    const user = fx.studentOf('student-05');
    const { jobId } = await fx.command(user);
    expect(await fx.settled(jobId)).toBe('completed');
    const read = async () =>
      (await fx.redis.xrange(auditStreamKey(fx.prefix), '-', '+')).map(([, fields]) =>
        Object.fromEntries(fields.flatMap((_, i) => (i % 2 ? [] : [[fields[i], fields[i + 1]]]))),
      );
    // The worker writes 'answered' as the job completes, without the job waiting for it: wait for the entry (a
    // fixed pause was a guess at how fast this machine is).
    let entries = await read();
    const deadline = Date.now() + 10_000;
    while (!entries.some((e) => e.user === user && e.stage === 'answered') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      entries = await read();
    }
    const ours = entries.filter((e) => e.user === user);
    expect(ours).toContainEqual(
      expect.objectContaining({ stage: 'received', action: 'diagnose', pod: 'pod-keyvault' }),
    );
    expect(ours).toContainEqual(
      expect.objectContaining({ stage: 'answered', action: 'diagnose', namespace: 'student-05', jobId }),
    );
    expect(ours.find((e) => e.stage === 'answered')?.verdict).toMatch(/healthy|broken|inconclusive/);
    const all = JSON.stringify(entries);
    expect(all).not.toContain(fx.config.SLACK_BOT_TOKEN);
    expect(all).not.toContain('hooks.slack');
    expect(fx.logLines.some((l) => l.includes('"audit":true') && l.includes(user))).toBe(true);
  });
});

describe('explain and lint for people on the roster', () => {
  it('refuses explain and lint to someone off the roster, naming the operator to ask', async () => {
    fx.classroom.slack.server.workspace.users.push({ id: 'U0OUTSIDER', name: 'outsider' });
    for (const text of ['explain AADSTS70021', 'lint']) {
      const res = await fx.command('outsider', text);
      const ack = JSON.parse(res.body) as { text?: string; blocks?: unknown[] };
      expect(ack.text).toContain('not on the kvlab roster');
      expect(JSON.stringify(ack.blocks)).toContain('<@U0OPERATOR>');
    }
  });

  it('answers explain for a student on the roster', async () => {
    const res = await fx.ask('student-03', 'explain AADSTS70021: No matching federated identity record found');
    expect(res.body).toContain('AUTH_FAILED');
  });
});
