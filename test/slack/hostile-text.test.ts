/**
 * Property-style: reports, pastes and lint results full of hostile or awkward text (Slack control sequences,
 * entities, mass mentions, fences, control and bidi characters, lone surrogates, 10,000-character strings) never
 * produce active mrkdwn and never break Slack's limits. Seeded, so a failure names a reproducible case.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../diagnostics/categories.ts';
import type { CheckStatus, DiagnosisReport, Problem, Verdict } from '../../diagnostics/types.ts';
import { CHECK_IDS } from '../../diagnostics/types.ts';
import type { SlackMessage } from '../../src/slack/messages.ts';
import { renderChecksTable, renderDiagnosis, renderProgress } from '../../src/slack/render-diagnosis.ts';
import { renderExplain } from '../../src/slack/render-explain.ts';
import { renderRefusal, renderUsageError } from '../../src/slack/render-help.ts';
import { renderLint } from '../../src/slack/render-lint.ts';
import { explainInput, lintResult } from './reports.ts';
import { messageProblems } from './slack-rules.ts';

const FRAGMENTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<#C123|general>',
  '<https://evil|click>',
  '<!subteam^S123>',
  '<!date^1392734382^{date_short}|x>',
  '&',
  '&amp;',
  '&lt;!channel&gt;',
  '@here',
  '@Channel ',
  '```',
  '`',
  '*',
  '_',
  '~',
  '>',
  '<',
  '|',
  '\n',
  '\r\n',
  '\u202e',
  '\u0000',
  '\u200b',
  '😀',
  '\uD800',
  'ключ',
  'e\u0301',
  'https://evil.example/x?a=1&b=2',
  ' ',
  'pod-keyvault',
];

/** mulberry32: small, seeded, good enough to pick fragments. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const str = (): string => {
    const roll = r();
    if (roll < 0.08) return pick(FRAGMENTS).repeat(1 + int(10_000 / 3));
    if (roll < 0.12) return '';
    return Array.from({ length: 1 + int(20) }, () => pick(FRAGMENTS)).join('');
  };
  const list = (max: number) => Array.from({ length: int(max) }, str);
  return { r, int, pick, str, list };
}

function hostileReport(seed: number): DiagnosisReport {
  const g = generator(seed);
  const problem = (): Problem => ({
    category: g.pick(CATEGORIES),
    commonProblem: g.pick([null, 1, 2, 3, 4, 5, 6, 99]),
    title: g.str(),
    cause: g.str(),
    evidence: g.list(g.r() < 0.2 ? 300 : 8),
    fix: g.list(6),
    verify: g.list(4),
    docs: g.pick(['', 'https://learn.microsoft.com/x?a=1&b=2', g.str()]),
    owner: g.pick(['student', 'instructor'] as const),
    confidence: g.pick(['high', 'medium', 'low'] as const),
  });
  return {
    target: { namespace: g.str(), pod: g.str() },
    verdict: g.pick<Verdict>(['healthy', 'broken', 'inconclusive']),
    problems: Array.from({ length: g.int(5) }, problem),
    checks: Array.from({ length: g.int(14) }, () => ({
      id: g.pick(CHECK_IDS),
      title: g.str(),
      status: g.pick<CheckStatus>(['pass', 'fail', 'warn', 'skip', 'error']),
      summary: g.str(),
      durationMs: g.pick([0, 12, 1500, -1, Number.NaN, 1e9]),
    })),
    checkedAt: g.pick(['2026-03-11T09:14:31.250Z', g.str()]),
  };
}

function hostileAnswers(seed: number): SlackMessage[] {
  const g = generator(seed);
  const explain = explainInput();
  const lint = lintResult();
  const [finding] = lint.files[0]!.findings;
  return [
    renderExplain({
      text: g.str(),
      classification: {
        ...explain.classification,
        category: g.pick(CATEGORIES),
        details: { vault: g.str(), objectName: g.str(), host: g.str(), statusCode: g.int(600), placeholder: g.str() },
        signals: g.list(15),
      },
      knowledge: { title: g.str(), cause: g.str(), fix: g.list(5), verify: g.list(3), docs: g.str(), commonProblem: 3 },
    }),
    renderLint({
      files: Array.from({ length: 1 + g.int(3) }, () => ({
        file: g.str(),
        findings: Array.from({ length: g.int(30) }, () => ({
          ...finding!,
          severity: g.pick(['error', 'warning'] as const),
          path: g.str(),
          message: g.str(),
          fix: g.str(),
          object: { kind: g.str(), name: g.str() },
        })),
      })),
      errors: g.int(50),
      warnings: g.int(50),
    }),
    renderUsageError(g.str()),
    renderRefusal(g.str(), [g.str(), g.str()]),
  ];
}

const SEEDS = Array.from({ length: Number(process.env.HOSTILE_SEEDS ?? 40) }, (_, i) => 1000 + i);

describe('hostile text', () => {
  it.each(SEEDS)('keeps every diagnosis message inert and within budgets (seed %i)', (seed) => {
    const report = hostileReport(seed);
    const out = renderDiagnosis(report, { jobId: `job-${seed}`, showAllChecks: seed % 2 === 0 });
    const messages = [
      out.parent,
      ...out.replies,
      renderChecksTable(report),
      renderProgress(
        report.target,
        report.checks.map((c) => c.title),
      ),
    ];
    for (const [i, m] of messages.entries()) {
      expect(messageProblems(m), `message ${i}`).toEqual([]);
      expect(JSON.stringify(m.blocks), `message ${i} fell back to the too-large note`).not.toContain(
        'did not fit in a Slack message',
      );
    }
    if (report.verdict === 'healthy') expect(out.replies.length).toBeLessThanOrEqual(1);
  });

  it.each(SEEDS)('keeps explain, lint, usage and refusal answers inert and within budgets (seed %i)', (seed) => {
    for (const [i, m] of hostileAnswers(seed).entries()) {
      expect(messageProblems(m), `answer ${i}`).toEqual([]);
      expect(JSON.stringify(m.blocks)).not.toContain('did not fit in a Slack message');
    }
  });
});
