import { describe, expect, it } from 'vitest';
import type { Database } from 'sql.js';
import { adoptKnownPlayerIds, ingestDays } from '../../web/src/lib/app/ingest';
import { addDays, localIsoDate } from '../../web/src/lib/domain/dates';
import { TEAMS } from '../../web/src/lib/domain/teams';
import type { DataSource } from '../../web/src/lib/sources/types';
import { upsertPlayers } from '../../web/src/lib/db/league-repo';
import type { PlayerGameLog } from '../../web/src/lib/domain/types';
import { getPrediction, savePredictions } from '../../web/src/lib/db/predictions-repo';
import { freshDb, prediction } from './helpers';

const line = (playerId: string): PlayerGameLog => ({
  gameId: 'g', playerId, teamId: 'DEN', opponentId: 'LAL', date: '2024-01-10', home: true, played: true, starter: true,
  minutes: 30, points: 20, rebounds: 10, assists: 8, threesMade: 1, dnpReason: null,
});

describe('adoptKnownPlayerIds', () => {
  it('maps an ESPN-only player to the NBA.com id of the same team and name, whatever the spelling', async () => {
    const db = await freshDb();
    upsertPlayers(db, [{ id: '203999', name: 'Nikola Jokić', teamId: 'DEN', position: 'C' }], 'nba');
    const day = {
      date: '2024-01-10',
      games: [],
      players: [
        { id: 'espn-3112335', name: 'Nikola Jokic', teamId: 'DEN', position: 'C' },
        { id: 'espn-999', name: 'New Guy', teamId: 'DEN', position: 'G' },
      ],
      logs: [line('espn-3112335'), line('espn-999')],
    };
    const out = adoptKnownPlayerIds(db, day, 'nba');
    expect(out.players.map((p) => p.id)).toEqual(['203999', 'espn-999']);
    expect(out.logs.map((l) => l.playerId)).toEqual(['203999', 'espn-999']);
    // Another source's players are never used.
    expect(adoptKnownPlayerIds(db, day, 'simulated').players[0].id).toBe('espn-3112335');
  });
});

