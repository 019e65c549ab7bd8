/**
 * Mount-failure alerts in Slack (issue 9), pure: the watcher and the worker post and edit what this returns.
 * - A pod alert's parent: who (student, namespace, pod), the diagnosis verdict line, the category with its lab
 *   Common Problems row, the fix, how often and when it was seen, and the buttons "Re-diagnose" (the diagnosis
 *   buttons' re-run, answering in this thread), "Mute this pod" and "Diagnose". Resolved: ✅ with time-to-fix.
 * - A class-wide alert lists the affected students; a summary lists the pods folded beyond the channel budget.
 * - Thread notes: "now: ACCESS_DENIED", fixed, failing again, joined, muted.
 * Every cluster text (event messages, names) is escaped by src/slack/mrkdwn.ts, so an event saying `<!channel>`
 * is shown, never acted on; everything is cut to src/slack/budget.ts limits.
 */
import { COMMON_PROBLEM_ROW } from '../../diagnostics/categories.ts';
import type { DiagnosisReport } from '../../diagnostics/types.ts';
import type { AlertMember, AlertNote, AlertState } from '../watcher/alert-model.ts';
import { clipEscaped, finishMessage, LIMITS, shorten } from './budget.ts';
import { encodeButtonValue, RERUN_ACTION_ID } from './interaction-ids.ts';
import { labRow } from './knowledge-pieces.ts';
import { actions, context, mrkdwn, type SlackMessage, section } from './messages.ts';
import { code, codeBlock, escapeMrkdwn } from './mrkdwn.ts';

export const ALERT_MUTE_ACTION_ID = 'kvlab_alert_mute';
export const ALERT_DIAGNOSE_ACTION_ID = 'kvlab_alert_diagnose';
export const ALERT_ACTIONS_BLOCK_ID = 'kvlab_alert_actions';

/** Members listed in a class-wide alert or summary before "… and N more". */
const MEMBERS_SHOWN = 30;
const QUOTE_MAX = 1_500;

/** What "Mute this pod" and "Diagnose" carry (a pod and the alert; no token, no secret). */
export interface AlertButtonValue {
  v: 1;
  cluster: string;
  namespace: string;
  pod: string;
  alert: string;
}

export function encodeAlertButton(value: Omit<AlertButtonValue, 'v'>): string | undefined {
  const { cluster, namespace, pod, alert } = value;
  const json = JSON.stringify({ v: 1, cluster, namespace, pod, alert });
  return json.length <= LIMITS.buttonValue ? json : undefined;
}

/** A button value back, or null for anything that is not a version-1 value of strings (forged or stale). */
export function decodeAlertButton(value: string): AlertButtonValue | null {
  try {
    const { v, cluster, namespace, pod, alert } = JSON.parse(value) as Record<string, unknown>;
    const strings = [cluster, namespace, pod, alert].every((x) => typeof x === 'string');
    if (v !== 1 || !strings) return null;
    return { v, cluster, namespace, pod, alert } as AlertButtonValue;
  } catch {
    return null;
  }
}

export interface AlertRenderOptions {
  /** The diagnosis of the alert's pod, once the worker has run it. */
  report?: DiagnosisReport;
  /** The job that diagnosed it (the Re-diagnose button's value names it). */
  jobId: string;
  /** The cluster's name in incident keys (the Mute button's value names it). */
  cluster: string;
  now: number;
}

