import { type Config, type Env, parseConfig } from './config';
import { TokenBuckets } from './rate-limit';
import { S3Store } from './store/s3';
import type { BlobStore } from './store/types';

/** Everything built from the environment, once per environment object. */
export interface AppState {
  config: Config;
  store: BlobStore; // rooted at S3_PREFIX; routes only see store.scoped("<namespace>/")
  limiter: TokenBuckets;
  /** the worker's clock (retention ages, backup names); tests pass a fake one */
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
    s = { config, store: makeStore(config), limiter: new TokenBuckets(config.rateLimit.perMinute, config.rateLimit.burst), now };
    cache.set(env, s);
  }
  return s;
}
