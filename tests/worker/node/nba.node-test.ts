// /v1/nba routes against a local fixture server standing in for the NBA CDN and ESPN (tests/fixtures/nba).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, easternDate, gameClockOf, minutesOf, nameKey, reasonText, teamId } from '../../../presign-worker/src/nba/crosswalk';
import { clearScheduleCache } from '../../../presign-worker/src/nba/nba-cdn';
import { cacheSeconds } from '../../../presign-worker/src/nba/upstream';
import { NBA_FIXTURES_DIR, type NbaFixtureServer, startNbaFixtureServer } from '../../fixtures/nba/server';
import { call, makeEnv, tenant } from '../helpers';

const expected = JSON.parse(readFileSync(`${NBA_FIXTURES_DIR}expected.json`, 'utf8'));
const alice = tenant('nba');
let up: NbaFixtureServer;
let env: Record<string, string>;

const get = (path: string, e: object = env) => call(e, 'GET', path, { token: alice.token });
const SCHEDULE = '/static/json/staticData/scheduleLeagueV2.json';
const SCOREBOARD = '/static/json/liveData/scoreboard/todaysScoreboard_00.json';
const BOX = (id: string) => `/static/json/liveData/boxscore/boxscore_${id}.json`;
const ESPN_SB = (d: string) => `/apis/site/v2/sports/basketball/nba/scoreboard?dates=${d}`;
const ESPN_SUM = (id: string) => `/apis/site/v2/sports/basketball/nba/summary?event=${id}`;
const rawBytes = (rel: string) => readFileSync(`${NBA_FIXTURES_DIR}${rel}`).length;

beforeAll(async () => {
  up = await startNbaFixtureServer();
  env = makeEnv([alice], { NBA_CDN_BASE: up.url, ESPN_BASE: `${up.url}/`, NBA_UPSTREAM_TIMEOUT_MS: '2000' });
});
afterAll(() => up?.close());
beforeEach(() => {
  up.reset();
  clearScheduleCache();
});

/** Every log belongs to a final game of the answer and to a listed player; every player has a log. */
function expectConsistent(j: { games: any[]; players: any[]; logs: any[] }) {
  const finals = new Set(j.games.filter((g) => g.status === 'final').map((g) => g.id));
  const players = new Set(j.players.map((p) => p.id));
  for (const l of j.logs) {
    expect(finals.has(l.gameId)).toBe(true);
    expect(players.has(l.playerId)).toBe(true);
    expect(Object.keys(l).sort()).toEqual(['assists', 'date', 'dnpReason', 'gameId', 'home', 'minutes', 'opponentId', 'played', 'playerId',
      'points', 'rebounds', 'starter', 'teamId', 'threesMade'].sort());
  }
  expect(new Set(j.logs.map((l) => l.playerId))).toEqual(players);
  for (const g of j.games) expect(Object.keys(g).sort()).toEqual(['awayScore', 'awayTeamId', 'date', 'homeScore', 'homeTeamId', 'id', 'status', 'tipoff']);
}

describe('crosswalk helpers', () => {
  it('maps ESPN team codes to NBA.com tricodes and rejects non-NBA teams', () => {
    expect(['GS', 'SA', 'NY', 'NO', 'UTAH', 'WSH', 'PHO', 'BKN', 'bos'].map(teamId)).toEqual(['GSW', 'SAS', 'NYK', 'NOP', 'UTA', 'WAS', 'PHX', 'BKN', 'BOS']);
    expect(teamId('LEB')).toBeNull(); // All-Star team
  });
  it('minutes, reasons, names, Eastern dates', () => {
    expect(minutesOf('PT43M44.00S')).toBe(43.73);
    expect(minutesOf('PT00M00.00S')).toBe(0);
    expect(minutesOf('28')).toBe(28);
    expect(minutesOf('abc')).toBeNull();
    expect(reasonText('INACTIVE_INJURY')).toBe('Inactive - Injury');
    expect(reasonText("COACH'S DECISION")).toBe("Coach's Decision");
    expect(nameKey('Jaren Jackson Jr.')).toBe(nameKey('Jaren Jackson'));
    expect(nameKey('Nikola Jokić')).toBe('nikola jokic');
    expect(easternDate('2024-01-11T03:00:00Z')).toBe('2024-01-10');
    expect(easternDate('2024-07-01T03:59:00Z')).toBe('2024-06-30');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  });
  it('live game clocks: NBA CDN durations and ESPN display clocks, last-minute tenths, garbage refused', () => {
    expect(['PT07M15.00S', 'PT12M00.00S', 'PT00M45.30S', 'PT00M00.00S', '8:41', '45.3', 'PT07M75.00S', 'Q2 7:15', '', undefined].map(gameClockOf))
      .toEqual(['7:15', '12:00', '45.3', '0.0', '8:41', '45.3', null, null, null, null]);
  });
  it('cache lifetimes: seconds while live, a day once final, short for future days', () => {
    const now = new Date('2024-01-11T20:00:00Z');
    const g = (status: string) => ({ id: '0022300001', date: '2024-01-11', tipoff: '', homeTeamId: 'BOS', awayTeamId: 'NYK', status, homeScore: null, awayScore: null }) as any;
    expect(cacheSeconds('2024-01-11', [g('live'), g('final')], now)).toBe(10);
    expect(cacheSeconds('2024-01-10', [g('final'), g('postponed')], now)).toBe(86_400);
    expect(cacheSeconds('2024-01-10', [], now)).toBe(86_400);
    expect(cacheSeconds('2024-01-11', [g('scheduled')], now)).toBe(60);
    expect(cacheSeconds('2024-02-01', [g('scheduled')], now)).toBe(600);
  });
});

