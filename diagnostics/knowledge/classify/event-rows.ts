/**
 * Recognises the event tables people paste from `kubectl describe pod` (`Type Reason Age From Message`) and
 * `kubectl get events` (`LAST SEEN TYPE REASON OBJECT MESSAGE`), so the columns can be dropped and each row
 * classified on its own (kubectl `pkg/describe/describe.go`, docs/wire-notes.md §6.6).
 */

/** One event row: its reason column and the message column. */
export interface EventRow {
  reason: string;
  message: string;
}

// Age is `3m`, `<unknown>` or `44m (x988 over 7d23h)`; From is a lower-case component, optionally `kubelet, <node>`.
// Every quantifier is bounded and neighbouring classes are disjoint, so matching a long line stays linear.
const DESCRIBE_ROW =
  /^(?:Warning|Normal)[ \t]+([A-Za-z][\w-]{0,63})[ \t]+\S{1,40}(?:[ \t]+\(x\d{1,9}[ \t]+over[ \t]+\S{1,40}\))?[ \t]+([a-z][a-z0-9.-]{0,120}(?:,[ \t]?\S{1,120})?)[ \t]+(\S.*)$/;
const GET_EVENTS_ROW =
  /^\S{1,20}(?:[ \t]+\(x\d{1,9}[ \t]+over[ \t]+\S{1,40}\))?[ \t]+(?:Warning|Normal)[ \t]+([A-Za-z][\w-]{0,63})[ \t]+([a-z][\w.-]{0,62}\/\S{1,253})[ \t]+(\S.*)$/;
const TABLE_HEADER = /^(?:Events:|Type[ \t]+Reason[ \t]+Age|LAST[ \t]+SEEN[ \t]+TYPE|-{2,}[ \t]+-{2,})/;

/** Parses one line of an events table; `null` when the line is not a row. */
export function parseEventRow(line: string): EventRow | null {
  const trimmed = line.trimStart();
  const describe = DESCRIBE_ROW.exec(trimmed);
  if (describe?.[1] && describe[3]) return { reason: describe[1], message: describe[3] };
  const get = GET_EVENTS_ROW.exec(trimmed);
  if (get?.[1] && get[3]) return { reason: get[1], message: get[3] };
  return null;
}

/** True for the header and ruler lines of an events table, and the `Events:` title. */
export function isTableHeader(line: string): boolean {
  return TABLE_HEADER.test(line.trim());
}
