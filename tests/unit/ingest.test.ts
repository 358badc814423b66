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

  it('with writeInSteps, each day is steps of its own (its box scores apart), the scoring one more, and a day is marked stored after its box scores', async () => {
    const db = await freshDb();
    const writes: { steps: number; marked: number[]; logs: number[] }[] = [];
    const storedDays = () => Number(db.exec("SELECT COUNT(*) FROM source_days WHERE complete = 1")[0].values[0][0]);
    const logCount = () => Number(db.exec('SELECT COUNT(*) FROM player_game_logs')[0].values[0][0]);
    await ingestDays({
      source: source([]),
      read: (fn) => fn(db),
      write: async () => {
        throw new Error('a write in steps was expected');
      },
      writeInSteps: async (steps) => {
        const run = steps(db);
        const write = { steps: 0, marked: [] as number[], logs: [] as number[] };
        writes.push(write);
        for (;;) {
          const next = run.next();
          write.steps++;
          write.marked.push(storedDays());
          write.logs.push(logCount());
          if (next.done) return next.value;
        }
      },
      yieldToUi: async () => undefined,
      batchSize: 4,
      from: addDays(TODAY, -6),
      to: TODAY,
      now: NOW,
      deviceId: 'd',
    });
    // Today alone, then 4 and 2 days: two steps a day and the scoring.
    expect(writes.map((w) => w.steps)).toEqual([3, 9, 5]);
    // The 4-day write: after each day's first step (players, games) its box score is not stored yet nor the day marked.
    const four = writes[1];
    expect(four.logs).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(four.marked).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(logCount()).toBe(6);
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