describe('GET /v1/nba/day/:date', () => {
  it('401 without a valid token; 400 for a bad date', async () => {
    for (const path of ['/v1/nba/day/2024-01-10', '/v1/nba/boxscore/0022300501']) {
      expect((await call(env, 'GET', path)).status).toBe(401);
      expect((await call(env, 'GET', path, { token: 'x'.repeat(40) })).status).toBe(401);
    }
    for (const bad of ['2024-13-01', '2024-02-30', '20240110', 'yesterday', '2024-1-10', '..%2F..%2Fetc', '1900-01-01']) {
      const r = await get(`/v1/nba/day/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.error).toBe('invalid date');
      expect(r.json.issues[0].path).toBe('date');
    }
    expect(up.totalHits()).toBe(0);
  });

  it('a day of final games from the NBA CDN: ids, Eastern dates, box-score lines with DNP rows', async () => {
    const t0 = Date.now();
    const r = await get('/v1/nba/day/2024-01-10');
    const ms = Date.now() - t0;
    expect(r.status, r.text).toBe(200);
    const j = r.json;
    expect(j.source).toBe('nba-cdn');
    expect(j.date).toBe('2024-01-10');
    expect(Date.parse(j.fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(j.games.map((g: any) => [g.id, g.status, g.homeTeamId, g.awayTeamId, g.homeScore, g.awayScore, g.date])).toEqual(
      ['0022300501', '0022300502'].map((id) => [id, 'final', expected.games[id].home, expected.games[id].away, expected.games[id].homeScore, expected.games[id].awayScore, '2024-01-10']),
    );
    // 22:00 Eastern on the 10th is the 11th in UTC: the date is the Eastern one, the tip-off is UTC
    expect(j.games[1].tipoff).toBe('2024-01-11T03:00:00.000Z');
    expect(j.logs).toHaveLength(40);
    expectConsistent(j);

    const s = expected.sample;
    const starter = j.logs.find((l: any) => l.playerId === s.starter.personId);
    expect(starter).toEqual({
      gameId: '0022300501', playerId: s.starter.personId, teamId: 'BOS', opponentId: 'NYK', date: '2024-01-10', home: true,
      played: true, starter: true, minutes: Math.round((s.starter.min + s.starter.sec / 60) * 100) / 100, points: s.starter.pts,
      rebounds: s.starter.reb, assists: s.starter.ast, threesMade: s.starter.fg3m, dnpReason: null,
    });
    expect(j.players.find((p: any) => p.id === s.starter.personId)).toEqual({ id: s.starter.personId, name: s.starter.name, teamId: 'BOS', position: s.starter.position });
    const coach = j.logs.find((l: any) => l.playerId === s.coachsDecision.personId);
    expect(coach).toMatchObject({ played: false, starter: false, minutes: 0, points: 0, rebounds: 0, assists: 0, threesMade: 0, dnpReason: "DNP - Coach's Decision" });
    const inactive = j.logs.find((l: any) => l.playerId === s.inactive.personId);
    expect(inactive).toMatchObject({ played: false, minutes: 0, points: 0, dnpReason: 'Inactive - Injury (Left Ankle; Sprain)' });
    // sum of the home side's points = the final score
    expect(j.logs.filter((l: any) => l.gameId === '0022300501' && l.home).reduce((a: number, l: any) => a + l.points, 0)).toBe(expected.games['0022300501'].homeScore);

    expect(r.headers.get('cache-control')).toBe('private, max-age=86400');
    expect(r.headers.get('x-nba-cache')).toBe('off'); // no Cache API on Node
    expect(up.hits(SCHEDULE)).toBe(1);
    expect(up.hits(SCOREBOARD)).toBe(0); // all final: no need for the live scoreboard
    expect(up.hits(BOX('0022300501')) + up.hits(BOX('0022300502'))).toBe(2);

    const trimmed = Buffer.byteLength(r.text);
    const raw = rawBytes('nba-cdn/scheduleLeagueV2.json') + rawBytes('nba-cdn/boxscore_0022300501.json') + rawBytes('nba-cdn/boxscore_0022300502.json');
    const espnRaw = rawBytes('espn/scoreboard_20240110.json') + rawBytes('espn/summary_401600501.json') + rawBytes('espn/summary_401600502.json');
    console.log(`[nba size] 2024-01-10 (2 final games, 40 lines): trimmed ${trimmed} B; raw NBA CDN ${raw} B; raw ESPN ${espnRaw} B; ${ms} ms`);
    expect(trimmed).toBeLessThan(raw / 3);
  });

  it('today: the scoreboard before, during and after the games (the schedule lags behind)', async () => {
    up.scoreboard = 'before';
    let r = await get('/v1/nba/day/2024-01-11');
    expect(r.status, r.text).toBe(200);
    expect(r.json.games.map((g: any) => [g.id, g.status, g.homeScore, g.awayScore])).toEqual([
      ['0022300511', 'scheduled', null, null], ['0022300512', 'scheduled', null, null]]);
    expect(r.json.logs).toEqual([]);
    expect(r.json.players).toEqual([]);
    expect(up.hits(SCOREBOARD)).toBe(1);

    up.scoreboard = 'during';
    r = await get('/v1/nba/day/2024-01-11');
    const g511 = expected.games['0022300511'];
    expect(r.json.games.map((g: any) => [g.id, g.status, g.homeScore, g.awayScore])).toEqual([
      ['0022300511', 'live', Math.floor(g511.homeScore / 2), Math.floor(g511.awayScore / 2)], ['0022300512', 'scheduled', null, null]]);
    expect(r.json.games.map((g: any) => [g.period, g.clock])).toEqual([[2, '4:12'], [undefined, undefined]]); // PT04M12.00S
    expect(r.json.logs).toEqual([]); // no lines for a game that is not final
    expect(r.headers.get('cache-control')).toBe('private, max-age=10');
    expect(up.hits(BOX('0022300511'))).toBe(0);

    up.scoreboard = 'after';
    r = await get('/v1/nba/day/2024-01-11');
    expect(r.json.source).toBe('nba-cdn');
    expect(r.json.games.map((g: any) => [g.status, g.homeScore, g.awayScore])).toEqual(
      ['0022300511', '0022300512'].map((id) => ['final', expected.games[id].homeScore, expected.games[id].awayScore]));
    expect(r.json.logs).toHaveLength(40);
    expectConsistent(r.json);
  });

  it('postponed games, an empty day inside the season and off-season days', async () => {
    let r = await get('/v1/nba/day/2024-01-12');
    expect(r.json.games).toEqual([{ id: '0022300521', date: '2024-01-12', tipoff: '2024-01-13T00:00:00.000Z', homeTeamId: 'MIL', awayTeamId: 'BOS', status: 'postponed', homeScore: null, awayScore: null }]);
    expect(r.json.logs).toEqual([]);

    for (const date of ['2024-01-13', '2024-07-15']) {
      r = await get(`/v1/nba/day/${date}`);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ date, source: 'nba-cdn', games: [], players: [], logs: [] });
    }
    // before the CDN's (current-season) schedule: ESPN answers; its only event is a preseason game, left out
    r = await get('/v1/nba/day/2023-09-30');
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ date: '2023-09-30', source: 'espn', games: [], players: [], logs: [] });
    expect(up.hits(ESPN_SB('20230930'))).toBe(1);
    // the CDN schedule's preseason game (0012300001) is not reported either
    r = await get('/v1/nba/day/2023-10-05');
    expect(r.json).toMatchObject({ source: 'nba-cdn', games: [] });
  });

  it('NBA CDN down: ESPN answers, team codes crosswalked, ids namespaced (no schedule to match against)', async () => {
    up.override(SCHEDULE, { status: 503, body: 'Service Unavailable' });
    const r = await get('/v1/nba/day/2024-01-10');
    expect(r.status, r.text).toBe(200);
    expect(r.json.source).toBe('espn');
    expect(r.json.games.map((g: any) => [g.id, g.homeTeamId, g.awayTeamId, g.status, g.homeScore, g.awayScore, g.date])).toEqual([
      ['espn-401600501', 'BOS', 'NYK', 'final', expected.games['0022300501'].homeScore, expected.games['0022300501'].awayScore, '2024-01-10'],
      ['espn-401600502', 'GSW', 'SAS', 'final', expected.games['0022300502'].homeScore, expected.games['0022300502'].awayScore, '2024-01-10'],
    ]);
    expect(r.json.logs).toHaveLength(40);
    expectConsistent(r.json);
    const s = expected.sample;
    const starter = r.json.logs.find((l: any) => l.playerId === `espn-${s.starter.espnId}`);
    expect(starter).toMatchObject({ gameId: 'espn-401600501', teamId: 'BOS', opponentId: 'NYK', home: true, played: true, starter: true,
      minutes: s.starter.min, points: s.starter.pts, rebounds: s.starter.reb, assists: s.starter.ast, threesMade: s.starter.fg3m, dnpReason: null });
    expect(r.json.players.find((p: any) => p.id === `espn-${s.starter.espnId}`)).toEqual({ id: `espn-${s.starter.espnId}`, name: s.starter.espnName, teamId: 'BOS', position: s.starter.position });
    const dnp = r.json.logs.filter((l: any) => !l.played);
    expect(dnp.length).toBe(8); // 2 per team
    expect(new Set(dnp.map((l: any) => l.dnpReason))).toEqual(new Set(["DNP - Coach's Decision", 'DNP - Left Ankle Sprain']));
    for (const l of dnp) expect([l.minutes, l.points, l.rebounds, l.assists, l.threesMade]).toEqual([0, 0, 0, 0, 0]);
  });

  it('NBA CDN down while a game is live: ESPN gives the running score with its period and clock', async () => {
    up.override(SCHEDULE, { status: 503, body: 'Service Unavailable' });
    const r = await get('/v1/nba/day/2024-01-11');
    expect(r.status, r.text).toBe(200);
    expect(r.json.source).toBe('espn');
    const live = r.json.games.filter((g: any) => g.status === 'live');
    expect(live.map((g: any) => [g.period, g.clock])).toEqual([[2, '4:12']]);
    for (const g of r.json.games.filter((g: any) => g.status !== 'live')) expect([g.period, g.clock]).toEqual([undefined, undefined]);
  });

  it('a broken NBA CDN box score: the whole day comes from ESPN, game ids matched to NBA.com by date and teams', async () => {
    // the fixture box score of 0022300541 is malformed (points as a string, a team without players)
    let r = await get('/v1/nba/day/2024-01-14');
    expect(r.status, r.text).toBe(200);
    expect(r.json.source).toBe('espn');
    expect(r.json.games).toEqual([{ id: '0022300541', date: '2024-01-14', tipoff: '2024-01-14T20:00:00.000Z', homeTeamId: 'UTA', awayTeamId: 'WAS', status: 'final',
      homeScore: expected.games['0022300541'].homeScore, awayScore: expected.games['0022300541'].awayScore }]);
    expect(r.json.logs.every((l: any) => l.gameId === '0022300541' && l.playerId.startsWith('espn-'))).toBe(true);
    expect(r.json.logs).toHaveLength(20);

    // one box score of a day failing is enough: no mix of sources within a day
    up.override(BOX('0022300502'), { status: 500, body: 'oops' });
    r = await get('/v1/nba/day/2024-01-10');
    expect(r.json.source).toBe('espn');
    expect(r.json.games.map((g: any) => g.id)).toEqual(['0022300501', '0022300502']);
  });

  it('upstream timeouts are bounded: CDN slow → ESPN; both slow → 502 within the timeout', async () => {
    const fast = makeEnv([alice], { NBA_CDN_BASE: up.url, ESPN_BASE: up.url, NBA_UPSTREAM_TIMEOUT_MS: '300' });
    up.override(SCHEDULE, { delayMs: 3000 });
    let t0 = Date.now();
    let r = await get('/v1/nba/day/2024-01-10', fast);
    expect(r.status, r.text).toBe(200);
    expect(r.json.source).toBe('espn');
    expect(Date.now() - t0).toBeLessThan(2500);

    clearScheduleCache();
    up.override(ESPN_SB('20240110'), { delayMs: 3000 });
    t0 = Date.now();
    r = await get('/v1/nba/day/2024-01-10', fast);
    const ms = Date.now() - t0;
    expect(r.status).toBe(502);
    expect(r.json).toEqual({ error: 'upstream error', upstream: 'espn',
      reason: 'nba-cdn: scheduleLeagueV2.json: timed out after 300 ms; espn: scoreboard: timed out after 300 ms' });
    expect(ms).toBeLessThan(2500);
  });

  it('malformed payloads from both upstreams → 502 with both reasons, never a partial answer', async () => {
    up.override(SCHEDULE, { body: '{"leagueSchedule": {"seasonYear": "2023-24", "gameDates": [{"gameDate": "01/10/2024 00:00:00", "games": [{"gameId": 501}]}]}}' });
    up.override(ESPN_SB('20240110'), { body: '<html>rate limited</html>' });
    let r = await get('/v1/nba/day/2024-01-10');
    expect(r.status).toBe(502);
    expect(r.json.error).toBe('upstream error');
    expect(r.json.upstream).toBe('espn');
    expect(r.json.reason).toMatch(/^nba-cdn: scheduleLeagueV2\.json: unexpected shape \(leagueSchedule\.gameDates\.0\.games\.0\.gameId: .+\); espn: scoreboard: not JSON$/);
    expect(r.json.games).toBeUndefined();

    // a scoreboard whose events lack competitors, and an unknown team in the schedule's game of the day
    clearScheduleCache();
    up.reset();
    up.override(ESPN_SB('20240110'), { json: { events: [{ id: '1', date: '2024-01-11T00:30Z', competitions: [{ competitors: [] }] }] } });
    up.override(SCHEDULE, { json: { leagueSchedule: { seasonYear: '2023-24', gameDates: [{ gameDate: '01/10/2024 00:00:00', games: [
      { gameId: '0022300501', gameStatus: 1, gameStatusText: '7:30 pm ET', gameDateTimeUTC: '2024-01-11T00:30:00Z', homeTeam: { teamTricode: 'XYZ', score: 0 }, awayTeam: { teamTricode: 'NYK', score: 0 } }] }] } } });
    r = await get('/v1/nba/day/2024-01-10');
    expect(r.status).toBe(502);
    expect(r.json.reason).toContain('unknown team code "XYZ"');
    expect(r.json.reason).toContain('espn: scoreboard: unexpected shape (events.0.competitions.0.competitors');
  });

  it('ESPN 404 error body and ESPN errors sent with HTTP 200 → 502 with the reason', async () => {
    let r = await get('/v1/nba/boxscore/espn-999');
    expect(r.status).toBe(502);
    expect(r.json).toEqual({ error: 'upstream error', upstream: 'espn', reason: 'espn: summary: HTTP 404 (error 404)' });
    up.override(ESPN_SUM('401600502'), { json: JSON.parse(readFileSync(`${NBA_FIXTURES_DIR}espn/error404.json`, 'utf8')) });
    r = await get('/v1/nba/boxscore/espn-401600502');
    expect(r.status).toBe(502);
    expect(r.json.reason).toBe('espn: summary: error 404');
  });

  it('only the known upstream paths are ever requested (not an open proxy)', async () => {
    await get('/v1/nba/day/2024-01-10');
    await get('/v1/nba/boxscore/espn-401600501');
    await get('/v1/nba/day/..%2Fstatic%2Fjson');
    await get('/v1/nba/boxscore/..%2F..%2Fx');
    expect(up.totalHits()).toBeGreaterThan(0);
    // no other path reached the fixture server
    const allowed = [SCHEDULE, SCOREBOARD, BOX('0022300501'), BOX('0022300502'), ESPN_SUM('401600501')];
    let seen = 0;
    for (const p of allowed) seen += up.hits(p);
    expect(seen).toBe(up.totalHits());
  });
});

describe('GET /v1/nba/boxscore/:gameId', () => {
  it('400 for ids that are neither NBA.com nor espn-<digits>', async () => {
    for (const bad of ['123', '0022300501x', 'espn-abc', 'espn-', '1022300501', 'ESPN-1']) {
      const r = await get(`/v1/nba/boxscore/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.issues[0].path).toBe('gameId');
    }
  });

  it('a final game from the NBA CDN', async () => {
    const r = await get('/v1/nba/boxscore/0022300501');
    expect(r.status, r.text).toBe(200);
    expect(r.json.source).toBe('nba-cdn');
    expect(r.json.game).toMatchObject({ id: '0022300501', date: '2024-01-10', status: 'final', homeTeamId: 'BOS', awayTeamId: 'NYK',
      homeScore: expected.games['0022300501'].homeScore });
    expect(r.json.logs).toHaveLength(20);
    expectConsistent({ games: [r.json.game], players: r.json.players, logs: r.json.logs });
  });

  it('a game that has not started: the schedule row, no lines', async () => {
    const r = await get('/v1/nba/boxscore/0022300900');
    expect(r.status, r.text).toBe(200);
    expect(r.json.game).toMatchObject({ id: '0022300900', date: '2024-04-14', status: 'scheduled', homeScore: null, awayScore: null, homeTeamId: 'DEN', awayTeamId: 'LAL' });
    expect(r.json.logs).toEqual([]);
  });

  it('ESPN ids and the ESPN fallback for an NBA.com id map back to NBA.com game ids', async () => {
    let r = await get('/v1/nba/boxscore/espn-401600502');
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ source: 'espn', game: { id: '0022300502', homeTeamId: 'GSW', awayTeamId: 'SAS', date: '2024-01-10', status: 'final' } });
    expect(r.json.logs).toHaveLength(20);

    r = await get('/v1/nba/boxscore/0022300541'); // CDN box malformed → ESPN, found through the schedule's date and teams
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ source: 'espn', game: { id: '0022300541', homeTeamId: 'UTA', awayTeamId: 'WAS', status: 'final' } });
    expect(up.hits(ESPN_SB('20240114'))).toBe(1);
    expect(up.hits(ESPN_SUM('401600541'))).toBe(1);
  });

  it('an unknown NBA.com game: 502 naming both upstreams', async () => {
    const r = await get('/v1/nba/boxscore/0022399999');
    expect(r.status).toBe(502);
    expect(r.json.reason).toBe('nba-cdn: boxscore_0022399999.json: HTTP 403; espn: no crosswalk for 0022399999 (NBA schedule unavailable or game unknown)');
  });
});

