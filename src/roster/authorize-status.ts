/**
 * Who may see which class status: an instructor (or admin) sees the whole class; a student of the class sees
 * their own row only; anyone else is refused with whom to ask. Without a class name, an instructor of one class
 * gets that class and a student gets their own row in their first class. Pure over the roster.
 */
import type { ClassConfig, Roster } from './roster.ts';

export type StatusDecision =
  | { ok: true; scope: 'class' | 'own'; class: ClassConfig }
  | { ok: false; reason: string; whomToAsk: string[]; usage?: boolean };

export function authorizeStatus(roster: Roster, user: string, className: string | undefined): StatusDecision {
  const admin = roster.admins.includes(user);
  const teaches = roster.classes.filter((c) => c.instructors.includes(user));
  const attends = roster.classes.filter((c) => c.students.some((s) => s.user === user));
  if (className === undefined) {
    if (teaches.length === 1) return { ok: true, scope: 'class', class: teaches[0]! };
    if (teaches.length > 1 || admin) {
      const names = (teaches.length ? teaches : roster.classes).map((c) => `\`${c.name}\``).join(', ');
      return { ok: false, usage: true, reason: `Name a class: \`/kvlab status <class>\` — ${names}.`, whomToAsk: [] };
    }
    if (attends.length) return { ok: true, scope: 'own', class: attends[0]! };
    return {
      ok: false,
      reason: 'You are not on the class roster, so kvlab has no status for you.',
      whomToAsk: roster.admins,
    };
  }
  const wanted = roster.classes.find((c) => c.name === className);
  if (!wanted) {
    const visible = admin ? roster.classes : [...teaches, ...attends];
    const names = [...new Set(visible.map((c) => `\`${c.name}\``))].join(', ');
    return {
      ok: false,
      usage: true,
      reason: `There is no class \`${className}\` on the roster.${names ? ` Yours: ${names}.` : ''}`,
      whomToAsk: [],
    };
  }
  if (admin || wanted.instructors.includes(user)) return { ok: true, scope: 'class', class: wanted };
  if (wanted.students.some((s) => s.user === user)) return { ok: true, scope: 'own', class: wanted };
  return {
    ok: false,
    reason: `The status of ${wanted.name} is for its instructors.`,
    whomToAsk: wanted.instructors,
  };
}
