import type { Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { markSourceDay, upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from '../../web/src/lib/db/league-repo';
import { getPrediction, saveGamePredictions, savePredictions, scoreFinishedGames } from '../../web/src/lib/db/predictions-repo';
import { SCHEMA_VERSION } from '../../web/src/lib/db/schema';
import { transaction } from '../../web/src/lib/db/sql';
import type { Game, GamePrediction, PlayerGameLog, Prediction } from '../../web/src/lib/domain/types';
import { mergeDatabase, type MergeReport } from '../../web/src/lib/sync/merge';
import { metaWrites, setNode, setWall } from '../../web/src/lib/db/changes';
import { TABLE, type TableName } from '../../web/src/lib/db/tables';
import { freshDb, loadSql, prediction } from './helpers';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

const TABLES: Record<string, string> = {
  predictions: 'player_id, game_date',
  game_predictions: 'game_id',
  teams: 'id',
  players: 'id',
  games: 'id',
  player_game_logs: 'game_id, player_id',
  source_days: 'source_id, date',
};

/** Every row of every table, in key order: two databases are equal iff their dumps are. */
function dump(db: Database): Record<string, unknown[][]> {
  const out: Record<string, unknown[][]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const columns = TABLE[table as TableName].columns.join(', ');
    out[table] = db.exec(`SELECT ${columns} FROM ${table} ORDER BY ${order}`)[0]?.values ?? [];
  }
  return out;
}

async function clone(db: Database): Promise<Database> {
  const SQL = await loadSql();
  return new SQL.Database(db.export());
}

/** A device that wrote each row at the row's updatedAt as its deviceId (so the clock is (updatedAt, deviceId)). */
async function dbWith(predictions: Prediction[] = [], games: GamePrediction[] = []): Promise<Database> {
  const db = await freshDb();
  for (const p of predictions) {
    setWall(db, p.updatedAt);
    setNode(db, p.deviceId);
    savePredictions(db, [p]);
  }
  for (const g of games) {
    setWall(db, g.updatedAt);
    setNode(db, g.deviceId);
    saveGamePredictions(db, [g]);
  }
  setNode(db, 'device-a');
  setWall(db, 1_700_000_000_000);
  return db;
}

const merge = (local: Database, remote: Database): MergeReport => mergeDatabase(local, remote);

const get = (db: Database, playerId = 'p1', gameDate = '2026-11-20') => getPrediction(db, playerId, gameDate);

function gamePick(overrides: Partial<GamePrediction> = {}): GamePrediction {
  return {
    gameId: 'g1', gameDate: '2026-11-20', predictionDate: '2026-11-20', homeTeamId: 'BOS', awayTeamId: 'NYK',
    homeWinProb: 0.6, projectedMargin: 3.5, modelVersion: 'v1.0.0', homeScore: null, awayScore: null, homeWon: null,
    updatedAt: 1_700_000_000_000, deviceId: 'device-a', deleted: false,
    marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null, ...overrides,
  };
}

const game = (id: string, status: Game['status'], home: number | null = null, away: number | null = null): Game => ({
  id, date: '2026-11-20', tipoff: '2026-11-21T00:30:00Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status, homeScore: home, awayScore: away,
});

const line = (gameId: string, playerId: string, points: number): PlayerGameLog => ({
  gameId, playerId, teamId: 'BOS', opponentId: 'NYK', date: '2026-11-20', home: true, played: true, starter: true,
  minutes: 30, points, rebounds: 4, assists: 5, threesMade: 2, dnpReason: null,
});

/** The actual-result part of a prediction, as scoring would set it. */
const scored = (points: number, p: Partial<Prediction> = {}): Partial<Prediction> => {
  const projected = p.projectedPoints ?? 20;
  return {
    actualPoints: points, actualMinutes: 30, didPlay: true, error: points - projected, absError: Math.abs(points - projected),
    inRange: points >= (p.floor ?? 12) && points <= (p.ceiling ?? 28), ...p,
  };
};

describe('mergeDatabase: synced rows', () => {
  it('unions disjoint sets of predictions and game predictions', async () => {
    const local = await dbWith([prediction({ playerId: 'a' })], [gamePick({ gameId: 'g1' })]);
    const remote = await dbWith([prediction({ playerId: 'b' }), prediction({ playerId: 'c' })], [gamePick({ gameId: 'g2' })]);
    const report = merge(local, remote);
    expect(report.predictions).toEqual({ inserted: 2, updated: 0, keptLocal: 0 });
    expect(report.gamePredictions).toEqual({ inserted: 1, updated: 0, keptLocal: 0 });
    expect(dump(local).predictions.map((r) => r[0])).toEqual(['a', 'b', 'c']);
    expect(dump(local).game_predictions.map((r) => r[0])).toEqual(['g1', 'g2']);
    expect(get(local, 'b')).toEqual(prediction({ playerId: 'b' }));
  });

  it('last writer wins, in both directions', async () => {
    const older = prediction({ projectedPoints: 18, updatedAt: 1000, deviceId: 'x' });
    const newer = prediction({ projectedPoints: 24, updatedAt: 2000, deviceId: 'x' });

    const localNewer = await dbWith([newer], [gamePick({ homeWinProb: 0.7, updatedAt: 2000 })]);
    const r1 = merge(localNewer, await dbWith([older], [gamePick({ homeWinProb: 0.4, updatedAt: 1000 })]));
    expect(r1.predictions).toEqual({ inserted: 0, updated: 0, keptLocal: 1 });
    expect(r1.gamePredictions).toEqual({ inserted: 0, updated: 0, keptLocal: 1 });
    expect(get(localNewer)).toEqual(newer);
    expect(dump(localNewer).game_predictions[0][5]).toBe(0.7);

    const localOlder = await dbWith([older], [gamePick({ homeWinProb: 0.4, updatedAt: 1000 })]);
    const r2 = merge(localOlder, await dbWith([newer], [gamePick({ homeWinProb: 0.7, updatedAt: 2000 })]));
    expect(r2.predictions).toEqual({ inserted: 0, updated: 1, keptLocal: 0 });
    expect(r2.gamePredictions).toEqual({ inserted: 0, updated: 1, keptLocal: 0 });
    expect(get(localOlder)).toEqual(newer);
    expect(dump(localOlder).game_predictions[0][5]).toBe(0.7);
  });

  it('breaks a timestamp tie by device id (greater wins), whichever side it is on', async () => {
    const fromA = prediction({ projectedPoints: 18, updatedAt: 5000, deviceId: 'device-a' });
    const fromB = prediction({ projectedPoints: 26, updatedAt: 5000, deviceId: 'device-b' });

    const localA = await dbWith([fromA]);
    expect(merge(localA, await dbWith([fromB])).predictions.updated).toBe(1);
    expect(get(localA)).toEqual(fromB);

    const localB = await dbWith([fromB]);
    expect(merge(localB, await dbWith([fromA])).predictions.keptLocal).toBe(1);
    expect(get(localB)).toEqual(fromB);
  });

  it('keeps the local row for an identical version and counts nothing', async () => {
    const local = await dbWith([prediction()]);
    const report = merge(local, await dbWith([prediction()]));
    expect(report.predictions).toEqual({ inserted: 0, updated: 0, keptLocal: 0 });
  });

  it('a tombstone beats an older edit and loses to a newer one', async () => {
    const tombstone = prediction({ deleted: true, updatedAt: 2000, deviceId: 'b' });

    const olderEdit = await dbWith([prediction({ projectedPoints: 30, updatedAt: 1000, deviceId: 'a' })]);
    merge(olderEdit, await dbWith([tombstone]));
    expect(get(olderEdit)).toMatchObject({ deleted: true, updatedAt: 2000 });

    const newerEdit = await dbWith([prediction({ projectedPoints: 30, updatedAt: 3000, deviceId: 'a' })]);
    const report = merge(newerEdit, await dbWith([tombstone]));
    expect(get(newerEdit)).toMatchObject({ deleted: false, projectedPoints: 30, updatedAt: 3000 });

    // And the other way round: a local tombstone against remote edits.
    const localTombstone = await dbWith([tombstone]);
    merge(localTombstone, await dbWith([prediction({ updatedAt: 1000 })]));
    expect(get(localTombstone)?.deleted).toBe(true);
    merge(localTombstone, await dbWith([prediction({ updatedAt: 3000 })]));
    expect(get(localTombstone)?.deleted).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Algebraic properties over random device states.

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One device's database: a random subset of 30 player keys and 8 game keys, with versions drawn from
 * few timestamps and devices (so ties happen), tombstones, and some rows already scored. Actuals per
 * key are fixed (they come from one box score). Some devices hold some of the league facts.
 */
async function randomDevice(seed: number, deviceId: string): Promise<Database> {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const preds: Prediction[] = [];
  for (let k = 0; k < 30; k++) {
    if (r() < 0.35) continue;
    const projectedPoints = pick([15, 20, 25]);
    const points = 10 + k; // the box-score fact for this key, same on every device
    const base = { playerId: `p${k}`, gameId: `g${k % 8}`, projectedPoints, updatedAt: pick([1000, 2000, 3000]), deviceId: pick(['a', 'b', deviceId]), deleted: r() < 0.2 };
    preds.push(prediction(r() < 0.4 ? { ...base, ...scored(points, { projectedPoints }) } : base));
  }
  const picks: GamePrediction[] = [];
  for (let k = 0; k < 8; k++) {
    if (r() < 0.3) continue;
    const done = r() < 0.4;
    picks.push(gamePick({
      gameId: `g${k}`, homeWinProb: pick([0.4, 0.5, 0.6]), updatedAt: pick([1000, 2000]), deviceId: pick(['a', deviceId]),
      deleted: r() < 0.15, ...(done ? { homeScore: 100 + k, awayScore: 100, homeWon: k > 0 } : {}),
    }));
  }
  const db = await dbWith(preds, picks);
  const games: Game[] = [];
  for (let k = 0; k < 8; k++) if (r() < 0.6) games.push(game(`g${k}`, pick(['scheduled', 'live', 'final', 'postponed'] as const), 100 + k, 100));
  upsertGames(db, games, 'simulated');
  upsertGameLogs(db, Array.from({ length: 30 }, (_, k) => line(`g${k % 8}`, `p${k}`, 10 + k)).filter(() => r() < 0.3));
  for (const date of ['2026-11-19', '2026-11-20']) if (r() < 0.7) markSourceDay(db, 'sim', date, r() < 0.5, pick([10, 20]));
  upsertTeams(db, [{ id: 'BOS', city: 'Boston', name: 'Celtics', conference: 'East' }]);
  upsertPlayers(db, [{ id: `p${seed % 30}`, name: 'Someone', teamId: 'BOS', position: 'G' }], 'simulated');
  scoreFinishedGames(db); // as every ingest does
  return db;
}

// Random states run many merges; allow for a busy CI machine.
describe('mergeDatabase: algebraic properties', { timeout: 30_000 }, () => {
  it('is idempotent: merging the same remote twice changes nothing the second time', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const local = await randomDevice(seed, 'l');
      const remote = await randomDevice(seed + 100, 'r');
      const first = merge(local, remote);
      expect(first.predictions.inserted + first.predictions.updated).toBeGreaterThan(0);
      const after = dump(local);
      const second = merge(local, remote);
      expect(dump(local)).toEqual(after);
      expect(second.predictions).toEqual({ inserted: 0, updated: 0, keptLocal: first.predictions.keptLocal });
      expect(second.gamePredictions.inserted + second.gamePredictions.updated).toBe(0);
      expect(Object.values(second.facts).every((n) => n === 0)).toBe(true);
    }
  });

  it('a merge that brings nothing new modifies no row (so the store neither saves nor uploads)', async () => {
    const a = await randomDevice(3, 'a');
    merge(a, await randomDevice(4, 'b'));
    const copy = await clone(a);
    merge(a, copy); // the first merge only marks rows the copy holds as not pending
    const changes = () => Number(a.exec('SELECT total_changes()')[0].values[0][0]) - metaWrites(a);
    const before = changes();
    merge(a, copy);
    expect(changes()).toBe(before);
  });

  it('is commutative: A←B and B←A give identical tables', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const a = await randomDevice(seed, 'a');
      const b = await randomDevice(seed + 1000, 'b');
      const ab = await clone(a);
      merge(ab, b);
      const ba = await clone(b);
      merge(ba, a);
      expect(dump(ab)).toEqual(dump(ba));
    }
  });

  it('is associative for three devices: (A←B)←C equals A←(B←C)', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const [a, b, c] = [await randomDevice(seed, 'a'), await randomDevice(seed + 2000, 'b'), await randomDevice(seed + 4000, 'c')];
      const left = await clone(a);
      merge(left, b);
      merge(left, c);
      const bc = await clone(b);
      merge(bc, c);
      const right = await clone(a);
      merge(right, bc);
      expect(dump(left)).toEqual(dump(right));
    }
  });


});