describe('ingestDays', () => {
  const NOW = new Date('2026-12-01T15:00:00Z');
  const TODAY = localIsoDate(NOW);

  /** A source of `from`..`to` days with one game each, recording what was fetched. */
  function source(fetched: string[]): DataSource {
    return {
      id: 'test',
      label: 'Test',
      simulated: true,
      teams: async () => TEAMS.map((t) => ({ ...t })),
      day: async (date) => {
        fetched.push(date);
        const game = { id: `g-${date}`, date, tipoff: `${date}T23:00:00.000Z`, homeTeamId: 'BOS', awayTeamId: 'NYK', status: date < TODAY ? 'final' : 'scheduled', homeScore: date < TODAY ? 100 : null, awayScore: date < TODAY ? 90 : null } as const;
        const players = [{ id: 'p1', name: 'Ava Smith', teamId: 'BOS', position: 'G' }];
        const logs = date < TODAY ? [{ ...line('p1'), gameId: game.id, teamId: 'BOS', opponentId: 'NYK', date }] : [];
        return { date, games: [game], players, logs };
      },
      historyStart: (today) => addDays(today, -12),
    };
  }

  type Sizing = Pick<Parameters<typeof ingestDays>[0], 'minDaysPerWrite' | 'maxDaysPerWrite' | 'maxWriteMs'>;
  /**
   * The days each write stores in a backfill of 14 days (today, tomorrow, 12 before; 25 ms budget, batchSize 4), where
   * `clock(stored, writes)` is the SQL clock (read at a write's start and end) with `stored` game days in the
   * database and `writes` writes done.
   */
  async function writeSizes(clock: (stored: number, writes: number) => number, sizing: Sizing): Promise<number[]> {
    const db = await freshDb();
    const sizes: number[] = [];
    await ingestDays({
      source: source([]),
      read: (fn) => fn(db),
      write: async (fn) => {
        const before = new Set(gamesOnAny(db));
        const result = fn(db);
        sizes.push(gamesOnAny(db).filter((d) => !before.has(d)).length);
        return result;
      },
      yieldToUi: async () => undefined,
      clock: () => clock(gamesOnAny(db).length, sizes.length),
      writeBudgetMs: 25,
      ...sizing,
      batchSize: 4,
      from: addDays(TODAY, -12),
      to: addDays(TODAY, 1),
      now: NOW,
      deviceId: 'd',
    });
    expect(db.exec('SELECT COUNT(*) FROM player_game_logs')[0].values[0][0]).toBe(12);
    return sizes;
  }

  it('writes today first and alone, then the other days newest first, batchSize per write, each write in a new turn', async () => {
    const db = await freshDb();
    const fetched: string[] = [];
    const writes: string[][] = [];
    const steps: string[] = [];
    const from = addDays(TODAY, -12);
    await ingestDays({
      source: source(fetched),
      read: (fn) => fn(db),
      write: async (fn) => {
        const before = new Set(gamesOnAny(db));
        const result = fn(db);
        writes.push(gamesOnAny(db).filter((d) => !before.has(d)).sort().reverse());
        steps.push('write');
        return result;
      },
      yieldToUi: async () => void steps.push('yield'),
      afterToday: async () => void steps.push('painted'),
      batchSize: 5,
      from,
      to: addDays(TODAY, 1),
      now: NOW,
      deviceId: 'd',
    });
    const older = Array.from({ length: 12 }, (_, i) => addDays(TODAY, -1 - i));
    expect(writes).toEqual([[TODAY], [addDays(TODAY, 1), ...older.slice(0, 4)], older.slice(4, 9), older.slice(9)]);
    expect(fetched[0]).toBe(TODAY);
    // Every fetch and every write after a turn of the UI thread; today's frame before anything else.
    expect(steps.join(' ')).not.toMatch(/write write/);
    expect(steps.filter((s) => s === 'yield')).toHaveLength(14 + 4);
    expect(steps.indexOf('painted')).toBe(steps.indexOf('write') + 1);
    expect(steps.filter((s) => s === 'painted')).toHaveLength(1);
    expect(db.exec('SELECT COUNT(*) FROM player_game_logs')[0].values[0][0]).toBe(12);
  });

  it('with a write budget, sizes each write by the fastest SQL time per day so far, and writes the fewest days where not one day fits it', async () => {
    // On this clock a write's SQL takes msPerDay per day it stores.
    const writesOf = (msPerDay: number, limits: Sizing) => writeSizes((stored) => stored * msPerDay, limits);
    // 5 ms a day: five days fit the budget of 25 ms (today alone first; 14 days in all).
    expect(await writesOf(5, { maxDaysPerWrite: 10 })).toEqual([1, 5, 5, 3]);
    // Capped by the most per write.
    expect(await writesOf(2, { maxDaysPerWrite: 4 })).toEqual([1, 4, 4, 4, 1]);
    // 10 ms a day: two days fit, but three is the fewest allowed.
    expect(await writesOf(10, { minDaysPerWrite: 3 })).toEqual([1, 3, 3, 3, 3, 1]);
    // 30 ms a day: not one day fits, so the fewest days per write (batchSize days would be longer stalls).
    expect(await writesOf(30, { minDaysPerWrite: 3 })).toEqual([1, 3, 3, 3, 3, 1]);
    expect(await writesOf(30, {})).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('after a first write slowed by compiling the WASM it ran, sizes the writes by the fastest one since', async () => {
    // The first write (today's) costs firstWriteExtraMs more: the browser compiles the WASM it runs.
    const writesOf = (msPerDay: number, firstWriteExtraMs: number) =>
      writeSizes((stored) => stored * msPerDay + (stored > 0 ? firstWriteExtraMs : 0), { minDaysPerWrite: 3, maxDaysPerWrite: 10 });
    // The second write is the fewest days (nothing fitted the first); sized by the fastest since, then.
    expect(await writesOf(5, 100)).toEqual([1, 3, 5, 5]);
  });

  it('says how many days it will load before the source has answered for the teams', async () => {
    const db = await freshDb();
    const src = source([]);
    let teamsAsked = false;
    const progress: [number, number, boolean][] = [];
    void ingestDays({
      source: { ...src, teams: () => ((teamsAsked = true), new Promise<never>(() => undefined)) },
      read: (fn) => fn(db),
      write: async (fn) => fn(db),
      from: addDays(TODAY, -12),
      to: addDays(TODAY, 1),
      now: NOW,
      deviceId: 'd',
      onProgress: (done, total) => progress.push([done, total, teamsAsked]),
      yieldToUi: async () => undefined,
    });
    // Called as ingestDays starts, with the teams never answering.
    expect(progress).toEqual([[0, 14, false]]);
  });

  it('with maxWriteMs, writes fewer than minDaysPerWrite days while that many would take longer (cold code) where a day fits the budget, and keeps a slow device at the fewest days', async () => {
    /** `msPerDay[k]`: what a day costs in write k (the last one from then on): SQL gets faster as its code warms up. */
    const writesOf = (msPerDay: number[]) =>
      writeSizes((stored, writes) => stored * msPerDay[Math.min(writes, msPerDay.length - 1)], { maxWriteMs: 40, minDaysPerWrite: 3, maxDaysPerWrite: 10 });
    // Today 20 ms: a day fits the budget, two fit 40 ms. Then 17 ms a day: two. Then 9: three (the fewest) fit 40 ms.
    expect(await writesOf([20, 17, 9])).toEqual([1, 2, 2, 3, 3, 3]);
    // Today 35 ms: not one day fits the budget: the fewest days, as without maxWriteMs; then 20 ms a day: two.
    expect(await writesOf([35, 20])).toEqual([1, 3, 2, 2, 2, 2, 2]);
    // 30 then 25 ms a day (a slow device warming up): one day fits the budget, not two 40 ms: two (the nearest to
    // 40 ms without writing one day at a time), not three.
    expect(await writesOf([30, 25])).toEqual([1, 3, 2, 2, 2, 2, 2]);
    // Already warm at 12 ms a day: the fewest days (three) fit 40 ms, as without maxWriteMs.
    expect(await writesOf([12])).toEqual([1, 3, 3, 3, 3, 1]);
    // A slow device (4× CPU): not one day fits the budget: the fewest days throughout, as without maxWriteMs.
    expect(await writesOf([150, 60])).toEqual([1, 3, 3, 3, 3, 1]);
  });

  it('writes a day already being fetched without fetching it again', async () => {
    const db = await freshDb();
    const fetched: string[] = [];
    const src = source(fetched);
    const prefetched = new Map([[TODAY, src.day(TODAY, NOW)]]);
    await ingestDays({ source: src, read: (fn) => fn(db), write: async (fn) => fn(db), from: TODAY, to: addDays(TODAY, 1), now: NOW, deviceId: 'd', prefetched, yieldToUi: async () => undefined });
    expect(fetched).toEqual([TODAY, addDays(TODAY, 1)]);
    expect(gamesOnAny(db)).toEqual([TODAY, addDays(TODAY, 1)]);
  });

  it('a day fetched again with a corrected box score rescores the prediction already scored', async () => {
    const db = await freshDb();
    let points = 20;
    const corrected: DataSource = {
      ...source([]),
      day: async (date) => {
        const game = { id: `g-${date}`, date, tipoff: `${date}T01:00:00.000Z`, homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'final', homeScore: 100, awayScore: 90 } as const;
        const logs = date === TODAY ? [{ ...line('p1'), gameId: game.id, teamId: 'BOS', opponentId: 'NYK', date, points }] : [];
        return { date, games: [game], players: [{ id: 'p1', name: 'Ava Smith', teamId: 'BOS', position: 'G' }], logs };
      },
    };
    const io = { read: <T>(fn: (d: Database) => T) => fn(db), write: async <T>(fn: (d: Database) => T) => fn(db), deviceId: 'test', yieldToUi: async () => {} };
    savePredictions(db, [prediction({ playerId: 'p1', gameId: `g-${TODAY}`, gameDate: TODAY, predictionDate: TODAY, projectedPoints: 18 })]);
    await ingestDays({ ...io, source: corrected, from: TODAY, to: TODAY, now: NOW });
    expect(getPrediction(db, 'p1', TODAY)).toMatchObject({ actualPoints: 20, error: 2 });
    points = 23; // the league's stat correction, seen when the day is fetched again
    await ingestDays({ ...io, source: corrected, from: TODAY, to: TODAY, now: NOW });
    expect(getPrediction(db, 'p1', TODAY)).toMatchObject({ actualPoints: 23, error: 5 });
  });
});

function gamesOnAny(db: Database): string[] {
  return (db.exec('SELECT DISTINCT date FROM games ORDER BY date')[0]?.values ?? []).map((r) => String(r[0]));
}
