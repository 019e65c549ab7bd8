/**
 * One line per distinct event. kubelet retries a failed mount with backoff and reports each failure again: the API
 * server folds identical events into one object with a `count` (or a `series`), but events recorded apart (another
 * kubelet, a restart, a newer recorder) arrive as separate objects with the very same text. Both become one entry
 * here — counts summed, first and last seen across them — shown as `(×12 over 20m, last 3m ago)`.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { age } from '../age.ts';

export interface RepeatedEvent {
  /** The most recent event object of the group (its message, reason, details). */
  event: CoreV1Event;
  /** How many times it happened: the objects' counts, summed. */
  count: number;
  /** First and last time seen, epoch ms (0 when unknown). */
  first: number;
  last: number;
}

const time = (t: unknown): number => (t ? new Date(t as string).getTime() || 0 : 0);

/** When the event last happened, epoch ms (0 when unknown). */
export function lastSeen(ev: CoreV1Event): number {
  return time(
    ev.series?.lastObservedTime ??
      ev.lastTimestamp ??
      ev.eventTime ??
      ev.firstTimestamp ??
      ev.metadata?.creationTimestamp,
  );
}

function firstSeen(ev: CoreV1Event): number {
  return time(ev.firstTimestamp ?? ev.eventTime) || lastSeen(ev);
}

/**
 * What differs between two reports of the same failure and says nothing about it: Entra's trace and correlation ids,
 * the timestamps inside an error body, and the event recorder's "(combined from similar events)" prefix. Client,
 * tenant and object ids are kept: a different one is a different mistake.
 */
const VOLATILE: readonly (readonly [RegExp, string])[] = [
  [/^\(combined from similar events\):\s*/, ''],
  [/((?:trace|correlation)[ _]id"?:\s*"?)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '$1<id>'],
  [/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/g, '<time>'],
];

/** An event's text with the volatile parts masked: two retries of one failure get the same key. */
export function repeatKey(message: string): string {
  return VOLATILE.reduce((text, [pattern, mask]) => text.replace(pattern, mask), message.trim());
}

/** Events with the same reason and text (volatile parts aside) as one entry, in the order their first object appears. */
export function collapseRepeats(events: readonly CoreV1Event[]): RepeatedEvent[] {
  const groups = new Map<string, RepeatedEvent>();
  for (const ev of events) {
    const key = `${ev.reason ?? ''}\u0000${repeatKey(ev.message ?? '')}`;
    const count = Math.max(1, ev.count ?? ev.series?.count ?? 1);
    const seen = { first: firstSeen(ev), last: lastSeen(ev) };
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { event: ev, count, ...seen });
      continue;
    }
    group.count += count;
    if (seen.first && (!group.first || seen.first < group.first)) group.first = seen.first;
    if (seen.last >= group.last) {
      group.last = seen.last;
      group.event = ev;
    }
  }
  return [...groups.values()];
}

/** `(×12 over 20m, last 3m ago)` — kubectl describe's `(x12 over 20m)` with when it last happened — or `(5m ago)`. */
export function seenLine(group: RepeatedEvent, now: Date): string {
  const ago = group.last ? `${age(now.getTime() - group.last)} ago` : 'time unknown';
  if (group.count <= 1) return `(${ago})`;
  const span = group.first && group.last ? ` over ${age(group.last - group.first)}` : '';
  return `(×${group.count}${span}, last ${ago})`;
}