// ---------------------------------------------------------------------------------------------


describe('mergeDatabase: league facts', () => {
  it('never moves a final game back to live, and takes a further-along remote game', async () => {
    const local = await freshDb();
    upsertGames(local, [game('g1', 'final', 110, 104), game('g2', 'scheduled'), game('g3', 'live', 50, 48)], 'simulated');
    const remote = await freshDb();
    upsertGames(remote, [game('g1', 'live', 90, 88), game('g2', 'live', 10, 8), game('g3', 'final', 101, 99), game('g4', 'postponed')], 'simulated');
    const report = merge(local, remote);
    expect(dump(local).games.map((g) => [g[0], g[5], g[6], g[7]])).toEqual([
      ['g1', 'final', 110, 104], ['g2', 'live', 10, 8], ['g3', 'final', 101, 99], ['g4', 'postponed', null, null],
    ]);
    expect(report.facts.games).toBe(3);
  });

  it('a postponed game ranks like a scheduled one: a live or final game is not replaced by it', async () => {
    const local = await freshDb();
    upsertGames(local, [game('g1', 'live', 10, 12)], 'simulated');
    const remote = await freshDb();
    upsertGames(remote, [game('g1', 'postponed')], 'simulated');
    merge(local, remote);
    expect(dump(local).games[0][5]).toBe('live');
  });

  it('unions box-score lines; a line already stored is kept', async () => {
    const local = await freshDb();
    upsertGameLogs(local, [line('g1', 'p1', 30), line('g1', 'p2', 12)]);
    const remote = await freshDb();
    upsertGameLogs(remote, [line('g1', 'p2', 99), line('g1', 'p3', 8), line('g2', 'p1', 22)]);
    const report = merge(local, remote);
    expect(dump(local).player_game_logs.map((l) => [l[0], l[1], l[9]])).toEqual([
      ['g1', 'p1', 30], ['g1', 'p2', 12], ['g1', 'p3', 8], ['g2', 'p1', 22],
    ]);
    expect(report.facts.logs).toBe(2);
  });

  it('replaces box-score lines stored while a game was live once the other side has it final', async () => {
    const local = await freshDb();
    upsertGames(local, [game('g1', 'live', 50, 48), game('g2', 'final', 100, 90)], 'simulated');
    upsertGameLogs(local, [line('g1', 'p1', 12), line('g2', 'p1', 20)]);
    const remote = await freshDb();
    upsertGames(remote, [game('g1', 'final', 110, 104), game('g2', 'live', 40, 40)], 'simulated');
    upsertGameLogs(remote, [line('g1', 'p1', 31), line('g2', 'p1', 9)]);
    const report = merge(local, remote);
    expect(dump(local).player_game_logs.map((l) => [l[0], l[1], l[9]])).toEqual([['g1', 'p1', 31], ['g2', 'p1', 20]]);
    expect(report.facts.logs).toBe(1);
  });

  it('inserts missing teams and players; for one key the later observation (clock) wins, on both sides', async () => {
    const local = await freshDb({ node: 'a', wall: 1000 });
    upsertTeams(local, [{ id: 'BOS', city: 'Boston', name: 'Celtics', conference: 'East' }]);
    upsertPlayers(local, [{ id: 'p1', name: 'Ava', teamId: 'BOS', position: 'G' }], 'simulated');
    const remote = await freshDb({ node: 'b', wall: 500 });
    upsertTeams(remote, [{ id: 'BOS', city: 'Bos', name: 'C', conference: 'East' }, { id: 'NYK', city: 'New York', name: 'Knicks', conference: 'East' }]);
    upsertPlayers(remote, [{ id: 'p1', name: 'Other', teamId: 'NYK', position: 'F' }, { id: 'p2', name: 'Ben', teamId: 'NYK', position: 'C' }], 'simulated');
    const remoteCopy = await clone(remote);
    const report = merge(local, remote);
    expect(report.facts).toMatchObject({ teams: 1, players: 1 });
    expect(dump(local).teams.map((t) => t.slice(0, 4))).toEqual([['BOS', 'Boston', 'Celtics', 'East'], ['NYK', 'New York', 'Knicks', 'East']]);
    expect(dump(local).players.map((p) => p.slice(0, 2))).toEqual([['p1', 'Ava'], ['p2', 'Ben']]);
    merge(remoteCopy, local);
    expect(dump(remoteCopy)).toEqual(dump(local));
  });

  it('source days: complete beats incomplete whichever side has it', async () => {
    const local = await freshDb();
    markSourceDay(local, 'sim', '2026-11-19', false, 50);
    markSourceDay(local, 'sim', '2026-11-20', true, 10);
    const remote = await freshDb();
    markSourceDay(remote, 'sim', '2026-11-19', true, 20);
    markSourceDay(remote, 'sim', '2026-11-20', false, 60);
    markSourceDay(remote, 'sim', '2026-11-21', false, 60);
    const report = merge(local, remote);
    expect(dump(local).source_days.map((d) => d.slice(0, 4))).toEqual([['sim', '2026-11-19', 1, 20], ['sim', '2026-11-20', 1, 10], ['sim', '2026-11-21', 0, 60]]);
    expect(report.facts.sourceDays).toBe(2);
  });
});

