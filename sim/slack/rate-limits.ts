/**
 * Slack's Web API rate limits (docs/wire-notes.md §5.6, https://api.slack.com/apis/rate-limits): each method has a tier
 * counted per app per workspace (Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min, bursts allowed), and
 * `chat.postMessage` is "Special": about one message per second per channel with short bursts, plus a
 * workspace-wide allowance of several hundred per minute. Each allowance is a token bucket whose capacity is the
 * burst and whose refill is the sustained rate; an empty bucket means HTTP 429 with `Retry-After` in whole seconds
 * (the time until one token is back). Rate-limited calls do not spend tokens.
 * `conversations.history`/`replies` stay Tier 3 here: the 2025 Tier 1 limit applies to commercially distributed
 * non-Marketplace apps, not to an internal app like kvlab.
 */

/** Sustained calls per minute per method (bursts up to the same number). */
export const METHOD_TIERS: Readonly<Record<string, number>> = {
  'auth.test': 100,
  'chat.update': 50,
  'chat.postEphemeral': 100,
  'conversations.open': 50,
  'conversations.history': 50,
  'conversations.replies': 50,
  'views.open': 100,
};

export interface RateLimitOptions {
  /** Per-minute allowances that replace {@link METHOD_TIERS} entries. */
  tiers?: Record<string, number>;
  /** `chat.postMessage` per channel: sustained messages per second and burst size (default 1/s, burst 4). */
  perChannel?: { perSecond: number; burst: number };
  /** `chat.postMessage` across the workspace per minute (default 300). */
  postMessagePerMinute?: number;
}

export interface RateLimiter {
  /** Spends a token for this call; returns the `Retry-After` seconds when the call must be refused. */
  take(method: string, channel?: string): number | undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Creates the limiter; `false` disables all limits (faults still apply). */
export function createRateLimiter(options: RateLimitOptions | false, now: () => Date): RateLimiter {
  if (options === false) return { take: () => undefined };
  const tiers = { ...METHOD_TIERS, ...options.tiers };
  const perChannel = options.perChannel ?? { perSecond: 1, burst: 4 };
  const workspacePerMinute = options.postMessagePerMinute ?? 300;
  const buckets = new Map<string, Bucket>();

  /** Refills a bucket, then answers how long until a token is available (0 = available now). */
  const waitFor = (key: string, capacity: number, perSecond: number): { bucket: Bucket; wait: number } => {
    const t = now().getTime() / 1000;
    const bucket = buckets.get(key) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.at) * perSecond);
    bucket.at = t;
    buckets.set(key, bucket);
    return { bucket, wait: bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / perSecond };
  };

  return {
    take(method, channel) {
      const checks =
        method === 'chat.postMessage'
          ? [
              waitFor(`${method}:*`, workspacePerMinute, workspacePerMinute / 60),
              waitFor(`${method}:${channel ?? ''}`, perChannel.burst, perChannel.perSecond),
            ]
          : tiers[method] !== undefined
            ? [waitFor(method, tiers[method], tiers[method] / 60)]
            : [];
      const wait = Math.max(0, ...checks.map((c) => c.wait));
      if (wait > 0) return Math.max(1, Math.ceil(wait));
      for (const c of checks) c.bucket.tokens -= 1;
      return undefined;
    },
  };
}
