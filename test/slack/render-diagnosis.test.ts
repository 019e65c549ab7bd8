import { describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import { decodeButtonValue, RERUN_ACTION_ID, SHOW_CHECKS_ACTION_ID } from '../../src/slack/interaction-ids.ts';
import type { SlackMessage } from '../../src/slack/messages.ts';
import { escapeCode } from '../../src/slack/mrkdwn.ts';
import { renderChecksTable, renderDiagnosis, renderProgress } from '../../src/slack/render-diagnosis.ts';
import { EVIDENCE_TOTAL_MAX } from '../../src/slack/render-problem.ts';
import { expectGolden } from './golden.ts';
import { authFailedReport, healthyReport, hugeEvidenceReport } from './reports.ts';
import { messageProblems, textsOf } from './slack-rules.ts';

const all = (r: { parent: SlackMessage; replies: SlackMessage[] }) => [r.parent, ...r.replies];
const mrkdwnOf = (m: SlackMessage) => textsOf(m.blocks, 'mrkdwn').join('\n');
const buttons = (m: SlackMessage) =>
  (m.blocks.find((b) => (b as { type: string }).type === 'actions') as { elements: Array<Record<string, unknown>> })
    ?.elements ?? [];

describe('renderDiagnosis', () => {
  it('answers a healthy pod with one short green parent and no reply', () => {
    const out = renderDiagnosis(healthyReport(), { jobId: 'cmd-1' });
    expectGolden('diagnosis-healthy', out);
    expect(out.replies).toEqual([]);
    expect(out.parent.text).toBe('✅ student-07/pod-keyvault is healthy: the secrets are mounted.');
    expect(all(out).flatMap((m) => messageProblems(m))).toEqual([]);
  });

  it('gives a healthy pod exactly one reply when its checks are asked for or it has notes', () => {
    const report = healthyReport();
    expect(renderDiagnosis(report, { jobId: 'j', showAllChecks: true }).replies).toHaveLength(1);
    const noted: DiagnosisReport = { ...report, problems: [{ ...authFailedReport().problems[2]! }] };
    const out = renderDiagnosis(noted, { jobId: 'j', showAllChecks: true });
    expect(out.replies).toHaveLength(1);
    expect(mrkdwnOf(out.replies[0]!)).toContain('Secret db-secret has not been created');
    expect(mrkdwnOf(out.replies[0]!)).toContain('Mount status');
  });

  it('puts the verdict and the top cause in the parent, then one reply per problem and the checks table', () => {
    const out = renderDiagnosis(authFailedReport(), { jobId: 'cmd-123.456' });
    expectGolden('diagnosis-auth-failed', out);
    expect(all(out).flatMap((m) => messageProblems(m))).toEqual([]);
    expect(mrkdwnOf(out.parent)).toContain('is broken: Identity id-lab-07 does not trust ServiceAccount default');
    expect(out.replies.map((r) => r.text)).toEqual([
      '1. Root cause: Identity id-lab-07 does not trust ServiceAccount default',
      '2. Also: Secret db-pasword is not in Key Vault kv-lab-07',
      '3. Also noticed: Secret db-secret has not been created in student-07',
      'student-07/pod-keyvault — 9 checks: 4 passed, 3 failed, 1 warned, 1 skipped',
    ]);
    const first = mrkdwnOf(out.replies[0]!);
    expect(first).toContain('lab Common Problems row 2 (“Pod stuck in ContainerCreating”)');
    expect(first).toContain('```kubectl delete pod pod-keyvault -n student-07```');
    expect(first).toContain('&amp; nothing else');
    expect(first).toContain(
      '<https://learn.microsoft.com/entra/workload-id/workload-identity-federation|Documentation>',
    );
    expect(mrkdwnOf(out.replies[3]!)).toMatch(/❌ \*Key Vault access\* `388 ms` — token exchange/);
  });

  it('carries Re-run and Show all checks buttons with a small versioned value', () => {
    const out = renderDiagnosis(authFailedReport(), { jobId: 'cmd-9' });
    const [rerun, show] = buttons(out.parent);
    expect([rerun?.action_id, show?.action_id]).toEqual([RERUN_ACTION_ID, SHOW_CHECKS_ACTION_ID]);
    expect(decodeButtonValue(String(rerun?.value))).toEqual({
      v: 1,
      namespace: 'student-07',
      pod: 'pod-keyvault',
      jobId: 'cmd-9',
    });
  });

  it('leaves the buttons out rather than send a value over 2,000 characters', () => {
    const out = renderDiagnosis(authFailedReport(), { jobId: 'j'.repeat(2000) });
    expect(buttons(out.parent)).toEqual([]);
    expect(messageProblems(out.parent)).toEqual([]);
  });

  it('splits huge evidence over several replies within budgets and says what it could not show', () => {
    const report = hugeEvidenceReport();
    const out = renderDiagnosis(report, { jobId: 'cmd-2' });
    expectGolden('diagnosis-huge-evidence', out);
    expect(all(out).flatMap((m) => messageProblems(m))).toEqual([]);
    const problemReplies = out.replies.slice(0, -1);
    expect(problemReplies.length).toBeGreaterThan(2);
    problemReplies.slice(1).forEach((r, k) => {
      expect(textsOf(r.blocks[0], 'mrkdwn')[0]).toMatch(
        new RegExp(`continued \\(part ${k + 2} of ${problemReplies.length}\\)`),
      );
    });
    const shownText = problemReplies.map(mrkdwnOf).join('\n');
    const evidence = report.problems[0]!.evidence;
    const shown = evidence.filter((line) => shownText.includes(escapeCode(line.slice(0, 60))));
    const notice = /… (\d+) more evidence lines not shown here/.exec(shownText);
    expect(notice).not.toBeNull();
    expect(shown.length + Number(notice?.[1])).toBe(evidence.length);
    expect(shown.join('').length).toBeLessThanOrEqual(EVIDENCE_TOTAL_MAX);
    // The 10,000-character line is shown whole, across sections and replies.
    const sections = problemReplies
      .flatMap((r) => r.blocks.filter((b) => (b as { type: string }).type === 'section'))
      .flatMap((b) => textsOf(b, 'mrkdwn'));
    const joined = sections.join('').replace(/```/g, '');
    expect(joined.includes(`long line: ${'x'.repeat(9_989)}`), 'the long line is split but complete').toBe(true);
  });

  it('says a pod is inconclusive and names the most likely cause', () => {
    const report: DiagnosisReport = { ...authFailedReport(), verdict: 'inconclusive' };
    const out = renderDiagnosis(report, { jobId: 'j' });
    expect(out.parent.text).toBe(
      '❔ student-07/pod-keyvault is inconclusive: some checks could not run. Most likely: Identity id-lab-07 does not trust ServiceAccount default',
    );
  });
});

describe('renderProgress', () => {
  it('shows the target while checks run and lists those done', () => {
    expect(renderProgress({ namespace: 'student-07', pod: 'pod-keyvault' })).toEqual({
      text: 'Diagnosing student-07/pod-keyvault…',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '⏳ Diagnosing `student-07/pod-keyvault`…', verbatim: true } },
      ],
    });
    const msg = renderProgress({ namespace: 'student-07', pod: 'pod-keyvault' }, ['CSI driver', 'CRD <v1>']);
    expect(mrkdwnOf(msg)).toContain('Done: CSI driver · CRD &lt;v1&gt;');
  });

  it('stays within budgets however many checks are done', () => {
    const done = Array.from({ length: 5000 }, (_, i) => `check <${i}>`);
    expect(messageProblems(renderProgress({ namespace: 'n', pod: 'p' }, done))).toEqual([]);
  });
});

describe('renderChecksTable', () => {
  it('lists every check with its icon, timing and summary', () => {
    const msg = renderChecksTable(authFailedReport());
    expect(messageProblems(msg)).toEqual([]);
    const text = mrkdwnOf(msg);
    expect(text).toContain('✅ *CSI driver* `41 ms` — driver and Azure provider ready');
    expect(text).toContain('⚠️ *Mount status* `9 ms` — no SecretProviderClassPodStatus &lt;nil&gt; yet');
    expect(text).toContain('➖ *Synced Secret* `0 ms`');
    expect(text).toContain('checked 2026-03-11 09:14:31 UTC');
  });
});
