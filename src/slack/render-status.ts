/**
 * A class status in Slack, for the instructor's DM: a parent with the summary line, the class-wide problems
 * (once, at the top), the blocker histogram split into "needs the instructor" and "the student can fix" and a
 * Refresh button; then thread replies with the students' rows in roster order, ROWS_PER_PAGE per reply, each
 * blocked row with a "Diagnose" button. A student sees only their own row(s), as one short ephemeral message.
 * Pure, escaped, within Slack's limits for any class size.
 */
import { age } from '../../diagnostics/age.ts';
import type { ClassProblem, ClassStatusReport, StudentStatus } from '../../diagnostics/status/types.ts';
import { summaryLine } from '../status/summary-line.ts';
import { clipEscaped, finishMessage, LIMITS, shorten } from './budget.ts';
import {
  encodeButtonValue,
  encodeStatusValue,
  STATUS_ACTIONS_BLOCK_ID,
  STATUS_DIAGNOSE_ACTION_ID,
  STATUS_REFRESH_ACTION_ID,
} from './interaction-ids.ts';
import { labRow } from './knowledge-pieces.ts';
import { actions, context, divider, mrkdwn, plain, type SlackMessage, section } from './messages.ts';
import { bold, code, escapeMrkdwn } from './mrkdwn.ts';

/** Rows per thread reply: one section each, well under 50 blocks and 12,000 characters. */
export const ROWS_PER_PAGE = 20;
/** Class problems shown in the parent; more are counted. */
const MAX_CLASS_PROBLEMS = 8;

const STEP_MARKS: Array<[keyof StudentStatus['steps'], string]> = [
  ['spc-created', 'SPC'],
  ['spc-valid', 'valid'],
  ['pod-created', 'pod'],
  ['mounted', 'mounted'],
  ['readable', 'readable'],
  ['synced', 'synced'],
];

/** `SPC ✓ · valid ✗ · pod ✓ · mounted ✗ · readable ✗ · synced –` (synced is optional in the lab). */
export function stepBar(s: StudentStatus): string {
  return STEP_MARKS.map(([step, label]) => {
    const mark = s.steps[step] ? '✓' : step === 'synced' ? '–' : '✗';
    return `${label} ${mark}`;
  }).join(' · ');
}

const ICON: Record<StudentStatus['state'], string> = {
  mounted: '✅',
  blocked: '❌',
  'in-progress': '⏳',
  'not-started': '⚪',
};

/** One row as mrkdwn: who, where, progress, blocker (or note), stuck for, last activity. */
export function rowText(s: StudentStatus, now: Date, audience: 'instructor' | 'student' = 'instructor'): string {
  const who = shorten(s.name ?? s.user ?? s.namespace, 80);
  const mention = s.user ? ` (<@${s.user}>)` : '';
  const head = `${ICON[s.state]} ${bold(who)}${mention} · ${code(shorten(s.namespace, 63))} · ${escapeMrkdwn(s.progress)}`;
  const lines = [head, escapeMrkdwn(stepBar(s))];
  if (s.blocker) {
    const stuck = s.blocker.since ? ` · stuck for ${age(now.getTime() - Date.parse(s.blocker.since))}` : '';
    const where = !s.blocker.classWide
      ? ''
      : audience === 'instructor'
        ? ' (class-wide, see the summary)'
        : ' (a class-wide problem: your instructor sees it too)';
    lines.push(`${code(s.blocker.category)}${where}: ${escapeMrkdwn(shorten(s.blocker.title, 300))}${stuck}`);
  } else if (s.note) lines.push(`_${escapeMrkdwn(shorten(s.note, 300))}_`);
  if (s.lastActivity) lines.push(`last activity ${age(now.getTime() - Date.parse(s.lastActivity))} ago`);
  return clipEscaped(lines.join('\n'), LIMITS.sectionText);
}

function rowBlock(s: StudentStatus, now: Date, diagnoseButton: boolean): object {
  const block: Record<string, unknown> = {
    type: 'section',
    text: mrkdwn(rowText(s, now, diagnoseButton ? 'instructor' : 'student')),
  };
  const value =
    s.blocker && s.pod && diagnoseButton
      ? encodeButtonValue({ namespace: s.namespace, pod: s.pod, jobId: '' })
      : undefined;
  if (value) {
    block.accessory = { type: 'button', text: plain('Diagnose'), action_id: STATUS_DIAGNOSE_ACTION_ID, value };
  }
  return block;
}

