import { Hono } from 'hono';
import type { AppEnv } from '../state';

export const health = new Hono<AppEnv>().get('/v1/health', (c) =>
  c.json({ ok: true, service: 'nba-daily-presign', time: new Date().toISOString() }),
);
