import { S3ServiceException } from '@aws-sdk/client-s3';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requireToken } from './auth';
import { ConfigError } from './config';
import { rateLimit } from './rate-limit';
import { backups } from './routes/backups';
import { csv } from './routes/csv';
import { health } from './routes/health';
import { nba } from './routes/nba';
import { sync } from './routes/sync';
import { type AppEnv, stateFor } from './state';

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
  app.use('*', (c, next) =>
    cors({
      origin: (origin) => (c.var.state.config.allowedOrigins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['ETag', 'Retry-After'],
      maxAge: 600,
    })(c, next),
  );

  app.route('/', health);

  // 3. everything else: bearer token, then the per-token rate limit, then a small body
  app.use('/v1/*', requireToken, rateLimit);
  app.use('/v1/*', bodyLimit({ maxSize: 8 * 1024, onError: (c) => c.json({ error: 'body too large', issues: [] }, 413) }));
  app.route('/', sync);
  app.route('/', backups);
  app.route('/', csv);
  app.route('/', nba);

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof S3ServiceException) {
      console.error(`storage error: ${err.name} (${err.$metadata.httpStatusCode})`);
      return c.json({ error: 'storage error', code: err.name }, 502);
    }
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}

export const app = createApp();
