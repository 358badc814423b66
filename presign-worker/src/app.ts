import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requireToken } from './auth';
import { ConfigError } from './config';
import { limitUnauthenticated, rateLimit } from './rate-limit';
import { backups } from './routes/backups';
import { csv } from './routes/csv';
import { health } from './routes/health';
import { nba } from './routes/nba';
import { sync } from './routes/sync';
import { type AppEnv, stateFor } from './state';
import { StorageError } from './store/types';

export function createApp(makeState: typeof stateFor = stateFor) {
  const app = new Hono<AppEnv>();

  // 1. configuration (validated once per env object)
  app.use('*', async (c, next) => {
    try {
      c.set('state', makeState(c.env ?? {}));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      console.error(e.message);
      return c.json({ ok: false, error: 'worker misconfigured; see the worker log' }, 503);
    }
    await next();
  });

  // 2. CORS for configured origins only (preflights are answered before auth)
  app.use('*', cors({
    origin: (origin, c) => ((c as Context<AppEnv>).var.state.config.allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['ETag', 'Retry-After'],
    maxAge: 600,
  }));

  // 3. answers that carry presigned URLs (and their errors) must never sit in a cache; /v1/nba sets its own
  app.use('/v1/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });

  app.use('/v1/health', limitUnauthenticated);
  app.route('/', health);

  // 4. everything else: bearer token (failures count against the unauthenticated limit), then the per-token and
  // per-namespace rate limit, then a small body
  app.use('/v1/*', requireToken, rateLimit);
  app.use('/v1/*', bodyLimit({ maxSize: 8 * 1024, onError: (c) => c.json({ error: 'body too large', issues: [] }, 413) }));
  app.route('/', sync);
  app.route('/', backups);
  app.route('/', csv);
  app.route('/', nba);

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      // Hono's own pattern: a prepared response wins; otherwise the status it carries, as JSON
      if (err.res) return err.getResponse();
      return c.json({ error: err.message || 'request failed' }, err.status);
    }
    if (err instanceof StorageError) {
      console.error(`storage error: ${err.message}`);
      return c.json({ error: 'storage error', code: err.code }, 502);
    }
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}

export const app = createApp();
