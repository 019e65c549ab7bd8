/**
 * Fault injection for the Slack simulator: forced 429 storms (with `Retry-After`, as Slack throttles) and forced
 * API errors (`{"ok":false,"error":…}` with HTTP 200, or another status to imitate an outage) for the next N calls,
 * optionally of one method. Faults queue: each is used up before the next matching one applies. Faults are checked
 * after authentication and before the method runs, so a faulted call changes nothing — unless it is `after`: then
 * the method runs first (the message is posted) and the caller gets the fault's answer instead of Slack's, as when
 * Slack answers 5xx after the write or the answer is lost on the way.
 */

export interface RateLimitFault {
  /** Only this method, e.g. `chat.postMessage` (default: every method). */
  method?: string;
  /** How many calls answer 429 (default 1). */
  times?: number;
  /** `Retry-After` seconds (default 1; 0 lets a test retry at once). */
  retryAfterSeconds?: number;
}

export interface FailFault {
  method?: string;
  /** Only calls whose `text` argument contains this (e.g. a final answer, not a progress edit). */
  textIncludes?: string;
  /** The Slack error code, e.g. `token_revoked`, `internal_error`. */
  error: string;
  times?: number;
  /** HTTP status (default 200, as Slack answers API errors); e.g. 503 to imitate an outage. */
  status?: number;
  /** The call takes effect, then this answer replaces Slack's (a post whose answer was lost). */
  after?: boolean;
}

/** The test-facing control surface. */
export interface SlackFaults {
  rateLimit(fault?: RateLimitFault): void;
  fail(fault: FailFault): void;
  /** Drops every pending fault. */
  clear(): void;
  /** Calls still to be faulted. */
  readonly pending: number;
}

export type FaultOutcome =
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  | { kind: 'fail'; error: string; status: number; after?: boolean };

interface Pending {
  method?: string;
  textIncludes?: string;
  remaining: number;
  outcome: FaultOutcome;
}

/** Creates the fault queue; `take` is what the server calls for each authenticated call. */
export function createFaults(): {
  faults: SlackFaults;
  take(method: string, text?: string): FaultOutcome | undefined;
} {
  const queue: Pending[] = [];
  return {
    faults: {
      rateLimit(fault = {}) {
        queue.push({
          method: fault.method,
          remaining: fault.times ?? 1,
          outcome: { kind: 'rateLimit', retryAfterSeconds: fault.retryAfterSeconds ?? 1 },
        });
      },
      fail(fault) {
        queue.push({
          method: fault.method,
          ...(fault.textIncludes !== undefined ? { textIncludes: fault.textIncludes } : {}),
          remaining: fault.times ?? 1,
          outcome: {
            kind: 'fail',
            error: fault.error,
            status: fault.status ?? 200,
            ...(fault.after ? { after: true } : {}),
          },
        });
      },
      clear() {
        queue.length = 0;
      },
      get pending() {
        return queue.reduce((sum, f) => sum + f.remaining, 0);
      },
    },
    take(method, text) {
      const index = queue.findIndex(
        (f) =>
          (!f.method || f.method === method) && (f.textIncludes === undefined || (text ?? '').includes(f.textIncludes)),
      );
      const fault = queue[index];
      if (!fault) return undefined;
      fault.remaining--;
      if (fault.remaining <= 0) queue.splice(index, 1);
      return fault.outcome;
    },
  };
}
