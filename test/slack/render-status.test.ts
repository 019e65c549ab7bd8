/**
 * The class status in Slack: a 200-student class fits Slack's limits (parent + ten row pages), hostile names are
 * escaped, blocked rows carry a Diagnose button, and a student's own view holds nobody else's row.
 */
import { describe, expect, it } from 'vitest';
import type { ClassStatusReport, StudentStatus } from '../../diagnostics/status/types.ts';
import { budgetViolations } from '../../src/slack/budget.ts';
import { STATUS_DIAGNOSE_ACTION_ID, STATUS_REFRESH_ACTION_ID } from '../../src/slack/interaction-ids.ts';
import { ROWS_PER_PAGE, renderClassStatus, renderOwnStatus, stepBar } from '../../src/slack/render-status.ts';

const NOW = new Date('2026-03-12T15:40:00Z');
const steps = (n: number): StudentStatus['steps'] => ({
  'spc-created': n > 0,
  'spc-valid': n > 1,
  'pod-created': n > 2,
  mounted: n > 3,
  readable: n > 4,
  synced: n > 5,
});

function row(i: number): StudentStatus {
  const ns = `student-${String(i).padStart(3, '0')}`;
  const blocked = i % 3 === 0;
  return {
    user: `U0S${String(i).padStart(6, '0')}`,
    name: i === 7 ? '<!channel> *Mallory* & <https://evil.example|click>' : `Student ${'x'.repeat(i % 90)} ${i}`,
    namespace: ns,
    pod: i % 5 === 0 ? null : 'pod-keyvault',
    progress: blocked ? 'pod-created' : 'readable',
    steps: steps(blocked ? 3 : 5),
    state: blocked ? 'blocked' : 'mounted',
    blocker: blocked
      ? {
          category: 'ACCESS_DENIED',
          commonProblem: 5,
          title: `Identity may not read db-password in vault kv-kvlab-lab2 ${'<&>'.repeat(200)}`,
          cause: 'c'.repeat(2000),
          owner: 'instructor',
          since: '2026-03-12T15:20:00Z',
          classWide: i % 2 === 0,
        }
      : null,
    lastActivity: '2026-03-12T15:39:00Z',
  };
}

function bigReport(n: number): ClassStatusReport {
  const students = Array.from({ length: n }, (_, i) => row(i + 1));
  return {
    class: 'class-a',
    generatedAt: NOW.toISOString(),
    summary: { students: n, mounted: 133, blocked: 67, inProgress: 0, notStarted: 0 },
    classProblems: Array.from({ length: 12 }, (_, k) => ({
      category: 'ACCESS_DENIED',
      commonProblem: 5,
      title: `Vault kv-${k} denies ${'y'.repeat(400)}`,
      cause: 'z'.repeat(3000),
      owner: 'instructor',
      fix: ['az keyvault set-policy --name kv --object-id 123 --secret-permissions get', 'w'.repeat(900)],
      namespaces: students.map((s) => s.namespace),
    })),
    blockers: {
      instructor: [
        { category: 'ACCESS_DENIED', commonProblem: 5, labProblem: '403 Forbidden from Key Vault', students: 67 },
      ],
      student: [],
    },
    students,
    gaps: [],
  };
}

describe('renderClassStatus', () => {
  it('fits a 200-student class in Slack: a parent and ten pages of twenty rows, each within every limit', () => {
    const { parent, replies } = renderClassStatus(bigReport(200), NOW);
    expect(budgetViolations(parent)).toEqual([]);
    expect(replies).toHaveLength(200 / ROWS_PER_PAGE);
    for (const reply of replies) expect(budgetViolations(reply)).toEqual([]);
    expect(JSON.stringify(parent)).toContain(STATUS_REFRESH_ACTION_ID);
    expect(JSON.stringify(parent)).toContain('…and 4 more class-wide problems');
    const rows = replies.flatMap((r) => r.blocks.slice(1)) as Array<{ accessory?: { action_id: string } }>;
    expect(rows).toHaveLength(200);
    // A Diagnose button exactly on blocked rows that have a pod.
    const withButton = rows.filter((b) => b.accessory?.action_id === STATUS_DIAGNOSE_ACTION_ID).length;
    const expected = bigReport(200).students.filter((s) => s.blocker && s.pod).length;
    expect(withButton).toBe(expected);
  });

  it('escapes names and titles: no broadcast, no link, no formatting from cluster or roster text', () => {
    const { replies } = renderClassStatus(bigReport(20), NOW);
    const text = JSON.stringify(replies);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('draws the step bar with the optional sync as a dash', () => {
    expect(stepBar(row(3))).toBe('SPC ✓ · valid ✓ · pod ✓ · mounted ✗ · readable ✗ · synced –');
  });
});

describe('renderOwnStatus', () => {
  it('shows the student their own row and nobody else’s', () => {
    const report = bigReport(30);
    const message = renderOwnStatus(report, 'U0S000006', NOW);
    const text = JSON.stringify(message);
    expect(text).toContain('student-006');
    expect(text.match(/student-\d{3}/g)).toEqual(['student-006']);
    expect(text).toContain('your instructor sees it too');
    expect(text).not.toContain(STATUS_DIAGNOSE_ACTION_ID);
    expect(budgetViolations(message)).toEqual([]);
  });
});