describe('mergeDatabase: actual results', () => {
  it('keeps the actuals when the LWW winner lacks them, recomputing error against the winning projection', async () => {
    // No games or box scores in either database, so scoring cannot refill what the merge drops.
    const scoredOld = prediction({ projectedPoints: 20, updatedAt: 1000, deviceId: 'a', ...scored(31) });
    const newerUnscored = prediction({ projectedPoints: 25, floor: 18, ceiling: 32, updatedAt: 2000, deviceId: 'b' });

    const local = await dbWith([scoredOld], [gamePick({ updatedAt: 1000, homeScore: 110, awayScore: 104, homeWon: true })]);
    const report = merge(local, await dbWith([newerUnscored], [gamePick({ homeWinProb: 0.3, updatedAt: 2000, deviceId: 'b' })]));
    expect(report.predictions.updated).toBe(1);
    expect(get(local)).toEqual({
      ...newerUnscored, actualPoints: 31, actualMinutes: 30, didPlay: true, error: 6, absError: 6, inRange: true,
    });
    expect(dump(local).game_predictions[0].slice(0, 14)).toEqual(['g1', '2026-11-20', '2026-11-20', 'BOS', 'NYK', 0.3, 3.5, 'v1.0.0', 110, 104, 1, 2000, 'b', 0]);

    // The other direction: the local winner lacks them, the losing remote has them.
    const local2 = await dbWith([newerUnscored]);
    const r2 = merge(local2, await dbWith([scoredOld]));
    expect(r2.predictions.keptLocal).toBe(1);
    expect(get(local2)).toMatchObject({ projectedPoints: 25, updatedAt: 2000, actualPoints: 31, error: 6, inRange: true });
  });

  it('picks the same actuals on every device when two box scores disagree, with error recomputed', async () => {
    const a = await dbWith([prediction(scored(20))]);
    const b = await dbWith([prediction(scored(25))]);
    const ab = await clone(a);
    merge(ab, b);
    const ba = await clone(b);
    merge(ba, a);
    expect(dump(ab)).toEqual(dump(ba));
    expect(get(ab)).toMatchObject({ actualPoints: 25, error: 5, absError: 5, inRange: true });
  });

  it('an identical version that only gains the remote actuals does not make local ahead', async () => {
    const local = await dbWith([prediction()]);
    const report = merge(local, await dbWith([prediction(scored(31))]));
    expect(get(local)).toMatchObject({ actualPoints: 31, error: 11, inRange: false });
    expect(report.predictions).toEqual({ inserted: 0, updated: 0, keptLocal: 0 });
  });

  it('does not carry actuals onto a winner for a different game', async () => {
    const local = await dbWith([prediction({ gameId: 'g1', updatedAt: 1000, ...scored(31) })]);
    merge(local, await dbWith([prediction({ gameId: 'g9', updatedAt: 2000 })]));
    expect(get(local)).toMatchObject({ gameId: 'g9', didPlay: null, actualPoints: null, error: null });
  });

  it('scores predictions whose results arrived with the remote facts, without bumping their version', async () => {
    const local = await dbWith([prediction({ updatedAt: 1000, deviceId: 'a' })], [gamePick({ updatedAt: 1000 })]);
    const remote = await freshDb();
    upsertGames(remote, [game('g1', 'final', 110, 104)], 'simulated');
    upsertGameLogs(remote, [line('g1', 'p1', 31)]);
    const report = merge(local, remote);
    expect(get(local)).toMatchObject({ actualPoints: 31, didPlay: true, error: 11, updatedAt: 1000, deviceId: 'a' });
    expect(dump(local).game_predictions[0].slice(8, 13)).toEqual([110, 104, 1, 1000, 'device-a']);
  });
});


