/**
 * `/kvlab status` end to end through Slack, on real Redis, BullMQ and Bolt against the simulated classroom: the
 * instructor's class status arrives in their DM (never the class channel) with every row in the thread; Refresh
 * edits the same messages; a student sees only their own row; anyone else is refused with nothing queued; a
 * blocked row's "Diagnose" threads a full diagnosis under the status.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdFor } from '../../src/queue/bullmq-diagnosis-queue.ts';
import { STATUS_DIAGNOSE_ACTION_ID, STATUS_REFRESH_ACTION_ID } from '../../src/slack/interaction-ids.ts';
import { type BotFixture, readable, startBotFixture } from './bot-fixture.ts';

const INSTRUCTOR = 'U0INSTRUCT';
let fx: BotFixture;
beforeAll(async () => {
  fx = await startBotFixture();
}, 30_000);
afterAll(() => fx?.close());

const store = () => fx.classroom.slack.server.store;
const dmOf = (user: string) => store().openDm([user]).conversation.id;
const statusJob = (triggerId: string) => jobIdFor('status', triggerId);

describe('/kvlab status', () => {
  let parentTs = '';

  it('sends the instructor the class status by DM: summary parent, rows in the thread, nothing in the class channel', async () => {
    const channel = fx.classroom.slack.channel;
    const before = store().messages(channel).length;
    const d = await fx.command(INSTRUCTOR, 'status class-a');
    expect(d.status).toBe(200);
    expect(JSON.parse(d.body)).toMatchObject({ response_type: 'ephemeral' });
    expect(d.body).toContain('direct message');
    const state = await fx.settled(statusJob(d.triggerId));
    expect(state, (await fx.queue.getJob(statusJob(d.triggerId)))?.failedReason).toBe('completed');
    expect(store().messages(channel)).toHaveLength(before);
    const dm = store().messages(dmOf(INSTRUCTOR));
    expect(dm).toHaveLength(1);
    const parent = dm[0]!;
    parentTs = parent.ts;
    expect(readable(parent)).toMatch(
      /class-a · 24 students · 2 mounted ✅ · 20 blocked · 1 in progress · 1 not started/,
    );
    expect(readable(parent)).toContain('Needs the instructor');
    const replies = store().thread(dmOf(INSTRUCTOR), parent.ts).slice(1);
    expect(replies).toHaveLength(2); // 24 rows, 20 a page
    const rows = replies.map(readable).join('\n');
    for (let n = 1; n <= 24; n++) expect(rows).toContain(`student-${String(n).padStart(2, '0')}`);
    expect(rows).toContain('SECRET_NOT_FOUND');
  }, 30_000);

  it('Refresh edits the same parent and replies in place', async () => {
    const channel = dmOf(INSTRUCTOR);
    const threadBefore = store()
      .thread(channel, parentTs)
      .map((m) => m.ts);
    const editedBefore = store()
      .thread(channel, parentTs)
      .map((m) => m.edited?.ts);
    const d = await fx.driver.blockAction({
      url: fx.url,
      user: INSTRUCTOR,
      channel,
      messageTs: parentTs,
      actionId: STATUS_REFRESH_ACTION_ID,
    });
    expect(d.status).toBe(200);
    const jobId = jobIdFor('status', `refresh-${d.triggerId}`);
    expect(await fx.settled(jobId)).toBe('completed');
    expect(store().messages(channel)).toHaveLength(1);
    const thread = store().thread(channel, parentTs);
    expect(thread.map((m) => m.ts)).toEqual(threadBefore);
    // Every message (parent and both row pages) was edited again by the refresh.
    const editedAfter = thread.map((m) => m.edited?.ts);
    expect(editedAfter.every((ts, i) => ts !== undefined && ts !== editedBefore[i])).toBe(true);
  }, 30_000);

  it('Diagnose on a blocked row threads the full diagnosis under the status, in the DM', async () => {
    const channel = dmOf(INSTRUCTOR);
    const page = store().thread(channel, parentTs)[1]!;
    const d = await fx.driver.blockAction({
      url: fx.url,
      user: INSTRUCTOR,
      channel,
      messageTs: page.ts,
      actionId: STATUS_DIAGNOSE_ACTION_ID,
    });
    expect(d.status).toBe(200);
    const jobId = jobIdFor('rerun', d.triggerId);
    expect(await fx.settled(jobId, 30_000)).toBe('completed');
    const thread = store().thread(channel, parentTs).map(readable).join('\n');
    // The first Diagnose button of the first page is student-03's (01 and 02 are mounted).
    expect(thread).toContain('student-03/pod-keyvault');
    expect(thread).toContain('SPC_NOT_FOUND');
  }, 40_000);

  it('shows a student only their own row, ephemeral', async () => {
    const { user: student, ...d } = await fx.ask('student-13', 'status');
    expect(await fx.settled(statusJob(d.triggerId))).toBe('completed');
    const shown = store()
      .ephemerals(student)
      .filter((m) => m.via === 'chat.postEphemeral')
      .map(readable)
      .join('\n');
    expect(shown).toContain('student-13');
    expect(shown).toContain('ACCESS_DENIED');
    expect(shown).not.toMatch(/student-(0[0-9]|1[0-24-9]|2[0-9])/);
    expect(store().messages(dmOf(student))).toHaveLength(0);
  }, 30_000);

  it('refuses anyone who neither teaches nor attends the class, and queues nothing', async () => {
    fx.classroom.slack.server.workspace.users.push({ id: 'U0OUTSIDE1', name: 'outsider' });
    const outsider = 'U0OUTSIDE1';
    const waiting = await fx.queue.getJobCounts();
    const d = await fx.ask('student-05', 'status class-b');
    expect(d.body).toContain('no class');
    const e = await fx.command(outsider, 'status class-a');
    expect(JSON.parse(e.body)).toMatchObject({ response_type: 'ephemeral' });
    expect(e.body).toMatch(/instructors|not on the class roster/);
    expect(await fx.queue.getJobCounts()).toEqual(waiting);
  });

  it('kvlab slack-send prints the status where it was delivered: the DM thread for the instructor', async () => {
    const port = new URL(fx.url).port;
    const out = await new Promise<string>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          join(import.meta.dirname, '../../bin/kvlab.js'),
          'slack-send',
          '--as',
          INSTRUCTOR,
          '--channel',
          fx.classroom.slack.channel,
          '/kvlab status class-a',
        ],
        { env: { PATH: process.env.PATH ?? '', ...fx.env, PORT: port } },
      );
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('close', () => resolve(text));
    });
    expect(out).toMatch(/answer \(DM D[A-Z0-9]+\)/);
    expect(out).toContain('class-a · 24 students');
    expect(out).toContain('reply 2');
    expect(out).toContain('student-24');
  }, 30_000);
});
