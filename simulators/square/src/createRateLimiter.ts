export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
  /** Allowed requests per second per key; read on every call so a config change applies at once. */
  perSecond: () => number;
  /**
   * Monotonic milliseconds. Default: `performance.now()`. Deliberately not the simulator's
   * injected business clock: tests freeze that clock, and a frozen bucket would never refill.
   */
  now?: () => number;
}

export interface RateLimiter {
  take(key: string): RateDecision;
  reset(): void;
}

/** Token bucket per key: bursts up to one second's allowance, then the steady rate. */
export function createRateLimiter({
  perSecond,
  now = () => performance.now(),
}: RateLimiterOptions): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const rate = perSecond();
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: rate, at };
      bucket.tokens = Math.min(rate, bucket.tokens + ((at - bucket.at) / 1000) * rate);
      bucket.at = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
    },
    reset() {
      buckets.clear();
    },
  };
}
