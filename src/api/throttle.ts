// Per-caller throttling: a token bucket per caller. Over the limit → 429 with Retry-After, in
// Graph's error shape; never a silent truncation.

export interface ThrottleConfig {
  /** Requests a caller may make per second, sustained. */
  perSecond: number;
  /** Requests a caller may make in a burst. */
  burst: number;
}

export const DEFAULT_THROTTLE: ThrottleConfig = { perSecond: 50, burst: 200 };

interface Bucket {
  tokens: number;
  at: number;
}

export class Throttle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly config: ThrottleConfig) {}

  /** Takes one request for `caller`; returns 0 when allowed, else the seconds to wait. */
  take(caller: string, now = Date.now()): number {
    const { perSecond, burst } = this.config;
    let b = this.buckets.get(caller);
    if (!b) {
      b = { tokens: burst, at: now };
      this.buckets.set(caller, b);
      if (this.buckets.size > 100_000) this.buckets.clear();
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }
}
