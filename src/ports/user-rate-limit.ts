/** A per-user command budget (the port; src/queue/user-rate-limit.ts keeps it in Redis for every receiver). */

export interface RateDecision {
  allowed: boolean;
  /** When the user may try again (only when refused). */
  retryAfterMs: number;
}

export interface UserRateLimit {
  take(user: string): Promise<RateDecision>;
}
