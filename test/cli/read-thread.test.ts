/**
 * `kvlab slack-send` reads back its own command's answer: in a burst of commands from several students in one
 * channel, each reader gets the thread of its own job (matched by the jobId in the answer's buttons), complete (the
 * checks table is in), and as readable text — never the first or newest bot thread in the channel. An answer that
 * came privately through the response_url (no thread) is printed as soon as it is complete, not after `--wait`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readAnswerThread } from '../../src/cli/read-thread.ts';
import { runSlackSendCommand } from '../../src/cli/slack-send-command.ts';
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

describe('kvlab slack-send with a private answer', () => {
  it('prints the response_url answer as soon as it is complete, without waiting for a thread', async () => {
    const saved = { ...process.env };
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    Object.assign(process.env, {
      SLACK_API_URL: fx.classroom.slack.server.apiUrl,
      SLACK_BOT_TOKEN: fx.config.SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: fx.config.SLACK_SIGNING_SECRET,
    });
    try {
      // Ten minutes of --wait: only returning early lets this test end within its 30 s.
      const code = await runSlackSendCommand([
        '--as',
        fx.studentOf('student-05'),
        '--channel',
        CLASS,
        '--url',
        fx.url,
        '--sim',
        fx.classroom.slack.server.baseUrl,
        '--wait',
        '600000',
        '/kvlab diagnose no-such-pod',
      ]);
      expect(code).toBe(0);
    } finally {
      write.mockRestore();
      process.env = saved;
    }
    const text = out.join('');
    const answers = text.split('\n').filter((l) => l.startsWith('response_url ephemeral: '));
    expect(answers[0]).toContain('student-05/no-such-pod');
    expect(answers.length).toBeGreaterThan(1);
    // The whole private answer: its parent says where the details are, and they end with the checks table.
    expect(text).toContain('details below');
    expect(text).toMatch(/checked \d{4}-\d\d-\d\d [\d:]+ UTC\n$/);
    // Printed once each, and no thread was waited for or reported missing.
    expect(new Set(answers).size).toBe(answers.length);
    expect(text.split('\n').filter((l) => /^(thread|answer|reply)\b/.test(l))).toEqual([]);
  }, 30_000);
});
