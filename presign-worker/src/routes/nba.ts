import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { badRequest, toIssues } from '../errors';
import { cacheGet, cacheKey, cachePut, edgeCache } from '../nba/cache';
import { cacheSeconds, nbaData, UpstreamFailure } from '../nba/index';
import { easternDate } from '../nba/crosswalk';
import { UpstreamError } from '../nba/http';
import { availability, odds } from '../nba/reports';
import type { AppEnv } from '../state';

const DateParam = z.iso.date('date must be a real calendar date, YYYY-MM-DD')
  .refine((d) => d >= '1946-11-01' && d <= '2100-12-31', 'date out of range');
const GameIdParam = z.string().regex(/^(00\d{8}|espn-\d{1,12})$/, 'gameId must be an NBA.com game id (10 digits, e.g. 0022300061) or espn-<digits>');

function json(body: string, ttl: number, cache: 'hit' | 'miss' | 'off') {
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': `private, max-age=${ttl}`, 'x-nba-cache': cache },
  });
}

/** Answers from the edge cache, or computes, caches for `ttl(result)` seconds and answers. Upstream failure → 502. */
async function cachedJson<T>(c: Context<AppEnv>, path: string, compute: () => Promise<T>, ttl: (r: T) => number) {
  const cfg = c.var.state.config.nba;
  const key = await cacheKey(path, { cdn: cfg.cdnBase, espn: cfg.espnBase });
  const hit = await cacheGet(key);
  if (hit) return json(hit.body, hit.ttl, 'hit');
  let result: T;
  try {
    result = await compute();
  } catch (e) {
    if (e instanceof UpstreamError) e = new UpstreamFailure(e.upstream, e.message);
    if (!(e instanceof UpstreamFailure)) throw e;
    console.warn(`nba upstream error: ${e.reason}`);
    return c.json({ error: 'upstream error', reason: e.reason, upstream: e.upstream }, 502);
  }
  const body = JSON.stringify(result);
  const seconds = ttl(result);
  await cachePut(key, body, seconds); // awaited (not waitUntil): a colo-local write, and the next request sees it
  return json(body, seconds, edgeCache() ? 'miss' : 'off');
}

/** Reports change through the day until tip-off; a past day's inactive lists are settled. */
const reportSeconds = (date: string, todaySeconds: number) => (date < easternDate(new Date()) ? 86_400 : todaySeconds);

export const nba = new Hono<AppEnv>()
  /** A day's games (Eastern date) with status and scores, and compact box-score lines of its final games. */
  .get('/v1/nba/day/:date', async (c) => {
    const date = DateParam.safeParse(c.req.param('date'));
    if (!date.success) return badRequest(c, 'invalid date', toIssues(date.error).map((i) => ({ ...i, path: 'date' })));
    return cachedJson(c, `/day/${date.data}`, () => nbaData.day(c.var.state.config.nba, date.data),
      (r) => cacheSeconds(r.date, r.games, new Date()));
  })
  /** One game, with box-score lines if it is final. */
  .get('/v1/nba/boxscore/:gameId', async (c) => {
    const id = GameIdParam.safeParse(c.req.param('gameId'));
    if (!id.success) return badRequest(c, 'invalid gameId', toIssues(id.error).map((i) => ({ ...i, path: 'gameId' })));
    return cachedJson(c, `/boxscore/${id.data}`, () => nbaData.game(c.var.state.config.nba, id.data),
      (r) => cacheSeconds(r.game.date, [r.game], new Date()));
  })
  /** Who is out, doubtful, questionable or probable for a day's games (inactive lists and injury reports). */
  .get('/v1/nba/injuries/:date', async (c) => {
    const date = DateParam.safeParse(c.req.param('date'));
    if (!date.success) return badRequest(c, 'invalid date', toIssues(date.error).map((i) => ({ ...i, path: 'date' })));
    return cachedJson(c, `/injuries/${date.data}`, () => availability(c.var.state.config.nba, date.data), () => reportSeconds(date.data, 120));
  })
  /** The betting market per game of a day: spread, moneylines, over/under. */
  .get('/v1/nba/odds/:date', async (c) => {
    const date = DateParam.safeParse(c.req.param('date'));
    if (!date.success) return badRequest(c, 'invalid date', toIssues(date.error).map((i) => ({ ...i, path: 'date' })));
    return cachedJson(c, `/odds/${date.data}`, () => odds(c.var.state.config.nba, date.data), () => reportSeconds(date.data, 300));
  });
