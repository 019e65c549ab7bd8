/**
 * The rendered messages are accepted by Slack's Web API as the Slack simulator implements it (Block Kit
 * validation, limits, `msg_too_long`): the real WebClient posts a diagnosis as a parent edited in place plus a
 * thread, the ephemeral answers, and opens the lint modal.
 */
import type { Block, KnownBlock, View } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../src/slack/messages.ts';
import { renderChecksTable, renderDiagnosis, renderProgress } from '../../src/slack/render-diagnosis.ts';
import { renderExplain } from '../../src/slack/render-explain.ts';
import { renderHelp, renderLintModal, renderRefusal, renderUsageError } from '../../src/slack/render-help.ts';
import { renderLint } from '../../src/slack/render-lint.ts';
import { type SlackFixture, startSlackFixture } from '../sim/slack/slack-fixture.ts';
import { authFailedReport, explainInput, healthyReport, hugeEvidenceReport, lintResult } from './reports.ts';

const CLASS = 'C0CLASSA01';
const ALICE = 'U0STUDENTA';
let fx: SlackFixture;

beforeAll(async () => {
  fx = await startSlackFixture(false);
});
afterAll(async () => {
  await fx.server.close();
});

const content = (m: SlackMessage) => ({ text: m.text, blocks: m.blocks as Array<Block | KnownBlock> });

describe('rendered messages in the Slack simulator', () => {
  it.each([
    ['healthy', healthyReport()],
    ['auth failed', authFailedReport()],
    ['huge evidence', hugeEvidenceReport()],
  ])('posts a %s diagnosis as a parent edited in place and a thread', async (_, report) => {
    const client = fx.client();
    const progress = await client.chat.postMessage({ channel: CLASS, ...content(renderProgress(report.target)) });
    expect(progress.ok).toBe(true);
    const { parent, replies } = renderDiagnosis(report, { jobId: 'cmd-1', showAllChecks: true });
    const updated = await client.chat.update({ channel: CLASS, ts: progress.ts ?? '', ...content(parent) });
    expect(updated.ok).toBe(true);
    for (const reply of replies) {
      const res = await client.chat.postMessage({ channel: CLASS, thread_ts: progress.ts, ...content(reply) });
      expect(res.ok).toBe(true);
    }
    const thread = await client.conversations.replies({ channel: CLASS, ts: progress.ts ?? '' });
    expect(thread.messages?.length).toBe(1 + replies.length);
    expect(thread.messages?.[0]?.text).toBe(parent.text);
  });

  it('shows the ephemeral answers: checks table, explain, lint, help, usage error, refusal', async () => {
    const client = fx.client();
    const answers = [
      renderChecksTable(authFailedReport()),
      renderExplain(explainInput()),
      renderLint(lintResult()),
      renderHelp(),
      renderUsageError('unknown subcommand "<!here>"'),
      renderRefusal('Not on the roster.', ['U0INSTRUCT']),
    ];
    for (const answer of answers) {
      const res = await client.chat.postEphemeral({ channel: CLASS, user: ALICE, ...content(answer) });
      expect(res.ok).toBe(true);
    }
    expect(fx.server.store.ephemerals(ALICE)).toHaveLength(answers.length);
  });

  it('opens the lint modal', async () => {
    const { triggerId } = fx.server.openInteraction({ kind: 'command', user: ALICE, channel: CLASS });
    const view = renderLintModal(JSON.stringify({ channel: CLASS })) as View;
    const res = await fx.client().views.open({ trigger_id: triggerId, view });
    expect(res.ok).toBe(true);
    expect(res.view?.callback_id).toBe('kvlab_lint_modal');
  });
});
