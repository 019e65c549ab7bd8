/** The alert renderer: exact headline and fields, escaping of event text, Slack limits. */
import { describe, expect, it } from 'vitest';
import { budgetViolations } from '../../src/slack/budget.ts';
import { decodeAlertButton, formatSpan, renderAlert, renderAlertNote } from '../../src/slack/render-alert.ts';
import type { AlertState } from '../../src/watcher/alert-model.ts';

const T0 = Date.parse('2026-03-12T15:00:00Z');
const alert: AlertState = {
  id: 'pod-uid-3',
  kind: 'pod',
  className: 'class-a',
  channel: 'C0ALERTS01',
  namespace: 'student-03',
  pod: 'pod-keyvault',
  podUid: 'uid-3',
  student: 'U0STUDENT03',
  studentName: 'Chloe <Martin>',
  category: 'SPC_NOT_FOUND',
  specificity: 89,
  previousCategories: [],
  status: 'open',
  firstSeen: T0,
  lastSeen: T0 + 65_000,
  count: 23,
  eventCounts: {},
  message: 'failed <!channel> @here',
  reason: 'FailedMount',
  notes: [],
  dirty: false,
  urgent: false,
  queued: true,
  reopened: 0,
};
const texts = (m: { blocks: object[] }) => JSON.stringify(m.blocks);

describe('renderAlert', () => {
  it('shows who, where, the category with its lab row, counts and three buttons', () => {
    const m = renderAlert(alert, { jobId: 'alert-pod-uid-3', cluster: 'kvlab-sim', now: T0 + 70_000 });
    expect(m.text).toBe('🚨 student-03/pod-keyvault cannot mount its Key Vault secrets (SPC_NOT_FOUND)');
    expect(texts(m)).toContain('<@U0STUDENT03> (Chloe &lt;Martin&gt;)');
    expect(texts(m)).toContain('lab Common Problems row 3');
    expect(texts(m)).toContain('FailedMount ×23 · first seen 15:00:00 UTC · last seen 15:01:05 UTC');
    const buttons = (m.blocks.at(-1) as { elements: Array<{ text: { text: string }; value: string }> }).elements;
    expect(buttons.map((b) => b.text.text)).toEqual(['🔁 Re-diagnose', '🔕 Mute this pod', '🩺 Diagnose']);
    expect(decodeAlertButton(buttons[1]?.value ?? '')).toEqual({
      v: 1,
      cluster: 'kvlab-sim',
      namespace: 'student-03',
      pod: 'pod-keyvault',
      alert: 'pod-uid-3',
    });
    expect(budgetViolations(m)).toEqual([]);
  });

  it('turns the parent into ✅ with the time to fix', () => {
    const fixed = { ...alert, status: 'resolved' as const, resolution: 'mounted' as const, resolvedAt: T0 + 252_000 };
    const m = renderAlert(fixed, { jobId: 'j', cluster: 'c', now: T0 + 260_000 });
    expect(m.text).toBe('✅ student-03/pod-keyvault mounted its secrets after 4m 12s');
    expect(texts(m)).not.toContain('Mute this pod');
  });

  it('never lets event text mention the channel', () => {
    const note = renderAlertNote(alert, { kind: 'reopened', message: '<!channel> <@U1> <https://evil|x>' });
    expect(texts(note)).not.toMatch(/<!channel>|<@U1>|<https/);
    expect(texts(note)).toContain('&lt;!channel&gt;');
  });

  it('lists the students of a class-wide alert within the limits', () => {
    const members = Array.from({ length: 40 }, (_, i) => ({
      id: `pod-${i}`,
      namespace: `student-${i}`,
      pod: 'pod-keyvault',
      student: `U0S${i}`,
      category: 'CSI_DRIVER_NOT_INSTALLED' as const,
    }));
    const m = renderAlert(
      { ...alert, kind: 'class', id: 'class-x', category: 'CSI_DRIVER_NOT_INSTALLED', members },
      { jobId: 'j', cluster: 'c', now: T0 },
    );
    expect(m.text).toBe('🚨 Class class-a: 40 pods cannot mount their secrets — one cause for all of them');
    expect(texts(m)).toContain('… and 10 more');
    expect(budgetViolations(m)).toEqual([]);
  });

  it('formats spans', () => {
    expect([formatSpan(38_000), formatSpan(252_000), formatSpan(7_500_000)]).toEqual(['38s', '4m 12s', '2h 5m']);
  });
});
