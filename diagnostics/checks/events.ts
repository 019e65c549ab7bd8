/**
 * Events: every Warning event of the pod (FailedMount and the sync controller's), each classified, most
 * specific first, the same text repeated collapsed into one line with its count and age — not just the latest; a
 * sign-in failure's variant follows the SPC's identity mode when the message does not name one. Needs: list events.
 */
import { readValue } from '../gather/read.ts';
import { classifyMessage } from '../knowledge/classify/index.ts';
import { identityModeName, variantDetailOf, variantOf } from '../knowledge/variant-of.ts';
import { spcParameters } from '../spc/spc-parameters.ts';
import type { Finding } from '../types.ts';
import { type Check, couldNotCheck, outcome, tagOf } from './check.ts';
import { detailsToFacts } from './facts-from-details.ts';
import { collapseRepeats, seenLine } from './repeated-events.ts';

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
    const spc = readValue(e.spc);
    const spcMode = spc ? identityModeName(spcParameters(spc).identityMode) : undefined;
    // The same text repeated (kubelet's retries) is one finding: one line with ×N and when it last happened.
    const findings: Finding[] = collapseRepeats(warnings)
      .map((g) => ({ g, ev: g.event, c: classifyMessage(g.event.message ?? '') }))
      .sort((a, b) => b.c.specificity - a.c.specificity || b.g.last - a.g.last)
      .map(({ g, ev, c }) => ({
        ...tagOf(c.category, variantOf(c.category, variantDetailOf(c.details, spcMode))),
        severity: 'error' as const,
        confidence: c.confidence,
        specificity: c.specificity,
        evidence: [`${ev.reason ?? 'Event'} ${seenLine(g, now)}: ${quote(ev.message ?? '')}`],
        facts: detailsToFacts(c.details),
      }));
    const reasons = [...new Set(warnings.map((w) => w.reason))].join(', ');
    return outcome(findings, `${warnings.length} warning event(s): ${reasons}`);
  },
};

function quote(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  if (flat.length <= MAX_QUOTE) return flat;
  const half = Math.floor((MAX_QUOTE - 5) / 2);
  return `${flat.slice(0, half)} … ${flat.slice(-half)}`;
}