/** `4m 12s`, `2h 5m`, `38s`. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

const clock = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)} UTC`;
const target = (a: { namespace: string; pod: string }): string => shorten(`${a.namespace}/${a.pod}`, 200);

function who(user: string | undefined, name: string | undefined): string {
  if (!user || !/^[UW][A-Z0-9]{2,}$/.test(user)) return 'no student on the roster';
  return name ? `<@${user}> (${escapeMrkdwn(shorten(name, 80))})` : `<@${user}>`;
}

function categoryLine(a: Pick<AlertState, 'category'>): string {
  const row = labRow(COMMON_PROBLEM_ROW[a.category]);
  return [code(a.category), row].filter(Boolean).join(' · ');
}

function verdictLine(report: DiagnosisReport | undefined): string {
  if (!report) return '⏳ Diagnosing…';
  const top = report.problems[0];
  const title = top ? escapeMrkdwn(shorten(top.title.replace(/\s+/g, ' '), 300)) : '';
  if (report.verdict === 'healthy') return '✅ The diagnosis finds the pod healthy now.';
  if (report.verdict === 'broken') return `❌ ${title || 'Broken; the checks are in the thread.'}`;
  return `❔ Inconclusive: some checks could not run.${title ? ` Most likely: ${title}` : ''}`;
}

function fixLines(report: DiagnosisReport | undefined): string | undefined {
  const steps = report?.problems[0]?.fix ?? [];
  if (!steps.length) return undefined;
  const shown = steps.slice(0, 2).map((s) => `• ${escapeMrkdwn(shorten(s.replace(/\s+/g, ' '), 600))}`);
  return `*Fix:*\n${shown.join('\n')}${steps.length > 2 ? '\n_(more steps in the thread)_' : ''}`;
}

function seenLine(a: AlertState, now: number): string {
  const times = `first seen ${clock(a.firstSeen)} · last seen ${clock(a.lastSeen)}`;
  const status =
    a.status === 'resolved' ? '' : a.mutedUntil && a.mutedUntil > now ? ` · 🔕 muted until ${clock(a.mutedUntil)}` : '';
  return `${escapeMrkdwn(shorten(a.reason || 'FailedMount', 60))} ×${a.count} · ${times}${status} · details in the thread 🧵`;
}

function buttons(a: AlertState, jobId: string, cluster: string): object | undefined {
  const rerun = encodeButtonValue({ namespace: a.namespace, pod: a.pod, jobId });
  const value = encodeAlertButton({ cluster, namespace: a.namespace, pod: a.pod, alert: a.id });
  if (!rerun || !value) return undefined;
  const list = [{ text: '🔁 Re-diagnose', actionId: RERUN_ACTION_ID, value: rerun }];
  if (a.status !== 'resolved' && a.kind === 'pod')
    list.push({ text: '🔕 Mute this pod', actionId: ALERT_MUTE_ACTION_ID, value });
  list.push({ text: '🩺 Diagnose', actionId: ALERT_DIAGNOSE_ACTION_ID, value });
  return actions(ALERT_ACTIONS_BLOCK_ID, list);
}

function headline(a: AlertState, o: AlertRenderOptions): { line: string; fallback: string } {
  const name = target(a);
  const failing = (a.members ?? []).filter((m) => m.resolvedAt === undefined).length;
  const pods = (n: number) => `${n} ${n === 1 ? 'pod' : 'pods'}`;
  if (a.kind === 'pod') {
    const fixed =
      a.resolution === 'deleted'
        ? 'was deleted'
        : `mounted its secrets after ${formatSpan((a.resolvedAt ?? o.now) - a.firstSeen)}`;
    return a.status === 'resolved'
      ? {
          line: `✅ *Fixed:* ${code(name)} ${fixed} — ${who(a.student, a.studentName)}`,
          fallback: `✅ ${escapeMrkdwn(name)} ${fixed}`,
        }
      : {
          line: `🚨 *Secrets not mounted:* ${code(name)} — ${who(a.student, a.studentName)}`,
          fallback: `🚨 ${escapeMrkdwn(name)} cannot mount its Key Vault secrets (${a.category})`,
        };
  }
  const total = (a.members ?? []).length;
  const cls = escapeMrkdwn(a.className);
  if (a.status === 'resolved') {
    const line = `✅ *Fixed:* ${pods(total)} of class ${cls} mount again, after ${formatSpan((a.resolvedAt ?? o.now) - a.firstSeen)}`;
    return { line, fallback: line.replace(/\*/g, '') };
  }
  const line =
    a.kind === 'class'
      ? `🚨 *Class ${cls}: ${pods(failing)} cannot mount their secrets* — one cause for all of them`
      : `🚨 *${pods(failing)} more cannot mount their secrets* — kvlab's alert budget for this channel is spent, so they are listed here`;
  return { line, fallback: line.replace(/\*/g, '') };
}

function memberLines(a: AlertState): string {
  const members = a.members ?? [];
  const lines = members.slice(0, MEMBERS_SHOWN).map((m: AlertMember) => {
    const icon = m.resolvedAt !== undefined ? '✅' : '❌';
    const cat = a.kind === 'summary' ? ` ${code(m.category)}` : '';
    return `${icon} ${code(target(m))}${cat} — ${who(m.student, m.studentName)}`;
  });
  if (members.length > MEMBERS_SHOWN) lines.push(`_… and ${members.length - MEMBERS_SHOWN} more_`);
  return clipEscaped(lines.join('\n'), LIMITS.sectionText);
}

