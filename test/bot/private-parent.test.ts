/**
 * The two parents of one diagnosis, word for word: in a thread ("details in the thread 🧵") and as a private answer
 * through the response_url, whose replies are separate messages below it ("details below 👇"). Pure rendering.
 */
import { describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import { renderDiagnosis, renderPrivateParent } from '../../src/slack/render-diagnosis.ts';
import { authFailedReport, healthyReport } from '../slack/reports.ts';

const contextOf = (m: { blocks: object[] }) =>
  String((m.blocks[1] as { elements?: Array<{ text?: string }> }).elements?.[0]?.text);

describe('where the parent says the details are', () => {
  it('says "details in the thread 🧵" for a thread and "details below 👇" for a private answer', () => {
    const { parent, replies } = renderDiagnosis(authFailedReport(), { jobId: 'cmd-1' });
    const privateParent = renderPrivateParent(authFailedReport(), { jobId: 'cmd-1' });
    expect(contextOf(parent)).toBe(
      '`AUTH_FAILED` · lab Common Problems row 2 (“Pod stuck in ContainerCreating”) · confidence high · 2 more problems · 9 checks: 4 passed, 3 failed, 1 warned, 1 skipped · details in the thread 🧵',
    );
    expect(contextOf(privateParent)).toBe(
      '`AUTH_FAILED` · lab Common Problems row 2 (“Pod stuck in ContainerCreating”) · confidence high · 2 more problems · 9 checks: 4 passed, 3 failed, 1 warned, 1 skipped · details below 👇',
    );
    // Everything else is the same message: verdict line, fallback text, buttons; and the replies do not change.
    expect({ ...privateParent, blocks: privateParent.blocks.filter((_, i) => i !== 1) }).toEqual({
      ...parent,
      blocks: parent.blocks.filter((_, i) => i !== 1),
    });
    expect(replies.length).toBeGreaterThan(1);
  });

  it("says where a healthy answer's notes are, and a broken answer without a title where its checks are", () => {
    const healthy = healthyReport();
    const noted: DiagnosisReport = {
      ...healthy,
      problems: [{ ...(authFailedReport().problems[0] as DiagnosisReport['problems'][number]) }],
    };
    const out = renderDiagnosis(noted, { jobId: 'j' });
    expect(contextOf(out.parent)).toMatch(/ · 1 note in the thread$/);
    expect(contextOf(renderPrivateParent(noted, { jobId: 'j' }))).toMatch(/ · 1 note below$/);
    const untitled = authFailedReport();
    const top = untitled.problems[0] as DiagnosisReport['problems'][number];
    untitled.problems = [{ ...top, title: '' }];
    const broken = renderDiagnosis(untitled, { jobId: 'j' });
    expect(broken.parent.text).toMatch(/is broken; the checks are in the thread\.$/);
    expect(renderPrivateParent(untitled, { jobId: 'j' }).text).toMatch(/is broken; the checks are below\.$/);
  });
});
