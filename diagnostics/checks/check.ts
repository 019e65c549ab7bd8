/**
 * The uniform shape of a check: a pure function over gathered evidence (and `now`, passed in), returning a
 * status, a one-line summary with names, and findings. Checks never call ports; they only judge.
 */
import type { Evidence } from '../gather/gather-evidence.ts';
import type { CheckId, CheckStatus, Finding, Read } from '../types.ts';

export interface CheckOutcome {
  status: CheckStatus;
  summary: string;
  findings: Finding[];
}

export interface Check {
  id: CheckId;
  title: string;
  /** The reads this check judges; their durations become the check's duration. */
  reads(evidence: Evidence): Array<Read<unknown> | undefined>;
  run(evidence: Evidence, now: Date): CheckOutcome;
}

export const skip = (summary: string): CheckOutcome => ({ status: 'skip', summary, findings: [] });
export const pass = (summary: string): CheckOutcome => ({ status: 'pass', summary, findings: [] });
export const couldNotCheck = (message: string): CheckOutcome => ({ status: 'error', summary: message, findings: [] });

/** Status from findings: any error → fail, any warning → warn, else the given default. */
export function outcome(findings: Finding[], summary: string): CheckOutcome {
  const status = findings.some((f) => f.severity === 'error') ? 'fail' : findings.length > 0 ? 'warn' : 'pass';
  return { status, summary, findings };
}
