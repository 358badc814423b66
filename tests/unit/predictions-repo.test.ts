import { describe, expect, it } from 'vitest';
import { upsertGameLogs, upsertGames } from '../../web/src/lib/db/league-repo';
import {
  countPredictions, getPrediction, listGamePredictions, listPredictions, saveGamePredictions, savePredictions, scoreFinishedGames,
} from '../../web/src/lib/db/predictions-repo';
import type { Game, GamePrediction, PlayerGameLog } from '../../web/src/lib/domain/types';
import { localVersion } from '../../web/src/lib/db/changes';
import { freshDb, prediction } from './helpers';
import type { Database } from 'sql.js';

const hlcs = (db: Database) => db.exec('SELECT hlc FROM predictions UNION ALL SELECT hlc FROM game_predictions')[0]?.values.flat();

const game = (status: Game['status']): Game => ({
  id: 'g1', date: '2026-11-20', tipoff: '2026-11-21T00:30:00Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status,
  homeScore: status === 'final' ? 110 : null, awayScore: status === 'final' ? 104 : null,
});
const line = (playerId: string, points: number, played = true): PlayerGameLog => ({
  gameId: 'g1', playerId, teamId: 'BOS', opponentId: 'NYK', date: '2026-11-20', home: true, played, starter: true,
  minutes: played ? 33.5 : 0, points, rebounds: 4, assists: 5, threesMade: 2, dnpReason: played ? null : 'Injury',
});

describe('savePredictions', () => {
  it('adds new keys and round-trips every field', async () => {
    const db = await freshDb();
    const p = prediction();
    expect(savePredictions(db, [p])).toEqual({ added: 1, updated: 0, unchanged: 0 });
    expect(getPrediction(db, 'p1', '2026-11-20')).toEqual(p);
  });

  it('logging the same predictions twice changes nothing', async () => {
    const db = await freshDb();
    savePredictions(db, [prediction(), prediction({ playerId: 'p2' })]);
    expect(savePredictions(db, [prediction({ updatedAt: 1_800_000_000_000 }), prediction({ playerId: 'p2' })])).toEqual({
      added: 0, updated: 0, unchanged: 2,
    });
    expect(countPredictions(db)).toBe(2);
    expect(getPrediction(db, 'p1', '2026-11-20')?.updatedAt).toBe(1_700_000_000_000);
  });

  it('replaces a prediction whose projection changed, keeping one row per player and date', async () => {
    const db = await freshDb();
    savePredictions(db, [prediction()]);
    expect(savePredictions(db, [prediction({ projectedPoints: 22, ceiling: 30 })])).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect(countPredictions(db)).toBe(1);
    expect(getPrediction(db, 'p1', '2026-11-20')?.projectedPoints).toBe(22);
  });

  it('with keepNewer, only a newer row replaces an existing one', async () => {
    const db = await freshDb({ wall: 2000 }); // the stored row is stamped at wall time 2000
    savePredictions(db, [prediction({ updatedAt: 2000 })]);
    expect(savePredictions(db, [prediction({ projectedPoints: 5, floor: 1, updatedAt: 1000 })], { keepNewer: true }).unchanged).toBe(1);
    expect(savePredictions(db, [prediction({ projectedPoints: 25, updatedAt: 3000 })], { keepNewer: true }).updated).toBe(1);
    expect(getPrediction(db, 'p1', '2026-11-20')?.projectedPoints).toBe(25);
  });
  it('saves a whole slate with one prepared upsert, no read per row', async () => {
    const db = await freshDb();
    const slate = Array.from({ length: 120 }, (_, i) => prediction({ playerId: `p${i}` }));
    const prepare = db.prepare.bind(db);
    const prepared: string[] = [];
    db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof db.prepare;
    expect(savePredictions(db, slate)).toEqual({ added: 120, updated: 0, unchanged: 0 });
    expect(savePredictions(db, [...slate.slice(0, 119), prediction({ playerId: 'p119', projectedPoints: 3 })])).toEqual({ added: 0, updated: 1, unchanged: 119 });
    // Per save: the upsert plus a row count before and after, whatever the number of rows.
    expect(prepared.filter((sql) => /INSERT/.test(sql))).toHaveLength(2);
    expect(prepared.length).toBeLessThanOrEqual(6);
  });
});