describe('edge cache (a stand-in for caches.default, as in workerd)', () => {
  it('serves a repeat from the cache with the lifetime chosen for the day, and never caches a 502', async () => {
    const store = new Map<string, { body: string; headers: [string, string][] }>();
    const fake = {
      default: {
        match: async (k: Request) => {
          const e = store.get(k.url);
          return e ? new Response(e.body, { headers: e.headers }) : undefined;
        },
        put: async (k: Request, res: Response) => void store.set(k.url, { body: await res.text(), headers: [...res.headers] }),
      },
    };
    (globalThis as any).caches = fake;
    try {
      const a = await get('/v1/nba/day/2024-01-10');
      expect(a.headers.get('x-nba-cache')).toBe('miss');
      const before = up.totalHits();
      const b = await get('/v1/nba/day/2024-01-10');
      expect(b.headers.get('x-nba-cache')).toBe('hit');
      expect(b.headers.get('cache-control')).toBe('private, max-age=86400');
      expect(b.text).toBe(a.text);
      expect(up.totalHits()).toBe(before);
      const stored = [...store.entries()].find(([k]) => k.endsWith('/day/2024-01-10'))![1];
      expect(new Headers(stored.headers).get('cache-control')).toBe('public, max-age=86400');
      for (const k of store.keys()) expect(new URL(k).hostname).toBe('nba-cache.nba-daily.invalid');

      // another isolate (empty memory) reuses the trimmed schedule index from the edge instead of the multi-MB feed
      const index = [...store.entries()].find(([k]) => k.endsWith('/schedule-index'))![1];
      expect(new Headers(index.headers).get('cache-control')).toBe('public, max-age=300');
      expect(index.body.length).toBeLessThan(rawBytes('nba-cdn/scheduleLeagueV2.json') / 5);
      clearScheduleCache();
      expect((await get('/v1/nba/day/2024-01-12')).json.games[0].status).toBe('postponed');
      expect(up.hits(SCHEDULE)).toBe(1);

      up.override(ESPN_SUM('999'), { status: 500 });
      expect((await get('/v1/nba/boxscore/espn-999')).status).toBe(502);
      expect([...store.keys()].some((k) => k.includes('espn-999'))).toBe(false);
    } finally {
      delete (globalThis as any).caches;
    }
  });
});
