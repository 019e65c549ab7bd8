/**
 * Fault injection for the Key Vault simulator: throttling (429 with `Retry-After`, Key Vault's documented answer
 * to exceeding its service limits) for the next N authenticated requests, optionally limited to one route or vault.
 */

export interface ThrottleOptions {
  /** How many requests to throttle (default 1). */
  times?: number;
  /** `Retry-After` value in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Only this route, e.g. `getSecret` (default: all routes). */
  route?: string;
  /** Only this vault name (default: all vaults). */
  vault?: string;
}

/** The test-facing control surface. */
export interface KeyVaultFaults {
  /** Throttles the next matching requests. Faults queue: each is used up before the next applies. */
  throttle(options?: ThrottleOptions): void;
  /** Drops every pending fault. */
  clear(): void;
  /** Requests still to be throttled. */
  readonly pending: number;
}

interface PendingThrottle {
  remaining: number;
  retryAfterSeconds: number;
  route?: string;
  vault?: string;
}

/** Creates the fault queue; `take` is what the server calls per authenticated request. */
export function createFaults(): { faults: KeyVaultFaults; take(route: string, vault: string): number | undefined } {
  const queue: PendingThrottle[] = [];
  const faults: KeyVaultFaults = {
    throttle(options = {}) {
      queue.push({
        remaining: options.times ?? 1,
        retryAfterSeconds: options.retryAfterSeconds ?? 1,
        route: options.route,
        vault: options.vault?.toLowerCase(),
      });
    },
    clear() {
      queue.length = 0;
    },
    get pending() {
      return queue.reduce((sum, f) => sum + f.remaining, 0);
    },
  };
  return {
    faults,
    /** Returns the Retry-After seconds when this request must be throttled. */
    take(route, vault) {
      const index = queue.findIndex(
        (f) => (!f.route || f.route === route) && (!f.vault || f.vault === vault.toLowerCase()),
      );
      const fault = queue[index];
      if (!fault) return undefined;
      fault.remaining--;
      if (fault.remaining <= 0) queue.splice(index, 1);
      return fault.retryAfterSeconds;
    },
  };
}
