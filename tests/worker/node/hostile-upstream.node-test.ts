// /v1/nba/* against hostile upstreams (issue 9, item 3): a redirect to another host, an endless chunked body, a
// gzip bomb, huge and multi-line strings, slow trickles, and a schedule that lists hundreds of final games.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_UPSTREAM_BYTES, resetBoxScoreBudgets } from '../../../presign-worker/src/nba/http';
import { clearScheduleCache } from '../../../presign-worker/src/nba/nba-cdn';
import { type NbaFixtureServer, startNbaFixtureServer } from '../../fixtures/nba/server';
import { call, makeEnv, tenant } from '../helpers';

type Handler = (req: IncomingMessage, res: ServerResponse, stats: Stats) => void;
interface Stats {
  requests: number;
  bytesSent: number;
  referers: string[];
}

/** One HTTP server whose behaviour each test sets; counts what it sent. */
async function hostile(): Promise<{ url: string; server: Server; stats: Stats; handle: (h: Handler) => void }> {
  const stats: Stats = { requests: 0, bytesSent: 0, referers: [] };
  let handler: Handler = (_q, res) => res.end('{}');
  const server = createServer((req, res) => {
    stats.requests++;
    stats.referers.push(String(req.headers.referer ?? ''));
    handler(req, res, stats);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, stats, handle: (h) => (handler = h) };
}

/** Writes `chunk` until the client goes away (or `limit` bytes), respecting backpressure. */
function endless(res: ServerResponse, stats: Stats, chunk: Buffer, sink: NodeJS.WritableStream = res, limit = 1024 ** 3) {
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && stats.bytesSent < limit) {
      stats.bytesSent += chunk.length;
      if (!sink.write(chunk)) return void sink.once('drain', pump);
    }
    if (!closed) sink.end();
  };
  pump();
}

