// /v1/nba/injuries and /v1/nba/odds against the local fixture server (tests/fixtures/nba): the NBA CDN box score's
// inactive list, ESPN's league-wide injuries feed and per-game summaries, ESPN scoreboard odds and pickcenter.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearScheduleCache } from '../../../presign-worker/src/nba/nba-cdn';
import { lineOf, statusOf, teamOfDisplayName } from '../../../presign-worker/src/nba/reports';
import { NBA_FIXTURES_DIR, type NbaFixtureServer, startNbaFixtureServer } from '../../fixtures/nba/server';
import { call, makeEnv, tenant } from '../helpers';

const expected = JSON.parse(readFileSync(`${NBA_FIXTURES_DIR}expected.json`, 'utf8'));
const box512 = JSON.parse(readFileSync(`${NBA_FIXTURES_DIR}nba-cdn/boxscore_0022300512.json`, 'utf8'));
const alice = tenant('nba-reports');
let up: NbaFixtureServer;
let env: Record<string, string>;
const get = (path: string) => call(env, 'GET', path, { token: alice.token });
const BOX = (id: string) => `/static/json/liveData/boxscore/boxscore_${id}.json`;
const INJURIES = '/apis/site/v2/sports/basketball/nba/injuries';
const ESPN_SB = (d: string) => `/apis/site/v2/sports/basketball/nba/scoreboard?dates=${d}`;
const ESPN_SUM = (id: string) => `/apis/site/v2/sports/basketball/nba/summary?event=${id}`;
const NOT_PUBLISHED = { status: 403, body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>' };

beforeAll(async () => {
  up = await startNbaFixtureServer();
  env = makeEnv([alice], { NBA_CDN_BASE: up.url, ESPN_BASE: `${up.url}/`, NBA_UPSTREAM_TIMEOUT_MS: '2000' });
});
afterAll(() => up?.close());
beforeEach(() => {
  up.reset();
  clearScheduleCache();
});

describe('mapping helpers', () => {
  it('ESPN status words and team display names', () => {
    expect(['Out', 'Day-To-Day', 'Doubtful', 'Questionable', 'Probable', 'Suspension', 'Active', 'Out For Season'].map(statusOf))
      .toEqual(['out', 'questionable', 'doubtful', 'questionable', 'probable', 'out', 'available', 'out']);
    expect(statusOf('Mystery')).toBeNull();
    expect(['LA Clippers', 'Los Angeles Lakers', 'Portland Trail Blazers', 'Philadelphia 76ers', 'Paris Basketball'].map(teamOfDisplayName))
      .toEqual(['LAC', 'LAL', 'POR', 'PHI', null]);
  });
  it('a line: the favourite in details gives the home spread; malformed odds are dropped', () => {
    const g = { id: '0022300512', espnEventId: '1', espnState: 'pre' as const, homeTeamId: 'PHX', awayTeamId: 'UTA', odds: [] };
    expect(lineOf({ details: 'UTAH -3.5', overUnder: 220, homeTeamOdds: { moneyLine: 140 }, awayTeamOdds: { moneyLine: -165 } }, g, 'scoreboard'))
      .toMatchObject({ homeSpread: 3.5, overUnder: 220, homeMoneyline: 140, awayMoneyline: -165 });
    expect(lineOf({ details: 'EVEN', overUnder: 220 }, g, 'scoreboard')).toMatchObject({ homeSpread: 0 });
    expect(lineOf({ details: 'PHX -6.5', homeTeamOdds: { moneyLine: 'lots' } }, g, 'scoreboard')).toBeNull();
    expect(lineOf({ details: 'PHX -6.5', overUnder: 9999 }, g, 'scoreboard')).toBeNull();
    expect(lineOf({ provider: { name: 'x' } }, g, 'scoreboard')).toBeNull(); // nothing usable
  });
});

describe('GET /v1/nba/injuries/:date', () => {
  it('400 for a bad date, 401 without a token', async () => {
    expect((await get('/v1/nba/injuries/2024-02-30')).status).toBe(400);
    expect((await call(env, 'GET', '/v1/nba/injuries/2024-01-11', {})).status).toBe(401);
  });

  it('box scores published: the inactive list is official, ESPN statuses map to NBA.com ids by name; unknown players stay espn-*', async () => {
    const r = await get('/v1/nba/injuries/2024-01-11');
    expect(r.status).toBe(200);
    const j = r.json;
    expect(j.published.sort()).toEqual(['0022300511', '0022300512']);
    expect(j.espn).toBe('injuries');
    const by = new Map(j.players.map((p: any) => [p.playerId, p]));
    const out = by.get(expected.injuries.out.personId) as any;
    expect(out).toMatchObject({ status: 'out', teamId: 'PHX', gameId: '0022300512', source: 'espn', name: expected.injuries.out.name.replace(' Jr.', '') });
    expect((by.get(expected.injuries.questionable.personId) as any).status).toBe('questionable');
    // WAS plays in a game ESPN lists as under way: the current report is not applied to it
    expect(by.has(expected.injuries.doubtful.personId)).toBe(false);
    // NOP's listed player is in no box score: namespaced, never guessed
    expect(j.players.some((p: any) => p.playerId === `espn-${expected.injuries.unknown.espnId}`)).toBe(false); // NOP's game is live too
    // BOS does not play that day
    expect(j.players.some((p: any) => p.teamId === 'BOS')).toBe(false);
    // the box scores' INACTIVE players are out, from the NBA CDN
    const inactive = [box512.game.homeTeam, box512.game.awayTeam].flatMap((t: any) => t.players.filter((p: any) => p.status === 'INACTIVE'));
    for (const p of inactive) expect(by.get(String(p.personId))).toMatchObject({ status: 'out', source: 'nba-cdn' });
    for (const p of j.players) expect(Object.keys(p).sort()).toEqual(['detail', 'gameId', 'name', 'playerId', 'source', 'status', 'teamId']);
  });

  it('before the box score is published: ESPN ids are kept (espn-*) for the app to match by name', async () => {
    up.override(BOX('0022300512'), NOT_PUBLISHED);
    up.override(BOX('0022300511'), NOT_PUBLISHED);
    const j = (await get('/v1/nba/injuries/2024-01-11')).json;
    expect(j.published).toEqual([]);
    const out = j.players.find((p: any) => p.teamId === 'PHX');
    expect(out.playerId).toMatch(/^espn-\d+$/);
    expect(out.status).toBe('out');
    expect(j.players.every((p: any) => p.source === 'espn')).toBe(true);
  });

  it('the injuries feed fails or is malformed: per-game summaries are the fallback; nothing usable → espn "failed", still 200', async () => {
    up.override(INJURIES, { status: 500 });
    let j = (await get('/v1/nba/injuries/2024-01-11')).json;
    expect(j.espn).toBe('failed'); // no summaries exist for these events
    expect(j.players.every((p: any) => p.source === 'nba-cdn')).toBe(true);
    up.reset();
    clearScheduleCache();
    up.override(INJURIES, { json: { injuries: [{ displayName: 'Phoenix Suns', injuries: [{ status: 'Out', athlete: { id: 'DROP TABLE', displayName: '' } }] }] } });
    up.override(ESPN_SUM('401600512'), { json: { header: { id: '401600512' }, injuries: [{ team: { abbreviation: 'PHX' }, injuries: [{ status: 'Doubtful', athlete: { id: '123', displayName: 'Some Body' } }] }] } });
    j = (await get('/v1/nba/injuries/2024-01-11')).json;
    expect(j.espn).toBe('summary');
    expect(j.players.find((p: any) => p.playerId === 'espn-123')).toMatchObject({ status: 'doubtful', teamId: 'PHX', gameId: '0022300512' });
  });

  it('a malformed box score is skipped (not published), the rest still answers; both schedules down → 502', async () => {
    up.override(BOX('0022300512'), { json: { game: { gameId: 'nope' } } });
    const j = (await get('/v1/nba/injuries/2024-01-11')).json;
    expect(j.published).toEqual(['0022300511']);
    up.override('/static/json/staticData/scheduleLeagueV2.json', { status: 500 });
    up.override(ESPN_SB('20240111'), { status: 500 });
    clearScheduleCache();
    const r = await get('/v1/nba/injuries/2024-01-11');
    expect(r.status).toBe(502);
    expect(r.json.reason).toMatch(/no schedule/);
  });
});

describe('GET /v1/nba/odds/:date', () => {
  it('scoreboard odds: home spread, total and moneylines per NBA.com game id', async () => {
    const j = (await get('/v1/nba/odds/2024-01-11')).json;
    const by = new Map(j.games.map((g: any) => [g.gameId, g]));
    expect(by.get('0022300512')).toEqual({
      gameId: '0022300512', homeTeamId: 'PHX', awayTeamId: 'UTA', provider: 'ESPN BET', homeSpread: -6.5, overUnder: 228.5,
      homeMoneyline: -250, awayMoneyline: 205, source: 'scoreboard',
    });
    expect((by.get('0022300511') as any).homeSpread).toBe(-4);
  });

  it('no odds on the scoreboard: the summary pickcenter; a missing summary means no line (not an error)', async () => {
    const j = (await get('/v1/nba/odds/2024-01-10')).json;
    expect(j.games).toEqual([{ gameId: '0022300501', homeTeamId: 'BOS', awayTeamId: 'NYK', provider: 'consensus', homeSpread: -9.5, overUnder: 226, homeMoneyline: -450, awayMoneyline: 350, source: 'summary' }]);
  });

  it('malformed odds are dropped one by one; off-season days are empty', async () => {
    const sb = JSON.parse(readFileSync(`${NBA_FIXTURES_DIR}espn/scoreboard_20240111.json`, 'utf8'));
    sb.events[1].competitions[0].odds = [{ details: 'PHX -6.5', overUnder: 'high' }, { details: 'PHX -7.0', overUnder: 229 }];
    sb.events[0].competitions[0].odds = 'not a list';
    up.override(ESPN_SB('20240111'), { json: sb });
    const j = (await get('/v1/nba/odds/2024-01-11')).json;
    expect(j.games.map((g: any) => [g.gameId, g.homeSpread, g.overUnder])).toEqual([['0022300512', -7, 229]]);
    expect((await get('/v1/nba/odds/2023-08-01')).json.games).toEqual([]);
  });
});
