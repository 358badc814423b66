import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './state';

/**
 * In-memory token bucket per key: the limit on Node and in tests. In workerd the memory is per isolate, so there
 * the Workers Rate Limiting binding is used when wrangler.toml declares it (see state.ts).
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

/** One rate limit: take() answers 0 when the request may go on, else the seconds to wait. */
export interface RateLimiter {
  take(key: string): Promise<number>;
}

/** Cloudflare's Workers Rate Limiting binding ([[ratelimits]] in wrangler.toml): counted per colo, not per isolate. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export const isRateLimitBinding = (b: unknown): b is RateLimitBinding =>
  typeof (b as RateLimitBinding | null)?.limit === 'function';

export function bindingLimiter(binding: RateLimitBinding, periodSeconds: number): RateLimiter {
  return { take: async (key) => ((await binding.limit({ key })).success ? 0 : periodSeconds) };
}

export function memoryLimiter(perMinute: number, burst: number, now?: () => number): RateLimiter {
  const buckets = new TokenBuckets(perMinute, burst, now);
  return { take: async (key) => buckets.take(key) };
}

/** Remote addresses of requests served by node-server.ts (workerd gives CF-Connecting-IP instead). */
export const nodeRemoteAddress = new WeakMap<Request, string>();
const inWorkerd = () => (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';

/** The caller's address; the CF-Connecting-IP header is only believed on Cloudflare, where the edge sets it. */
export function clientAddress(c: Context<AppEnv>): string {
  if (inWorkerd()) return c.req.header('cf-connecting-ip') ?? 'unknown';
  return nodeRemoteAddress.get(c.req.raw) ?? 'unknown';
}

export function tooManyRequests(c: Context<AppEnv>, wait: number) {
  c.header('Retry-After', String(wait));
  return c.json({ error: 'too many requests', retryAfterSeconds: wait }, 429);
}

/** Seconds an unauthenticated request from this address must wait (0: go on). */
export const unauthenticatedWait = (c: Context<AppEnv>) => c.var.state.limiters.unauthenticated.take(`ip:${clientAddress(c)}`);

/** For routes without a token (health): the per-address limit for unauthenticated requests. */
export const limitUnauthenticated: MiddlewareHandler<AppEnv> = async (c, next) => {
  const wait = await unauthenticatedWait(c);
  if (wait > 0) return tooManyRequests(c, wait);
  await next();
};

/** Per token and per namespace (two tokens of one namespace during a rotation share the namespace's budget). */
export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { authenticated } = c.var.state.limiters;
  const wait = Math.max(await authenticated.take(`token:${c.var.tokenHash}`), await authenticated.take(`ns:${c.var.namespace}`));
  if (wait > 0) return tooManyRequests(c, wait);
  await next();
};