const alice = tenant('hostile-up');
let bad: Awaited<ReturnType<typeof hostile>>;
let elsewhere: Awaited<ReturnType<typeof hostile>>;
let up: NbaFixtureServer;
let warn: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  bad = await hostile();
  elsewhere = await hostile();
  up = await startNbaFixtureServer();
});
afterAll(async () => {
  for (const s of [bad.server, elsewhere.server]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await up.close();
});
beforeEach(() => {
  clearScheduleCache();
  resetBoxScoreBudgets();
  up.reset();
  bad.stats.requests = bad.stats.bytesSent = 0;
  bad.stats.referers = [];
  elsewhere.stats.requests = 0;
  elsewhere.stats.referers = [];
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

const hostileEnv = (extra: Record<string, string> = {}) =>
  makeEnv([alice], { NBA_CDN_BASE: bad.url, ESPN_BASE: bad.url, NBA_UPSTREAM_TIMEOUT_MS: '10000', ...extra });
const fixtureEnv = (extra: Record<string, string> = {}) =>
  makeEnv([alice], { NBA_CDN_BASE: up.url, ESPN_BASE: up.url, NBA_UPSTREAM_TIMEOUT_MS: '3000', ...extra });
const day = (env: object, date = '2024-01-10') => call(env, 'GET', `/v1/nba/day/${date}`, { token: alice.token });

describe('redirects', () => {
  it('a redirect to another host is not followed: the other host never sees the nba.com Referer', async () => {
    bad.handle((req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal${req.url}` });
      res.end();
    });
    elsewhere.handle((_q, res) => res.end('{}'));
    const r = await day(hostileEnv());
    expect(r.status).toBe(502);
    expect(r.json.reason).toMatch(/HTTP 302 redirect \(not followed\)/);
    expect(elsewhere.stats.requests).toBe(0);
    expect(elsewhere.stats.referers).toEqual([]);
  });
});

describe('body sizes are cut as the bytes arrive', () => {
  it('an endless chunked body (no Content-Length) stops at the limit, long before the timeout', async () => {
    bad.handle((_q, res, stats) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      endless(res, stats, Buffer.alloc(64 * 1024, 0x20));
    });
    const t0 = Date.now();
    const r = await day(hostileEnv());
    expect(r.status).toBe(502);
    expect(r.json.reason).toMatch(/body too large \(more than \d+ bytes\)/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // each of the two upstreams read at most the limit (plus what sat in socket buffers), not the 1 GiB on offer
    expect(bad.stats.bytesSent).toBeLessThan(2 * (MAX_UPSTREAM_BYTES + 8 * 1024 * 1024));
  });

  it('a gzip bomb (a few KB that inflate without end) stops at the decompressed limit', async () => {
    let compressed = 0;
    bad.handle((_q, res, stats) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gzip = createGzip({ level: 9 });
      gzip.on('data', (c: Buffer) => (compressed += c.length));
      gzip.pipe(res);
      endless(res, stats, Buffer.alloc(1024 * 1024, 0x20), gzip, Number.MAX_SAFE_INTEGER);
    });
    const t0 = Date.now();
    const r = await day(hostileEnv());
    expect(r.status).toBe(502);
    expect(r.json.reason).toMatch(/body too large \(more than \d+ bytes\)/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // ~1000:1 for this body: the worker hung up after a few hundred KB of gzip, not the endless stream on offer
    expect(compressed).toBeLessThan(16 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit is refused before reading', async () => {
    bad.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_UPSTREAM_BYTES + 1) });
      res.write('{');
    });
    const r = await day(hostileEnv());
    expect(r.status).toBe(502);
    expect(r.json.reason).toContain(`${MAX_UPSTREAM_BYTES + 1} bytes declared`);
  });

  it('a slow trickle is cut by the timeout', async () => {
    bad.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
    });
    const t0 = Date.now();
    const r = await day(hostileEnv({ NBA_UPSTREAM_TIMEOUT_MS: '400' }));
    expect(r.status).toBe(502);
    expect(r.json.reason).toMatch(/timed out after 400 ms/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('upstream strings are only echoed as short, single-line excerpts', () => {
  it('a 2 MB team code with newlines reaches neither the 502 body nor the log beyond an excerpt', async () => {
    const huge = `BOS\nnba upstream error: FORGED LOG LINE\r\n${'X'.repeat(2 * 1024 * 1024)}`;
    const schedule = { leagueSchedule: { seasonYear: '2023-24', gameDates: [{ gameDate: '01/10/2024 00:00:00', games: [
      { gameId: '0022300501', gameStatus: 1, gameStatusText: '7:30 pm ET', gameDateTimeUTC: '2024-01-11T00:30:00Z', homeTeam: { teamTricode: huge, score: 0 }, awayTeam: { teamTricode: 'NYK', score: 0 } }] }] } };
    up.override('/static/json/staticData/scheduleLeagueV2.json', { json: schedule });
    up.override('/apis/site/v2/sports/basketball/nba/scoreboard?dates=20240110', { status: 500, body: `oops\n${'Y'.repeat(1024 * 1024)}` });
    const r = await day(fixtureEnv());
    expect(r.status).toBe(502);
    expect(r.text.length).toBeLessThan(1000);
    expect(r.json.reason).not.toMatch(/[\n\r]/);
    expect(r.json.reason).toContain('unknown team code "BOS nba upstream error: FORGED LOG LINE');
    const logged = warn.mock.calls.map((c: unknown[]) => c.join(' ')).join('\n');
    expect(logged.length).toBeLessThan(1000);
    expect(logged.split('\n')).toHaveLength(1);
  });
});

describe('box-score fan-out', () => {
  const finals = (n: number) => ({ leagueSchedule: { seasonYear: '2023-24', gameDates: [{ gameDate: '01/10/2024 00:00:00', games:
    Array.from({ length: n }, (_, i) => ({ gameId: `00223${String(600 + i).padStart(5, '0')}`, gameStatus: 3, gameStatusText: 'Final',
      gameDateTimeUTC: '2024-01-11T00:30:00Z', homeTeam: { teamTricode: 'BOS', score: 100 }, awayTeam: { teamTricode: 'NYK', score: 90 } })) }] } });

  it('a schedule listing 200 final games on one day fetches no box score at all (cap of 20 per request)', async () => {
    up.override('/static/json/staticData/scheduleLeagueV2.json', { json: finals(200) });
    up.override('/apis/site/v2/sports/basketball/nba/scoreboard?dates=20240110', { status: 503, body: 'down' });
    const r = await day(fixtureEnv());
    expect(r.status).toBe(502);
    expect(r.json.reason).toContain('200 final games listed for one day; at most 20 box scores');
    const boxHits = Array.from({ length: 200 }, (_, i) => up.hits(`/static/json/liveData/boxscore/boxscore_00223${String(600 + i).padStart(5, '0')}.json`));
    expect(boxHits.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('a per-minute budget of box-score fetches (NBA_BOXSCORES_PER_MINUTE) bounds cold days in a row', async () => {
    const env = fixtureEnv({ NBA_BOXSCORES_PER_MINUTE: '3' });
    const box = (id: string) => up.hits(`/static/json/liveData/boxscore/boxscore_${id}.json`);
    const first = await day(env);
    expect(first.status, first.text).toBe(200);
    expect(first.json.source).toBe('nba-cdn');
    // 1 left for the CDN: it refuses, ESPN (its own budget of 3) answers
    const second = await day(env);
    expect(second.status, second.text).toBe(200);
    expect(second.json.source).toBe('espn');
    const third = await day(env);
    expect(third.status).toBe(502);
    expect(third.json.reason).toMatch(/box-score budget of 3 fetches a minute used up/);
    expect(box('0022300501') + box('0022300502')).toBe(2);
  });
});
