/**
 * `kvlab slack-send` reads back its own command's answer: in a burst of commands from several students in one
 * channel, each reader gets the thread of its own job (matched by the jobId in the answer's buttons), complete (the
 * checks table is in), and as readable text — never the first or newest bot thread in the channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnswerThread } from '../../src/cli/read-thread.ts';
import { type BotFixture, startBotFixture } from '../bot/bot-fixture.ts';

let fx: BotFixture;
const CLASS = 'C0CLASSA01';
const NAMESPACES = ['student-03', 'student-04', 'student-09', 'student-13', 'student-17', 'student-19'];

beforeAll(async () => {
  fx = await startBotFixture();
});
afterAll(() => fx?.close());

describe('readAnswerThread in a burst', () => {
  it('gives every command its own complete answer', async () => {
    const since = Date.now() / 1000 - 1;
    const deliveries = await Promise.all(
      NAMESPACES.map((ns) =>
        fx.driver.slashCommand({ url: fx.url, user: fx.studentOf(ns), channel: CLASS, text: 'diagnose pod-keyvault' }),
      ),
    );
    const threads = await Promise.all(
      deliveries.map((d) =>
        readAnswerThread({
          apiUrl: fx.classroom.slack.server.apiUrl,
          token: fx.config.SLACK_BOT_TOKEN,
          channel: CLASS,
          since,
          timeoutMs: 30_000,
          pollMs: 100,
          jobId: fx.jobIdOfCommand(d.triggerId),
        }),
      ),
    );
    threads.forEach((thread, i) => {
      const ns = NAMESPACES[i] as string;
      expect(thread?.complete, ns).toBe(true);
      expect(thread?.messages[0]).toContain(`${ns}/pod-keyvault`);
      for (const other of NAMESPACES.filter((n) => n !== ns)) {
        expect(thread?.messages.join('\n')).not.toContain(`${other}/pod-keyvault`);
      }
      // Readable: entities unescaped, no raw mrkdwn control sequences.
      expect(thread?.messages.join('\n')).not.toMatch(/&lt;|&gt;|&amp;/);
    });
    const broken = threads.find((t) => t && t.messages.length > 1);
    expect(broken?.messages.at(-1)).toMatch(/checked \d{4}-\d\d-\d\d [\d:]+ UTC/);
  }, 40_000);
});
