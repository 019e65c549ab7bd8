/**
 * Events: every Warning event of the pod (FailedMount and the sync controller's), each classified, most
 * specific first, with counts and age — not just the latest. Needs: list events.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { age } from '../age.ts';
import { type Classification, classifyMessage } from '../knowledge/classify/index.ts';
import { variantOf } from '../knowledge/variant-of.ts';
import type { Finding } from '../types.ts';
import { type Check, couldNotCheck, outcome } from './check.ts';
import { detailsToFacts } from './facts-from-details.ts';

/** Longest event text quoted as evidence; the rest is elided in the middle (heads and tails carry the codes). */
const MAX_QUOTE = 600;

export const eventsCheck: Check = {
  id: 'events',
  title: 'Pod events',
  // Variants come from variantOf, facts from detailsToFacts: the registry test enumerates both.
  emits: { variants: {}, facts: [] },
  reads: (e) => [e.events],
  run(e, now) {
    if (!e.events.ok) return couldNotCheck(e.events.gap.message);
    const warnings = e.events.value.filter((ev) => ev.type === 'Warning');
    if (warnings.length === 0) return outcome([], `no warning events (${e.events.value.length} events in all)`);
    const findings: Finding[] = warnings
      .map((ev) => ({ ev, c: classifyMessage(ev.message ?? '') }))
      .sort((a, b) => b.c.specificity - a.c.specificity || lastSeen(b.ev) - lastSeen(a.ev))
      .map(({ ev, c }) => ({
        category: c.category,
        ...variantField(c),
        severity: 'error',
        confidence: c.confidence,
        specificity: c.specificity,
        evidence: [`${ev.reason ?? 'Event'} ${seen(ev, now)}: ${quote(ev.message ?? '')}`],
        facts: detailsToFacts(c.details),
      }));
    const reasons = [...new Set(warnings.map((w) => w.reason))].join(', ');
    return outcome(findings, `${warnings.length} warning event(s): ${reasons}`);
  },
};

function variantField(c: Classification): { variant?: string } {
  const variant = variantOf(c.category, {
    ...(c.details.aadsts ? { aadsts: c.details.aadsts } : {}),
    ...(c.details.innerErrorCode ? { innerCode: c.details.innerErrorCode } : {}),
  });
  return variant ? { variant } : {};
}

function lastSeen(ev: CoreV1Event): number {
  const t = ev.lastTimestamp ?? ev.eventTime ?? ev.firstTimestamp ?? ev.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}

/** `(x12 over 20m, last 3m ago)` like kubectl describe, or `(5m ago)`. */
function seen(ev: CoreV1Event, now: Date): string {
  const last = lastSeen(ev);
  const firstRaw = ev.firstTimestamp ?? ev.eventTime;
  const first = firstRaw ? new Date(firstRaw as unknown as string).getTime() : last;
  const count = ev.count ?? ev.series?.count ?? 1;
  const ago = last ? `${age(now.getTime() - last)} ago` : 'time unknown';
  return count > 1 ? `(x${count} over ${age(last - first)}, last ${ago})` : `(${ago})`;
}

function quote(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  if (flat.length <= MAX_QUOTE) return flat;
  const half = Math.floor((MAX_QUOTE - 5) / 2);
  return `${flat.slice(0, half)} … ${flat.slice(-half)}`;
}
