/**
 * A class whose roster says `answers: private`: a student's diagnosis goes to a DM from kvlab, never into the
 * class channel (a diagnosis shows that student's mistakes). The roster refuses any other value, naming both.
 * An answer given through the response_url (e.g. no such pod) says its details are below, not in a thread: there
 * it is a row of separate messages only the asker sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRoster } from '../../src/roster/roster.ts';
import type { SlackMessage } from '../../src/slack/messages.ts';
import { type BotFixture, parentsFor, readable, startBotFixture } from './bot-fixture.ts';

let fx: BotFixture;
beforeAll(async () => {
  fx = await startBotFixture();
  // The handlers read the roster the bot was started with; this class now answers privately.
  const cls = fx.classroom.slack.roster.classes[0];
  if (!cls) throw new Error('no class in the classroom roster');
  cls.answers = 'private';
}, 30_000);
afterAll(() => fx?.close());

describe('answers: private', () => {
  it('sends the student their diagnosis by DM and posts nothing in the class channel', async () => {
    const student = fx.studentOf('student-17');
    const channel = fx.classroom.slack.channel;
    const d = await fx.driver.slashCommand({ url: fx.url, user: student, channel, text: 'diagnose pod-keyvault' });
    expect(d.body).toContain('direct message');
    expect(await fx.settled(fx.jobIdOfCommand(d.triggerId))).toBe('completed');
    expect(parentsFor(fx, channel, 'student-17/pod-keyvault')).toEqual([]);
    const dm = fx.classroom.slack.server.store.openDm([student]).conversation.id;
    const parents = parentsFor(fx, dm, 'student-17/pod-keyvault');
    expect(parents).toHaveLength(1);
    expect(readable(parents[0]!)).toContain('SECRET_NOT_FOUND');
    expect(fx.classroom.slack.server.store.thread(dm, parents[0]!.ts).length).toBeGreaterThan(1);
  }, 30_000);

  it('says "details in the thread" where there is a thread, and "details below" in a private answer', async () => {
    const student = fx.studentOf('student-18');
    const channel = fx.classroom.slack.channel;
    /** The parent's context line: "… · <where the details are>". */
    const contextOf = (m: { blocks?: unknown[] }) =>
      String((m.blocks?.[1] as { elements?: Array<{ text?: string }> } | undefined)?.elements?.[0]?.text);
    const inDm = await fx.driver.slashCommand({ url: fx.url, user: student, channel, text: 'diagnose pod-keyvault' });
    expect(await fx.settled(fx.jobIdOfCommand(inDm.triggerId))).toBe('completed');
    const dm = fx.classroom.slack.server.store.openDm([student]).conversation.id;
    const [threaded] = parentsFor(fx, dm, 'student-18/pod-keyvault');
    expect(contextOf(threaded ?? {})).toMatch(/^`[A-Z_]+` · .+ · details in the thread 🧵$/);

    const missing = await fx.ask('student-18', 'diagnose no-such-pod');
    expect(await fx.settled(missing.jobId)).toBe('completed');
    const [first, ...rest] = fx.classroom.slack.server.store.responses(missing.responseUrl);
    const privately = first?.payload as unknown as SlackMessage;
    expect(String(privately.text)).toContain('student-18/no-such-pod');
    expect(rest.length).toBeGreaterThan(0);
    const meta = contextOf(privately);
    expect(meta).toMatch(/ · details below 👇$/);
    expect(meta).not.toContain('thread');
  }, 30_000);

  it('refuses another value in the roster with what the two choices mean', () => {
    const yaml = `admins: [U0ADMIN001]
classes:
  - name: class-a
    answers: privately
    instructors: [U0TEACH001]
    namespaces: [student-01]
    students: []
`;
    expect(() => parseRoster(yaml, 'roster.yaml')).toThrow(
      /roster\.yaml:4:\d+: answers of class "class-a" must be "channel" .* or "private"/,
    );
  });
});