describe('mergeDatabase: failure', () => {
  it('a merge that throws part-way leaves local unchanged inside transaction()', async () => {
    const local = await dbWith([prediction({ playerId: 'a', updatedAt: 1000 })]);
    upsertGames(local, [game('g1', 'scheduled')], 'simulated');
    const before = dump(local);
    // A remote whose games table lacks the status CHECK, holding a game with an unknown status. The
    // predictions (merged first) would be written before the bad game is reached.
    const SQL = await loadSql();
    const remote = new SQL.Database();
    const schema = (await freshDb()).exec("SELECT sql FROM sqlite_master WHERE type = 'table'")[0].values.map((r) => String(r[0]));
    for (const sql of schema) remote.run(sql.replace(/CHECK \(status IN \([^)]*\)\)/, ''));
    remote.run(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    savePredictions(remote, [prediction({ playerId: 'a', updatedAt: 2000 }), prediction({ playerId: 'b' })]);
    remote.run("INSERT INTO games (id, date, tipoff, home_team_id, away_team_id, status, home_score, away_score, source_id) VALUES ('g1', '2026-11-20', 'x', 'BOS', 'NYK', 'abandoned', NULL, NULL, 'simulated')");

    expect(() => transaction(local, () => merge(local, remote))).toThrow(/unknown game status/);
    expect(dump(local)).toEqual(before);
    // Still usable afterwards.
    savePredictions(local, [prediction({ playerId: 'c' })]);
    expect(dump(local).predictions).toHaveLength(2);
  });

  it('refuses a remote with a different schema version before touching anything', async () => {
    const local = await dbWith([prediction()]);
    const before = dump(local);
    const remote = await freshDb();
    remote.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => merge(local, remote)).toThrow(/schema versions differ/);
    expect(dump(local)).toEqual(before);
  });
});

describe('mergeDatabase: box scores from two upstreams', () => {
  it('conflicting lines for one final game converge on every device (the later observation wins)', async () => {
    const a = await freshDb({ node: 'a', wall: 1000 });
    const b = await freshDb({ node: 'b', wall: 2000 });
    for (const db of [a, b]) upsertGames(db, [game('g1', 'final', 110, 104)], 'live');
    upsertGameLogs(a, [line('g1', 'p1', 31)]); // one upstream
    upsertGameLogs(b, [line('g1', 'p1', 29)]); // the other, fetched later
    const ab = await clone(a);
    merge(ab, b);
    const ba = await clone(b);
    merge(ba, a);
    expect(dump(ab)).toEqual(dump(ba));
    expect(dump(ab).player_game_logs.map((l) => l[9])).toEqual([29]);
  });
});