function classProblemText(p: ClassProblem): string {
  const row = labRow(p.commonProblem);
  const who = p.namespaces.length === 1 ? '1 student' : `${p.namespaces.length} students`;
  const list = escapeMrkdwn(shorten(p.namespaces.join(', '), 600));
  const lines = [
    `❌ ${bold(shorten(p.title, 300))} · ${code(p.category)}${row ? ` · ${row}` : ''}`,
    `Blocks ${who}: ${list}`,
    escapeMrkdwn(shorten(p.cause, 800)),
    ...p.fix.slice(0, 4).map((f, i) => `${i + 1}. ${escapeMrkdwn(shorten(f, 400))}`),
  ];
  return clipEscaped(lines.join('\n'), LIMITS.sectionText);
}

function histogramText(report: ClassStatusReport): string | undefined {
  const side = (title: string, counts: ClassStatusReport['blockers']['instructor']) =>
    counts.length
      ? [
          bold(title),
          ...counts.map(
            (c) => `• ${c.students} × ${code(c.category)}${c.labProblem ? ` — ${labRow(c.commonProblem)}` : ''}`,
          ),
        ]
      : [];
  const lines = [
    ...side('Needs the instructor', report.blockers.instructor),
    ...side('The student can fix', report.blockers.student),
  ];
  return lines.length ? clipEscaped(lines.join('\n'), LIMITS.sectionText) : undefined;
}

/** The parent message and the row pages of an instructor's class status. */
export function renderClassStatus(
  report: ClassStatusReport,
  now: Date,
): { parent: SlackMessage; replies: SlackMessage[] } {
  const line = summaryLine(report, { emoji: true });
  const summary = escapeMrkdwn(line);
  const blocks: object[] = [section(`📊 ${bold(line)}`)];
  for (const gap of report.gaps.slice(0, 5))
    blocks.push(context(clipEscaped(`❔ could not check: ${escapeMrkdwn(gap)}`, LIMITS.contextText)));
  const shown = report.classProblems.slice(0, MAX_CLASS_PROBLEMS);
  if (shown.length) {
    blocks.push(section(bold('Class-wide problems (for you, once for everyone)')));
    for (const p of shown) blocks.push(section(classProblemText(p)));
    if (report.classProblems.length > shown.length)
      blocks.push(
        context(
          `…and ${report.classProblems.length - shown.length} more class-wide problems (kvlab status ${escapeMrkdwn(report.class)} in the CLI lists all).`,
        ),
      );
  }
  const histogram = histogramText(report);
  if (histogram) blocks.push(divider(), section(histogram));
  const pages = Math.ceil(report.students.length / ROWS_PER_PAGE);
  blocks.push(
    context(
      pages
        ? `Every student's row is in the thread 🧵 (${pages} ${pages === 1 ? 'message' : 'messages'}). Only you can see this DM.`
        : 'The class has no students on the roster yet.',
    ),
    actions(STATUS_ACTIONS_BLOCK_ID, [
      { text: '🔄 Refresh', actionId: STATUS_REFRESH_ACTION_ID, value: encodeStatusValue(report.class) },
    ]),
  );
  const replies: SlackMessage[] = [];
  for (let i = 0; i < report.students.length; i += ROWS_PER_PAGE) {
    const rows = report.students.slice(i, i + ROWS_PER_PAGE);
    const range = `Students ${i + 1}–${i + rows.length} of ${report.students.length}`;
    replies.push(
      finishMessage(`${escapeMrkdwn(report.class)}: ${range}`, [
        context(range),
        ...rows.map((r) => rowBlock(r, now, true)),
      ]),
    );
  }
  return { parent: finishMessage(summary, blocks), replies };
}

/** A student's own row(s), ephemeral: no other student's name, namespace or problem appears. */
export function renderOwnStatus(report: ClassStatusReport, user: string, now: Date): SlackMessage {
  const own = report.students.filter((s) => s.user === user);
  const rows = own.length
    ? own.map((r) => rowBlock(r, now, false))
    : [section('You have no namespace in this class on the roster.')];
  const title = `📊 Your progress in ${report.class}`;
  return finishMessage(escapeMrkdwn(title), [
    section(bold(title)),
    ...rows,
    context('Stuck? `/kvlab diagnose pod-keyvault` explains why, with the fix.'),
  ]);
}

/** While the snapshot is gathered. */
export function renderStatusProgress(className: string): SlackMessage {
  const text = `⏳ Gathering the status of ${code(shorten(className, 63))}…`;
  return finishMessage(text, [section(text)]);
}
