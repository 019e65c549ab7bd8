import { describe, expect, it } from 'vitest';
import { validateBlocks } from '../../sim/slack/blocks.ts';
import { LINT_MODAL_CALLBACK_ID, LINT_YAML_ACTION_ID, LINT_YAML_BLOCK_ID } from '../../src/slack/interaction-ids.ts';
import type { SlackMessage } from '../../src/slack/messages.ts';
import { renderExplain } from '../../src/slack/render-explain.ts';
import { renderHelp, renderLintModal, renderRefusal, renderUsageError } from '../../src/slack/render-help.ts';
import { renderLint } from '../../src/slack/render-lint.ts';
import { expectGolden } from './golden.ts';
import { explainInput, lintResult } from './reports.ts';
import { messageProblems, textsOf } from './slack-rules.ts';

const mrkdwnOf = (m: SlackMessage) => textsOf(m.blocks, 'mrkdwn').join('\n');

describe('renderExplain', () => {
  it('explains a pasted message: cause, category, extracted details, fix, docs and an escaped excerpt', () => {
    const msg = renderExplain(explainInput());
    expectGolden('explain-auth-failed', msg);
    expect(messageProblems(msg)).toEqual([]);
    const text = mrkdwnOf(msg);
    expect(text).toContain('🔎 *Identity &lt;identity name&gt; does not trust ServiceAccount default*');
    expect(text).toContain('*AADSTS*\n`70021`');
    expect(text).toContain('*HTTP status*\n`401`');
    expect(text).toContain('&lt;!channel&gt; see &lt;https://evil.example|the fix&gt;');
    expect(text).toContain('lab Common Problems row 2');
  });

  it('shows only the head of a long paste and says how much it left out', () => {
    const input = explainInput();
    const msg = renderExplain({ ...input, text: 'y'.repeat(10_000) });
    expect(messageProblems(msg)).toEqual([]);
    expect(mrkdwnOf(msg)).toContain('… 9,400 more characters');
  });
});

describe('renderLint', () => {
  it('lists each finding with severity, rule, line, path, message and fix', () => {
    const msg = renderLint(lintResult());
    expectGolden('lint-findings', msg);
    expect(messageProblems(msg)).toEqual([]);
    expect(msg.text).toBe('❌ 2 errors, 1 warning in 1 file.');
    const text = mrkdwnOf(msg);
    expect(text).toContain(
      '❌ `spc/placeholder` · line 10 (document 1) · `spec.parameters.keyvaultName` · SecretProviderClass azure-kv',
    );
    expect(text).toContain('still the template placeholder &lt;KEY_VAULT_NAME&gt;.');
    expect(text).toContain('⚠️ `pod/mount-read-only`');
  });

  it('says when nothing was found', () => {
    const msg = renderLint({ files: [{ file: 'spc.yaml', findings: [] }], errors: 0, warnings: 0 });
    expect(msg.text).toBe('✅ No problems found in 1 file.');
    expect(messageProblems(msg)).toEqual([]);
  });

  it('counts the findings that did not fit one message instead of dropping them silently', () => {
    const [finding] = lintResult().files[0]!.findings;
    const findings = Array.from({ length: 400 }, (_, i) => ({ ...finding!, message: `${i}: ${'m'.repeat(300)}` }));
    const msg = renderLint({ files: [{ file: 'big.yaml', findings }], errors: 400, warnings: 0 });
    expect(messageProblems(msg)).toEqual([]);
    const shown = (mrkdwnOf(msg).match(/`spc\/provider-name`/g) ?? []).length;
    const notice = /… (\d+) more findings did not fit/.exec(mrkdwnOf(msg));
    expect(shown + Number(notice?.[1])).toBe(400);
  });

  it('shows three of 500 identical findings and counts the rest in one line', () => {
    const [finding] = lintResult().files[0]!.findings;
    const findings = Array.from({ length: 500 }, (_, i) => ({
      ...finding!,
      path: `spec.parameters.objects.array[${i}].objectName`,
      line: 14 + 3 * i,
    }));
    const msg = renderLint({ files: [{ file: 'many.yaml', findings }], errors: 500, warnings: 0 });
    expect(messageProblems(msg)).toEqual([]);
    const text = mrkdwnOf(msg);
    expect((text.match(/`spc\/provider-name`/g) ?? []).length).toBe(4);
    expect(text).toContain('_… and 497 more like this (`spc/provider-name` at lines 23–1511)_');
    expect(text).not.toContain('did not fit');
  });
});

describe('renderHelp and short answers', () => {
  it('lists the commands', () => {
    const msg = renderHelp();
    expectGolden('help', msg);
    expect(messageProblems(msg)).toEqual([]);
    expect(mrkdwnOf(msg)).toContain('`/kvlab diagnose &lt;pod&gt; [-n &lt;namespace&gt;]`');
  });

  it('reports a usage error escaped, with a pointer to help', () => {
    const msg = renderUsageError('unknown subcommand "<!here>"; try diagnose');
    expect(messageProblems(msg)).toEqual([]);
    expect(mrkdwnOf(msg)).toContain('⚠️ unknown subcommand "&lt;!here&gt;"; try diagnose');
    expect(mrkdwnOf(msg)).toContain('`/kvlab help` lists the commands.');
  });

  it('refuses politely, mentioning whom to ask by user id and never rendering anything else as markup', () => {
    const byId = renderRefusal('You may diagnose only student-07.', ['U0INSTRUCT']);
    expect(messageProblems(byId, { allowMentionOf: 'U0INSTRUCT' })).toEqual([]);
    expect(mrkdwnOf(byId)).toContain('ask <@U0INSTRUCT>.');
    expect(mrkdwnOf(renderRefusal('x', ['U0A1', 'U0B2']))).toContain('ask <@U0A1> or <@U0B2>.');
    const bogus = renderRefusal('Not on the <!channel> roster.', ['<@U999>', '!channel']);
    expect(messageProblems(bogus)).toEqual([]);
    expect(mrkdwnOf(bogus)).toContain('ask your instructor.');
    expect(mrkdwnOf(bogus)).toContain('&lt;!channel&gt;');
  });
});

describe('renderLintModal', () => {
  it('builds a modal with one multiline YAML input that Slack accepts', () => {
    const view = renderLintModal('{"channel":"C0CLASSA01"}') as Record<string, unknown>;
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: LINT_MODAL_CALLBACK_ID,
      private_metadata: '{"channel":"C0CLASSA01"}',
    });
    const input = (view.blocks as Array<Record<string, unknown>>).find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: LINT_YAML_BLOCK_ID,
      element: { type: 'plain_text_input', action_id: LINT_YAML_ACTION_ID, multiline: true, max_length: 3000 },
    });
    expect(validateBlocks(view.blocks as unknown[], '/view/blocks', 100)).toEqual([]);
  });

  it('refuses private_metadata longer than Slack keeps', () => {
    expect(() => renderLintModal('x'.repeat(3001))).toThrow(/at most 3000/);
  });
});

describe('golden files', () => {
  it.skipIf(process.env.UPDATE_GOLDEN === '1')('fail when the golden file is missing', () => {
    expect(() => expectGolden('no-such-golden', {})).toThrow(/is missing; create it with UPDATE_GOLDEN=1/);
  });
});
