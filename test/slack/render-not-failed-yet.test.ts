import { describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import type { SlackMessage } from '../../src/slack/messages.ts';
import { renderDiagnosis } from '../../src/slack/render-diagnosis.ts';
import { healthyReport } from './reports.ts';
import { messageProblems, textsOf } from './slack-rules.ts';

const mrkdwnOf = (m: SlackMessage) => textsOf(m.blocks, 'mrkdwn').join('\n');

function startingReport(): DiagnosisReport {
  const report = healthyReport();
  return {
    ...report,
    verdict: 'inconclusive',
    checks: report.checks.map((c) =>
      c.id === 'mount-status' ? { ...c, status: 'fail', summary: 'no successful mount recorded for this pod yet' } : c,
    ),
    note: {
      kind: 'not-failed-yet',
      title: 'nothing has failed yet: pod pod-keyvault is still starting',
      text: 'Pod pod-keyvault was created moments ago and is not running yet.',
      watch: ['kubectl get pod pod-keyvault -n student-07 -w'],
    },
  };
}

describe('a pod that is still starting, in Slack', () => {
  it('says "nothing has failed yet" in the parent and what to watch in the first reply', () => {
    const { parent, replies } = renderDiagnosis(startingReport(), { jobId: 'job-1' });
    expect(parent.text).toBe(
      '⏳ student-07/pod-keyvault — nothing has failed yet: pod pod-keyvault is still starting.',
    );
    expect(mrkdwnOf(parent)).not.toContain('inconclusive');
    const [note, checks] = replies;
    expect(replies).toHaveLength(2);
    expect(mrkdwnOf(note!)).toContain('*Watch for it:*');
    expect(mrkdwnOf(note!)).toContain('```kubectl get pod pod-keyvault -n student-07 -w```');
    expect(mrkdwnOf(checks!)).toContain('no successful mount recorded for this pod yet');
    for (const m of [parent, ...replies]) expect(messageProblems(m)).toEqual([]);
  });
});