describe('listPredictions filters', () => {
  it('filters by date range, player name and team, newest first, with paging', async () => {
    const db = await freshDb();
    savePredictions(db, [
      prediction({ playerId: 'a', gameDate: '2026-11-01', playerName: 'Ava Smith', teamId: 'BOS' }),
      prediction({ playerId: 'b', gameDate: '2026-11-02', playerName: 'Ben 100%_Jones', teamId: 'NYK' }),
      prediction({ playerId: 'c', gameDate: '2026-11-03', playerName: 'Cal Smithers', teamId: 'BOS' }),
    ]);
    expect(listPredictions(db).map((p) => p.playerId)).toEqual(['c', 'b', 'a']);
    expect(listPredictions(db, { from: '2026-11-02', to: '2026-11-02' }).map((p) => p.playerId)).toEqual(['b']);
    expect(listPredictions(db, { player: 'smith' }).map((p) => p.playerId)).toEqual(['c', 'a']);
    expect(listPredictions(db, { player: '100%_' }).map((p) => p.playerId)).toEqual(['b']);
    expect(listPredictions(db, { team: 'BOS' }, { limit: 1, offset: 1 }).map((p) => p.playerId)).toEqual(['a']);
    expect(countPredictions(db, { team: 'NYK' })).toBe(1);
  });
});

describe('scoreFinishedGames', () => {
  it('fills actuals, error and range once the game is final, and marks DNPs', async () => {
    const db = await freshDb();
    upsertGames(db, [game('scheduled')], 'simulated');
    savePredictions(db, [prediction({ playerId: 'p1' }), prediction({ playerId: 'p2' }), prediction({ playerId: 'p3' })]);
    const gp: GamePrediction = {
      gameId: 'g1', gameDate: '2026-11-20', predictionDate: '2026-11-20', homeTeamId: 'BOS', awayTeamId: 'NYK',
      homeWinProb: 0.6, projectedMargin: 3.5, modelVersion: 'v1.0.0', homeScore: null, awayScore: null, homeWon: null,
      updatedAt: 1, deviceId: 'device-a', deleted: false,
      marketHomeWinProb: 0.64, marketHomeMargin: 4.5, marketSpread: -4.5, marketTotal: 221.5,
    };
    saveGamePredictions(db, [gp]);
    expect(scoreFinishedGames(db)).toEqual({ players: 0, games: 0, corrected: 0 });

    const versionsBefore = hlcs(db);
    upsertGames(db, [game('final')], 'simulated');
    upsertGameLogs(db, [line('p1', 31), line('p2', 0, false)]); // p3 has no line at all
    expect(scoreFinishedGames(db)).toEqual({ players: 3, games: 1, corrected: 0 });
    expect(getPrediction(db, 'p1', '2026-11-20')).toMatchObject({
      actualPoints: 31, actualMinutes: 33.5, didPlay: true, error: 11, absError: 11, inRange: false,
    });
    // Scoring fills derived facts; it is not a user's edit, so the row version stays (sync merges actuals separately).
    expect(getPrediction(db, 'p1', '2026-11-20')).toMatchObject({ updatedAt: 1_700_000_000_000, deviceId: 'device-a' });
    expect(listGamePredictions(db)[0]).toMatchObject({ updatedAt: 1_700_000_000_000, deviceId: 'device-a' });
    expect(hlcs(db)).toEqual(versionsBefore);
    expect(getPrediction(db, 'p2', '2026-11-20')).toMatchObject({ didPlay: false, actualPoints: null, error: null });
    expect(getPrediction(db, 'p3', '2026-11-20')).toMatchObject({ didPlay: false });
    expect(listGamePredictions(db)[0]).toMatchObject({ homeScore: 110, awayScore: 104, homeWon: true });
    // Scoring again changes nothing.
    expect(scoreFinishedGames(db)).toEqual({ players: 0, games: 0, corrected: 0 });
  });

  it('scores a game pick when no player prediction is stored, and changes nothing when nothing is logged', async () => {
    const db = await freshDb();
    upsertGames(db, [game('final')], 'simulated');
    upsertGameLogs(db, [line('p1', 31)]);
    const changes = () => Number(db.exec('SELECT total_changes()')[0].values[0][0]);
    const before = changes();
    expect(scoreFinishedGames(db, undefined, ['g1'])).toEqual({ players: 0, games: 0, corrected: 0 });
    expect(changes()).toBe(before);
    saveGamePredictions(db, [{
      gameId: 'g1', gameDate: '2026-11-20', predictionDate: '2026-11-20', homeTeamId: 'BOS', awayTeamId: 'NYK',
      homeWinProb: 0.6, projectedMargin: 3.5, modelVersion: 'v1.0.0', homeScore: null, awayScore: null, homeWon: null,
      updatedAt: 1, deviceId: 'device-a', deleted: false,
      marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null,
    }]);
    expect(scoreFinishedGames(db, undefined, ['g1'])).toEqual({ players: 0, games: 1, corrected: 0 });
    expect(listGamePredictions(db)[0]).toMatchObject({ homeScore: 110, awayScore: 104, homeWon: true });
  });

  it('a corrected box score or final score rescores what was already scored (stat corrections)', async () => {
    const db = await freshDb();
    upsertGames(db, [game('final')], 'simulated');
    savePredictions(db, [prediction({ playerId: 'p1' }), prediction({ playerId: 'p2' })]);
    saveGamePredictions(db, [{
      gameId: 'g1', gameDate: '2026-11-20', predictionDate: '2026-11-20', homeTeamId: 'BOS', awayTeamId: 'NYK',
      homeWinProb: 0.6, projectedMargin: 3.5, modelVersion: 'v1.0.0', homeScore: null, awayScore: null, homeWon: null,
      updatedAt: 1, deviceId: 'device-a', deleted: false,
      marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null,
    }]);
    upsertGameLogs(db, [line('p1', 31), line('p2', 12)]);
    expect(scoreFinishedGames(db)).toEqual({ players: 2, games: 1, corrected: 0 });

    // The league corrects the box score (p1 33, not 31; p2 never got in) and the final score (an overturned call).
    upsertGameLogs(db, [line('p1', 33), line('p2', 0, false)]);
    upsertGames(db, [{ ...game('final'), homeScore: 110, awayScore: 112 }], 'simulated');
    expect(scoreFinishedGames(db)).toEqual({ players: 2, games: 1, corrected: 3 });
    expect(getPrediction(db, 'p1', '2026-11-20')).toMatchObject({ actualPoints: 33, didPlay: true, error: 13, absError: 13 });
    expect(getPrediction(db, 'p2', '2026-11-20')).toMatchObject({ didPlay: false, actualPoints: null, error: null });
    expect(listGamePredictions(db)[0]).toMatchObject({ homeScore: 110, awayScore: 112, homeWon: false });
    expect(scoreFinishedGames(db)).toEqual({ players: 0, games: 0, corrected: 0 });
  });

  it('does not score a final game whose box score is not stored yet', async () => {
    const db = await freshDb();
    upsertGames(db, [game('final')], 'simulated');
    savePredictions(db, [prediction()]);
    expect(scoreFinishedGames(db).players).toBe(0);
    expect(getPrediction(db, 'p1', '2026-11-20')?.didPlay).toBeNull();
  });
});

