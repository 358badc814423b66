// /v1/nba inside workerd, through the worker's real entry. Upstream fetches never leave the isolate: global fetch is
// stubbed to answer the NBA CDN / ESPN paths from tests/fixtures/nba (so this also runs AbortSignal.timeout, zod,
// Intl time zones and caches.default as workerd provides them).
import { env, exports } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../../../presign-worker/src/app';
import box501 from '../../fixtures/nba/nba-cdn/boxscore_0022300501.json';
import box502 from '../../fixtures/nba/nba-cdn/boxscore_0022300502.json';
import schedule from '../../fixtures/nba/nba-cdn/scheduleLeagueV2.json';
import sbAfter from '../../fixtures/nba/nba-cdn/todaysScoreboard_00.after.json';
import espn404 from '../../fixtures/nba/espn/error404.json';
import espnInjuries from '../../fixtures/nba/espn/injuries.json';
import espnSb0111 from '../../fixtures/nba/espn/scoreboard_20240111.json';
import box511 from '../../fixtures/nba/nba-cdn/boxscore_0022300511.json';
import box512 from '../../fixtures/nba/nba-cdn/boxscore_0022300512.json';
import expected from '../../fixtures/nba/expected.json';

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;
const get = (path: string, token: string | null = env.TEST_TOKEN_ALICE) =>
  worker.fetch(new Request(`https://presign.test${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }));

const FILES: Record<string, unknown> = {
  '/static/json/staticData/scheduleLeagueV2.json': schedule,
  '/static/json/liveData/scoreboard/todaysScoreboard_00.json': sbAfter,
  '/static/json/liveData/boxscore/boxscore_0022300501.json': box501,
  '/static/json/liveData/boxscore/boxscore_0022300502.json': box502,
};
/** Box scores of 2024-01-11 (published) only in the injuries tests; ESPN answers only these paths. */
let published: Record<string, unknown> = {};
let ESPN: Record<string, unknown> = {};
let seen: { url: string; referer: string | null }[] = [];
let slow = false;

beforeEach(() => {
  seen = [];
  slow = false;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const u = new URL(req.url);
    seen.push({ url: req.url, referer: req.headers.get('referer') });
    if (slow) {
      // never answers: only the worker's AbortSignal.timeout ends this
      return new Promise<Response>((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)));
    }
    if (u.hostname === 'cdn.nba.com') {
      const body = FILES[u.pathname] ?? published[u.pathname];
      return body ? Response.json(body) : new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 });
    }
    if (u.hostname === 'site.api.espn.com') {
      const body = ESPN[u.pathname + u.search];
      return body ? Response.json(body) : Response.json(espn404, { status: 404 });
    }
    throw new Error(`unexpected fetch ${req.url}`);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  published = {};
  ESPN = {};
});

describe('/v1/nba/injuries and /v1/nba/odds inside workerd', () => {
  // caches.default outlives a test here, so one day's answer is checked once, then as a cache hit.
  it('injuries: ESPN report mapped to NBA.com ids through the published box scores, inactive lists official, then cached', async () => {
    ESPN = {
      '/apis/site/v2/sports/basketball/nba/scoreboard?dates=20240111': espnSb0111,
      '/apis/site/v2/sports/basketball/nba/injuries': espnInjuries,
    };
    published = { '/static/json/liveData/boxscore/boxscore_0022300512.json': box512 };
    let r = await get('/v1/nba/injuries/2024-01-11');
    expect(r.status).toBe(200);
    const j = (await r.json()) as any;
    expect(j.published).toEqual(['0022300512']);
    expect(j.espn).toBe('injuries');
    expect(j.players.find((p: any) => p.playerId === expected.injuries.out.personId)).toMatchObject({ status: 'out', teamId: 'PHX', source: 'espn' });
    const inactive = [box512.game.homeTeam, box512.game.awayTeam].flatMap((t: any) => t.players.filter((p: any) => p.status === 'INACTIVE'));
    for (const p of inactive) expect(j.players.find((x: any) => x.playerId === String(p.personId))).toMatchObject({ status: 'out', source: 'nba-cdn' });
    ESPN = { ...ESPN, '/apis/site/v2/sports/basketball/nba/injuries': { injuries: 'malformed now' } };
    r = await get('/v1/nba/injuries/2024-01-11');
    expect(r.headers.get('x-nba-cache')).toBe('hit');
    expect(((await r.json()) as any).players).toEqual(j.players);
  });
  it('odds: spread, total and moneylines; malformed injuries feed on another day still answers', async () => {
    ESPN = { '/apis/site/v2/sports/basketball/nba/scoreboard?dates=20240111': espnSb0111 };
    const o = (await (await get('/v1/nba/odds/2024-01-11')).json()) as any;
    expect(o.games.find((g: any) => g.gameId === '0022300512')).toMatchObject({ homeSpread: -6.5, overUnder: 228.5, homeMoneyline: -250, awayMoneyline: 205 });
    ESPN = { '/apis/site/v2/sports/basketball/nba/injuries': { injuries: 'nope' } };
    const r = await get('/v1/nba/injuries/2024-01-10');
    expect(r.status).toBe(200);
    const j = (await r.json()) as any;
    expect(j.espn).toBe('failed');
    expect(j.published.sort()).toEqual(['0022300501', '0022300502']);
  });
});

describe('/v1/nba inside workerd', () => {
  it('401 without a token, 400 for bad dates and game ids, and no upstream call for either', async () => {
    expect((await get('/v1/nba/day/2024-01-10', null)).status).toBe(401);
    expect((await get('/v1/nba/boxscore/0022300501', 'not-the-right-token-at-all')).status).toBe(401);
    for (const bad of ['2024-02-30', '20240110', 'today']) {
      const r = await get(`/v1/nba/day/${bad}`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { issues: { path: string }[] }).issues[0].path).toBe('date');
    }
    expect((await get('/v1/nba/boxscore/espn-x')).status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('a final day from the (stubbed) NBA CDN with the nba.com Referer, then from caches.default', async () => {
    const r = await get('/v1/nba/day/2024-01-10');
    expect(r.status).toBe(200);
    const j = (await r.json()) as { source: string; games: { id: string; status: string; date: string }[]; logs: { played: boolean }[] };
    expect(j.source).toBe('nba-cdn');
    expect(j.games.map((g) => [g.id, g.status, g.date])).toEqual([['0022300501', 'final', '2024-01-10'], ['0022300502', 'final', '2024-01-10']]);
    expect(j.logs).toHaveLength(40);
    expect(j.logs.filter((l) => !l.played)).toHaveLength(8);
    expect(seen.every((s) => s.referer === 'https://www.nba.com/')).toBe(true);
    expect(r.headers.get('x-nba-cache')).toBe('miss');
    expect(r.headers.get('cache-control')).toBe('private, max-age=86400');

    const calls = seen.length;
    const again = await get('/v1/nba/day/2024-01-10');
    expect(again.headers.get('x-nba-cache')).toBe('hit');
    expect(((await again.json()) as { logs: unknown[] }).logs).toHaveLength(40);
    expect(seen.length).toBe(calls);
  });

  it('ESPN 404 body → 502 JSON; a hanging upstream is cut off by the timeout', async () => {
    const r = await get('/v1/nba/boxscore/espn-999');
    expect(r.status).toBe(502);
    expect(await r.json()).toEqual({ error: 'upstream error', upstream: 'espn', reason: 'espn: summary: HTTP 404 (error 404)' });

    // the same app with a short NBA_UPSTREAM_TIMEOUT_MS (a new env object: a new validated config)
    slow = true;
    const t0 = Date.now();
    const s = await app.fetch(
      new Request('https://presign.test/v1/nba/boxscore/espn-12345', { headers: { authorization: `Bearer ${env.TEST_TOKEN_ALICE}` } }),
      { ...env, NBA_UPSTREAM_TIMEOUT_MS: '250' },
    );
    expect(s.status).toBe(502);
    expect(((await s.json()) as { reason: string }).reason).toBe('espn: summary: timed out after 250 ms');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
