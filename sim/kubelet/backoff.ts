/**
 * The kubelet's per-volume mount retry backoff (`goroutinemap/exponentialbackoff`): after the first failure
 * the operation may run again after 500 ms, each further failure doubles the wait, capped at 2m2s. A success
 * or a change of the inputs (the simulated kubelet's choice, see kubelet.ts) starts over from the beginning.
 */

export interface BackoffOptions {
  /** Wait after the first failure (kubelet: 500 ms). */
  initialMs: number;
  /** Longest wait (kubelet: 2m2s = 122 000 ms). */
  maxMs: number;
}

export const KUBELET_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 122_000 };

/** The wait before the next attempt, given the wait that preceded this failure (undefined: first failure). */
export function nextDelay(previousMs: number | undefined, options: BackoffOptions = KUBELET_BACKOFF): number {
  if (previousMs === undefined) return Math.min(options.initialMs, options.maxMs);
  return Math.min(previousMs * 2, options.maxMs);
}

/** The waits after failures 1…n, e.g. `[500, 1000, 2000, …, 122000, 122000]`. */
export function delaySeries(n: number, options: BackoffOptions = KUBELET_BACKOFF): number[] {
  const out: number[] = [];
  let last: number | undefined;
  for (let i = 0; i < n; i++) {
    last = nextDelay(last, options);
    out.push(last);
  }
  return out;
}