describe('league upserts', () => {
  it('re-storing an unchanged game or box score modifies no row', async () => {
    const db = await freshDb();
    upsertGames(db, [game('final')], 'simulated');
    upsertGameLogs(db, [line('p1', 20)]);
    const before = Number(db.exec('SELECT total_changes()')[0].values[0][0]);
    const version = localVersion(db);
    upsertGames(db, [game('final')], 'simulated');
    upsertGameLogs(db, [line('p1', 20)]);
    expect(Number(db.exec('SELECT total_changes()')[0].values[0][0])).toBe(before);
    expect(localVersion(db)).toBe(version);
    upsertGameLogs(db, [line('p1', 22)]);
    expect(localVersion(db)).toBe(version + 1); // one changed row, recorded once by the trigger
  });
});

describe('predictions by data source', () => {
  it('keeps simulated and live predictions apart', async () => {
    const db = await freshDb();
    upsertGames(db, [game('final')], 'simulated');
    upsertGames(db, [{ ...game('final'), id: 'g-live' }], 'nba');
    savePredictions(db, [
      prediction({ playerId: 'sim' }),
      prediction({ playerId: 'live', gameId: 'g-live' }),
      prediction({ playerId: 'unknown-game', gameId: 'not-stored' }),
    ]);
    expect(listPredictions(db, { sourceId: 'simulated' }).map((p) => p.playerId)).toEqual(['sim', 'unknown-game']);
    expect(listPredictions(db, { sourceId: 'nba' }).map((p) => p.playerId)).toEqual(['live', 'unknown-game']);
    expect(countPredictions(db)).toBe(3);
  });
});

describe('game picks and tombstones', () => {
  it('re-logging a deleted game pick with the same numbers is a change (the tombstone is not "unchanged")', async () => {
    const db = await freshDb();
    const pick: GamePrediction = {
      gameId: 'g1', gameDate: '2026-11-20', predictionDate: '2026-11-20', homeTeamId: 'BOS', awayTeamId: 'NYK',
      homeWinProb: 0.6, projectedMargin: 3.5, modelVersion: 'v1.0.0', homeScore: null, awayScore: null, homeWon: null,
      updatedAt: 1, deviceId: 'device-a', deleted: true,
      marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null,
    };
    saveGamePredictions(db, [pick]);
    expect(saveGamePredictions(db, [{ ...pick, deleted: false }])).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect(listGamePredictions(db)).toHaveLength(1);
  });
});