/** The parent message of an alert, in its current state. */
export function renderAlert(a: AlertState, o: AlertRenderOptions): SlackMessage {
  const { line, fallback } = headline(a, o);
  const blocks: object[] = [section(clipEscaped(line, LIMITS.sectionText))];
  if (a.kind !== 'summary') {
    const about = a.kind === 'class' ? ` (diagnosis of ${code(target(a))})` : '';
    blocks.push(section(clipEscaped(`${verdictLine(o.report)}${about}`, LIMITS.sectionText)));
  }
  if (a.kind === 'pod') {
    blocks.push({
      type: 'section',
      fields: [
        mrkdwn(`*Student*\n${who(a.student, a.studentName)}`),
        mrkdwn(`*Namespace*\n${code(shorten(a.namespace, 100))}`),
        mrkdwn(`*Pod*\n${code(shorten(a.pod, 300))}`),
        mrkdwn(`*Category*\n${categoryLine(a)}`),
      ],
    });
  } else {
    if (a.kind === 'class') blocks.push(section(`*Category* ${categoryLine(a)}`));
    blocks.push(section(memberLines(a)));
  }
  const fix = a.status === 'resolved' || a.kind === 'summary' ? undefined : fixLines(o.report);
  if (fix) blocks.push(section(clipEscaped(fix, LIMITS.sectionText)));
  if (a.previousCategories.length)
    blocks.push(context(`Earlier: ${a.previousCategories.map((c) => code(c)).join(' → ')} → ${code(a.category)}`));
  blocks.push(context(clipEscaped(seenLine(a, o.now), LIMITS.contextText)));
  const row = buttons(a, o.jobId, o.cluster);
  if (row) blocks.push(row);
  return finishMessage(fallback, blocks);
}

/** A thread reply under the alert for one note. */
export function renderAlertNote(a: AlertState, note: AlertNote): SlackMessage {
  const name = code(target(a));
  const quote = (m: string) => codeBlock(shorten(m, QUOTE_MAX));
  switch (note.kind) {
    case 'category':
      return msg(
        `🔀 *now: ${escapeMrkdwn(note.to)}* (was ${escapeMrkdwn(note.from)}) — ${name} fails differently:\n${quote(note.message)}`,
      );
    case 'resolved':
      return msg(
        note.resolution === 'deleted'
          ? `🗑️ ${name} was deleted ${formatSpan(note.afterMs)} after it first failed; the alert is closed.`
          : `✅ ${name} mounted its secrets ${formatSpan(note.afterMs)} after it first failed: its containers started.`,
      );
    case 'reopened':
      return msg(`🚨 ${name} is failing again:\n${quote(note.message)}`);
    case 'joined':
      return msg(
        `➕ Same cause, also failing now: ${note.pods
          .slice(0, 20)
          .map((p) => code(p))
          .join(', ')}`,
      );
    case 'member-resolved':
      return msg(`✅ ${code(note.pod)} ${note.resolution === 'deleted' ? 'was deleted' : 'mounts again'}.`);
    case 'muted':
      return renderMuteNote(a, note.by, note.untilMs);
  }
}

/** The thread reply when someone mutes the pod. */
export function renderMuteNote(a: { namespace: string; pod: string }, by: string, untilMs: number): SlackMessage {
  const user = /^[UW][A-Z0-9]{2,}$/.test(by) ? `<@${by}>` : 'Someone';
  return msg(
    `🔕 ${user} muted ${code(target(a))} until ${clock(untilMs)}: no new alerts or count updates for it; kvlab still says when it is fixed.`,
  );
}

/** The first thread reply of a pod alert: the failing event as Kubernetes reported it. */
export function renderAlertEvent(a: AlertState): SlackMessage {
  return msg(
    `*Latest ${escapeMrkdwn(shorten(a.reason || 'FailedMount', 60))} event* of ${code(target(a))}:\n${codeBlock(shorten(a.message, QUOTE_MAX))}`,
  );
}

/** The opt-in DM to the student whose pod it is. */
export function renderAlertDm(a: AlertState, report: DiagnosisReport | undefined): SlackMessage {
  const lines = [
    `👋 Your pod ${code(target(a))} cannot mount its Key Vault secrets (${categoryLine(a)}).`,
    verdictLine(report),
    fixLines(report),
    'Your instructors see this alert too. Run `/kvlab diagnose` for the full explanation.',
  ].filter(Boolean);
  return msg(lines.join('\n'));
}

function msg(text: string): SlackMessage {
  const body = clipEscaped(text, LIMITS.sectionText);
  return finishMessage(body, [section(body)]);
}
