import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './state';

/**
 * In-memory token bucket per key. In workerd the memory is per isolate, so this is a
 * best-effort limit there (see docs/DEPLOY.md for Cloudflare's rate limiting binding).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns 0 if allowed, else the seconds to wait before retrying. */
  take(key: string): number {
    const now = this.now();
    const rate = this.perMinute / 60_000; // tokens per ms
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.sweep(now, rate);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /** drops buckets that have refilled completely (they carry no state) */
  private sweep(now: number, rate: number) {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.burst) this.buckets.delete(k);
  }
}

export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const wait = c.var.state.limiter.take(c.var.tokenHash);
  if (wait > 0) {
    c.header('Retry-After', String(wait));
    return c.json({ error: 'too many requests', retryAfterSeconds: wait }, 429);
  }
  await next();
};
