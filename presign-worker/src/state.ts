import { type Config, type Env, parseConfig } from './config';
import { bindingLimiter, isRateLimitBinding, memoryLimiter, type RateLimiter } from './rate-limit';
import { S3Store } from './store/s3';
import type { BlobStore } from './store/types';

/** Everything built from the environment, once per environment object. */
export interface AppState {
  config: Config;
  store: BlobStore; // rooted at S3_PREFIX; routes only see store.scoped("<namespace>/")
  limiters: { authenticated: RateLimiter; unauthenticated: RateLimiter };
  /** the worker's clock (retention ages, backup names and rate caps); tests pass a fake one */
  now: () => Date;
}

export type AppEnv = {
  Bindings: Env;
  Variables: { state: AppState; namespace: string; tokenHash: string; store: BlobStore };
};

const cache = new WeakMap<object, AppState>();

/** Parses and validates env the first time it is seen; later calls reuse the result. */
export function stateFor(
  env: Env,
  makeStore = (c: Config): BlobStore => S3Store.fromConfig(c.s3),
  now = () => new Date(),
): AppState {
  let s = cache.get(env);
  if (!s) {
    const config = parseConfig(env);
    const { rateLimit: rl } = config;
    s = {
      config,
      store: makeStore(config),
      limiters: {
        // the bindings' limits are set in wrangler.toml ([[ratelimits]]); without them (Node, tests) memory buckets
        authenticated: isRateLimitBinding(env.RATE_LIMITER) ? bindingLimiter(env.RATE_LIMITER, 60) : memoryLimiter(rl.perMinute, rl.burst),
        unauthenticated: isRateLimitBinding(env.ANON_RATE_LIMITER)
          ? bindingLimiter(env.ANON_RATE_LIMITER, 60)
          : memoryLimiter(rl.unauthenticatedPerMinute, rl.unauthenticatedBurst),
      },
      now,
    };
    cache.set(env, s);
  }
  return s;
}
