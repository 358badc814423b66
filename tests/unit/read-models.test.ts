import { describe, expect, it } from 'vitest';
import type { Database } from 'sql.js';
import { ingestDays } from '../../web/src/lib/app/ingest';
import { predictionsToLog } from '../../web/src/lib/app/slate';
import {
  accuracyBreakdowns, accuracyView, gamesAsStored, historyView, MAX_LOG_DAYS_AHEAD, playerView, ReadModels, resolveRange, scheduleView,
  scheduleViewOf, slateView,
} from '../../web/src/lib/app/read-models';
import { slateTableRows } from '../../web/src/lib/app/read-models/slate-table';
import { parseHash, hrefFor } from '../../web/src/lib/app/route';
import { addDays, localIsoDate } from '../../web/src/lib/domain/dates';
import type { Game } from '../../web/src/lib/domain/types';
import type { DataSource, DayData } from '../../web/src/lib/sources/types';
import { listPredictions, savePredictions, saveGamePredictions, scoreFinishedGames } from '../../web/src/lib/db/predictions-repo';
import {
  countDnp, dailyMae, maeByConfidence, maeByPlayer, maeByTeam, maeByTier, pointsCalibration, rollingMae, summarizePoints,
} from '../../web/src/lib/metrics/accuracy';
import { bandOf, calibratedConfidence, maxSpreadFor } from '../../web/src/lib/metrics/confidence';
import { createSimulatedSource } from '../../web/src/lib/sources/simulated';
import { freshDb } from './helpers';

const DAY = '2026-11-28';
const MORNING = new Date('2026-11-28T15:00:00Z');
const NEXT_MORNING = new Date('2026-11-29T15:00:00Z');

/** A simulated league with two months of history, the slate of DAY logged, then DAY's games final. */
async function league(): Promise<Database> {
  const db = await freshDb();
  const source = createSimulatedSource();
  const io = { read: <T>(fn: (d: Database) => T) => fn(db), write: async <T>(fn: (d: Database) => T) => fn(db), deviceId: 'test' };
  await ingestDays({ ...io, source, from: source.historyStart(DAY), to: addDays(DAY, 1), now: MORNING });
  const view = slateView(db, { date: DAY, today: DAY, now: MORNING, sourceId: source.id, generation: 0 });
  const rows = predictionsToLog(view.slate, { today: DAY, now: MORNING.getTime(), deviceId: 'test' });
  savePredictions(db, rows.players);
  saveGamePredictions(db, rows.games);
  await ingestDays({ ...io, source, from: DAY, to: DAY, now: NEXT_MORNING });
  scoreFinishedGames(db);
  return db;
}

describe('read models over a simulated league', async () => {
  const db = await league();

  it('slate: every projected player in one list; final games carry actuals, hit/miss and whether the pick was right', () => {
    const view = slateView(db, { date: DAY, today: '2026-11-29', now: NEXT_MORNING, sourceId: 'simulated', generation: 1 });
    expect(view.games.length).toBeGreaterThan(3);
    expect(view.players.length).toBe(view.games.reduce((n, g) => n + g.home.rows.length + g.away.rows.length, 0));
    for (const g of view.games) {
      expect(g.game.status).toBe('final');
      const winnerHome = g.game.homeScore! > g.game.awayScore!;
      expect(g.pickCorrect).toBe(winnerHome === g.projectedMargin >= 0);
    }
    for (const p of view.players) {
      if (p.result === 'hit') expect(p.actualPoints! >= p.floor && p.actualPoints! <= p.ceiling).toBe(true);
      if (p.result === 'miss') expect(p.actualPoints! < p.floor || p.actualPoints! > p.ceiling).toBe(true);
      if (p.result === 'dnp') expect(p.actualPoints).toBeNull();
      expect(p.result).not.toBeNull();
    }
    expect(view.logRefusal).toMatch(/All games have started/);
    expect(view.loggedCount).toBe(view.players.length);
  });

  it('slate: logging is refused more than MAX_LOG_DAYS_AHEAD days ahead, with the day it opens', () => {
    const near = slateView(db, { date: addDays(DAY, MAX_LOG_DAYS_AHEAD), today: DAY, now: MORNING, sourceId: 'simulated', generation: 1 });
    expect(near.logRefusal).toBeNull();
    const far = slateView(db, { date: addDays(DAY, MAX_LOG_DAYS_AHEAD + 1), today: DAY, now: MORNING, sourceId: 'simulated', generation: 1 });
    expect(far.logRefusal).toContain(`on ${addDays(DAY, 1)}`);
    expect(far.loggableGames).toBe(0);
    expect(far.games.every((g) => !g.loggable)).toBe(true);
  });

  it('slate table: table-core sorts by any column (missing values last) and filters by name, team and game', () => {
    const { players, games } = slateView(db, { date: DAY, today: DAY, now: MORNING, sourceId: 'simulated', generation: 1 });
    const base = { search: '', team: '', game: '' };
    const byMinutes = slateTableRows(players, { ...base, sort: { id: 'minutes', desc: true } }).map((r) => r.projectedMinutes);
    expect(byMinutes).toEqual([...byMinutes].sort((a, b) => b - a));
    const byName = slateTableRows(players, { ...base, sort: { id: 'player', desc: false } }).map((r) => r.playerName);
    expect(byName[0].localeCompare(byName.at(-1)!)).toBeLessThan(0);
    const withActuals = players.map((p, i) => ({ ...p, actualPoints: i % 2 ? null : i }));
    const byActual = slateTableRows(withActuals, { ...base, sort: { id: 'actual', desc: false } });
    expect(byActual.slice(-Math.floor(players.length / 2)).every((r) => r.actualPoints === null)).toBe(true);
    const team = players[0].teamId;
    expect(slateTableRows(players, { ...base, sort: null, team }).every((r) => r.teamId === team)).toBe(true);
    const game = games[1].game.id;
    expect(slateTableRows(players, { ...base, sort: null, game }).length).toBe(games[1].home.rows.length + games[1].away.rows.length);
    const name = players[3].playerName;
    expect(slateTableRows(players, { ...base, sort: null, search: name.toUpperCase() }).map((r) => r.playerName)).toContain(name);
  });

  it('history: result and confidence filters agree with the rows they return; sort and paging hold', () => {
    const all = historyView(db, { filter: {}, page: 0, sourceId: 'simulated' });
    const hits = historyView(db, { filter: { result: 'hit' }, page: 0, sourceId: 'simulated' });
    const misses = historyView(db, { filter: { result: 'miss' }, page: 0, sourceId: 'simulated' });
    const dnp = historyView(db, { filter: { result: 'dnp' }, page: 0, sourceId: 'simulated' });
    expect(hits.total + misses.total + dnp.total).toBe(all.total);
    expect(hits.rows.every((r) => r.inRange === true)).toBe(true);
    let banded = 0;
    for (const band of ['low', 'medium', 'high'] as const) {
      const v = historyView(db, { filter: { confidence: band }, page: 0, sourceId: 'simulated' });
      banded += v.total;
      expect(v.rows.every((r) => bandOf(r.shownConfidence).id === band)).toBe(true);
    }
    expect(banded).toBe(all.total);
    const sorted = historyView(db, { filter: { result: 'hit' }, page: 0, sort: { key: 'actual', desc: true }, sourceId: 'simulated' });
    const actual = sorted.rows.map((r) => r.actualPoints!);
    expect(actual).toEqual([...actual].sort((a, b) => b - a));
    const last = historyView(db, { filter: {}, page: 999, sourceId: 'simulated' });
    expect(last.page).toBe(last.pages - 1);
  });

  it('accuracy: counts DNPs left out, every confidence band populated, ranges resolve', () => {
    const v = accuracyView(db, { range: { kind: 'all' }, today: '2026-11-29', sourceId: 'simulated' });
    const dnp = historyView(db, { filter: { result: 'dnp' }, page: 0, sourceId: 'simulated' }).total;
    expect(v.dnp).toBe(dnp);
    expect(v.points.count).toBeGreaterThan(100);
    expect(v.bands.reduce((n, b) => n + b.count, 0)).toBe(v.points.count);
    expect(v.tiers.reduce((n, b) => n + b.count, 0)).toBe(v.points.count);
    const { teams } = accuracyBreakdowns(db, { range: { kind: 'all' }, today: '2026-11-29', sourceId: 'simulated' });
    expect(teams.reduce((n, b) => n + b.count, 0)).toBe(v.points.count);
    expect(resolveRange({ kind: '7d' }, '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(accuracyView(db, { range: { kind: 'custom', from: '2026-12-01' }, today: '2026-11-29', sourceId: 'simulated' }).points.count).toBe(0);
  });

  it('accuracy: the SQL aggregates equal the pure metrics over the same rows', () => {
    const v = { ...accuracyView(db, { range: { kind: 'all' }, today: '2026-11-29', sourceId: 'simulated' }), ...accuracyBreakdowns(db, { range: { kind: 'all' }, today: '2026-11-29', sourceId: 'simulated' }) };
    const rows = historyView(db, { filter: {}, page: 0, sourceId: 'simulated' });
    const all = listPredictions(db, { sourceId: 'simulated' });
    expect(rows.total).toBe(all.length);
    const close = (a: unknown, b: unknown) => expect(JSON.parse(JSON.stringify(a), (_k, x) => (typeof x === 'number' ? Math.round(x * 1e9) / 1e9 : x))).toEqual(
      JSON.parse(JSON.stringify(b), (_k, x) => (typeof x === 'number' ? Math.round(x * 1e9) / 1e9 : x)),
    );
    close(v.points, summarizePoints(all));
    close(v.bands, maeByConfidence(all));
    close(v.tiers, maeByTier(all));
    close(v.teams, maeByTeam(all));
    close(v.daily, dailyMae(all));
    close(v.rolling, rollingMae(all, 7));
    close(v.calibration, pointsCalibration(all));
    expect(v.dnp).toBe(countDnp(all));
    close(v.players.map((p) => [p.key, p.count, p.mae]), maeByPlayer(all).slice(0, 25).map((p) => [p.key, p.count, p.mae]));
  });

  it('player: his predictions, his game log with the logged projection, his MAE', () => {
    const row = historyView(db, { filter: { result: 'hit' }, page: 0, sourceId: 'simulated' }).rows[0];
    const p = playerView(db, { playerId: row.playerId, sourceId: 'simulated' })!;
    expect(p.name).toBe(row.playerName);
    expect(p.predictions).toHaveLength(1);
    expect(p.summary.mae).toBeCloseTo(Math.abs(row.error!));
    expect(p.games.find((g) => g.date === DAY)?.projected).toBe(row.projectedPoints);
    expect(p.games.length).toBeGreaterThan(5);
    expect(playerView(db, { playerId: 'nobody', sourceId: 'simulated' })).toBeNull();
  });

  it('ReadModels caches per data version and rebuilds when it moves', () => {
    let version = 1;
    let reads = 0;
    const models = new ReadModels({
      read: (fn) => (reads++, fn(db)),
      version: () => String(version),
      generation: () => 1,
      sourceId: () => 'simulated',
      today: () => DAY,
    });
    const a = models.history({}, 0);
    expect(models.history({}, 0)).toBe(a);
    expect(reads).toBe(1);
    version++;
    expect(models.history({}, 0)).not.toBe(a);
    expect(reads).toBe(2);
  });
});

describe('ReadModels after a write that logged predictions only', () => {
  it('updates the slate it has (logged count, clock) instead of building it again; any other write rebuilds it', async () => {
    const db = await freshDb();
    const source = createSimulatedSource();
    const io = { read: <T>(fn: (d: Database) => T) => fn(db), write: async <T>(fn: (d: Database) => T) => fn(db), deviceId: 'test' };
    await ingestDays({ ...io, source, from: addDays(DAY, -20), to: addDays(DAY, 1), now: MORNING });
    let data = 1;
    let predictions = 1;
    let built = 0;
    const models = new ReadModels({
      read: (fn) => fn(db),
      version: () => `${data}|${predictions}`,
      slateVersion: () => String(data),
      generation: () => data * 100 + predictions,
      sourceId: () => source.id,
      today: () => DAY,
      slateBuilt: () => built++,
    });
    const before = models.slate(DAY)!;
    expect(before.loggedCount).toBe(0);
    const rows = predictionsToLog(before.slate, { today: DAY, now: MORNING.getTime(), deviceId: 'test' });
    savePredictions(db, rows.players);
    predictions++;
    const after = models.slate(DAY)!;
    expect(after.loggedCount).toBe(rows.players.length);
    expect(after.players).toBe(before.players);
    expect(after.generation).toBe(102);
    expect(built).toBe(2);
    data++;
    const rebuilt = models.slate(DAY)!;
    expect(rebuilt.players).not.toBe(before.players);
    expect(rebuilt.players).toEqual(before.players);
    expect(rebuilt.loggedCount).toBe(rows.players.length);
  });
});

describe('ReadModels with a start-up slate', () => {
  it('adopts the preview as the slate of the generation the database opened at (a compaction since relabels the same rows)', async () => {
    const db = await freshDb();
    const source = createSimulatedSource();
    const io = { read: <T>(fn: (d: Database) => T) => fn(db), write: async <T>(fn: (d: Database) => T) => fn(db), deviceId: 'test' };
    await ingestDays({ ...io, source, from: addDays(DAY, -20), to: addDays(DAY, 1), now: MORNING });
    // Kept at generation 7 (its rows), stored after a compaction took the same rows to generation 8.
    const kept = slateView(db, { date: DAY, today: DAY, now: MORNING, sourceId: source.id, generation: 7 });
    const models = new ReadModels({ read: (fn) => fn(db), version: () => '1', generation: () => 8, sourceId: () => source.id, today: () => DAY });
    models.showPreview(kept);
    expect(models.slate(DAY)).toBe(kept);
    models.adoptPreview(true);
    const adopted = models.slate(DAY)!;
    expect(adopted.generation).toBe(8);
    expect(adopted.players).toBe(kept.players);
  });
});

describe('ReadModels.prepareSlate', () => {
  const modelsOver = (db: Database, provisional: { on: boolean }) => {
    let built = 0;
    let reads = 0;
    const models = new ReadModels({
      read: (fn) => (reads++, fn(db)),
      version: () => '1',
      slateVersion: () => '1',
      generation: () => 3,
      sourceId: () => 'simulated',
      today: () => DAY,
      slateBuilt: () => built++,
      provisional: () => provisional.on,
    });
    return { models, built: () => built, reads: () => reads };
  };

  it('builds the full slate in steps, a pause between each, and slate() then serves it without building it again', async () => {
    const db = await league();
    const provisional = { on: true };
    const { models, built, reads } = modelsOver(db, provisional);
    let pauses = 0;
    await models.prepareSlate(DAY, async () => void pauses++);
    // The queries, the league-wide engine, the players' histories, one step per game, the view's own reads.
    const games = slateView(db, { date: DAY, today: DAY, now: MORNING, sourceId: 'simulated', generation: 3 }).games.length;
    expect(games).toBeGreaterThan(1);
    expect(pauses).toBeGreaterThanOrEqual(4 + games);
    expect(built()).toBe(1);
    // Still provisional: the schedule is what slate() gives.
    expect(models.slate(DAY)!.players).toHaveLength(0);
    provisional.on = false;
    const readsBefore = reads();
    const view = models.slate(DAY)!;
    expect(reads()).toBe(readsBefore);
    expect(built()).toBe(1);
    const direct = slateView(db, { date: DAY, today: DAY, now: new Date(), sourceId: 'simulated', generation: 3 });
    expect(view.players.map((p) => [p.playerId, p.projectedPoints])).toEqual(direct.players.map((p) => [p.playerId, p.projectedPoints]));
  }, 30_000);

  it('gives up when the database is written between two steps: slate() builds it from what is stored', async () => {
    const db = await league();
    const provisional = { on: true };
    const { models, built } = modelsOver(db, provisional);
    let pauses = 0;
    await models.prepareSlate(DAY, async () => {
      // A write of this tab between two steps (a sync, a click): the version has not moved yet.
      if (++pauses === 2) db.run("UPDATE players SET name = 'Renamed' WHERE id = (SELECT player_id FROM predictions LIMIT 1)");
    });
    expect(built()).toBe(0);
    provisional.on = false;
    const view = models.slate(DAY)!;
    expect(built()).toBe(1);
    expect(view.players.some((p) => p.playerName === 'Renamed')).toBe(true);
  }, 30_000);
});

describe('calibrated confidence', () => {
  it('is the chance of landing within 5 points, falling as the band widens', () => {
    // SD 5 → P(|Z| ≤ 1) = 68.3%.
    expect(calibratedConfidence({ projectedPoints: 20, ceiling: 20 + 1.2816 * 5 })).toBeCloseTo(0.6827, 3);
    expect(calibratedConfidence({ projectedPoints: 5, ceiling: 8 })).toBeGreaterThan(calibratedConfidence({ projectedPoints: 25, ceiling: 35 }));
    for (const level of [0.5, 0.75]) expect(calibratedConfidence({ projectedPoints: 0, ceiling: maxSpreadFor(level) })).toBeCloseTo(level, 6);
  });
});

describe("ReadModels while a first visit's history streams in", () => {
  it('shows the games only, labelled provisional and not loggable, then builds the full slate once it is in', async () => {
    const db = await freshDb();
    const source = createSimulatedSource();
    const io = { read: <T>(fn: (d: Database) => T) => fn(db), write: async <T>(fn: (d: Database) => T) => fn(db), deviceId: 'test' };
    await ingestDays({ ...io, source, from: addDays(DAY, -20), to: addDays(DAY, 1), now: MORNING });
    let provisional = true;
    let version = 1;
    const built: unknown[] = [];
    const models = new ReadModels({
      read: (fn) => fn(db),
      version: () => String(version),
      slateVersion: () => String(version),
      generation: () => version,
      sourceId: () => source.id,
      today: () => DAY,
      slateBuilt: (view) => built.push(view),
      provisional: () => provisional,
    });
    const full = slateView(db, { date: DAY, today: DAY, now: new Date(), sourceId: source.id, generation: 1 });
    const early = models.slate(DAY)!;
    expect(early.provisional).toBe(true);
    expect(early.games.map((g) => [g.game, g.title, g.away.teamName, g.home.teamName])).toEqual(full.games.map((g) => [g.game, g.title, g.away.teamName, g.home.teamName]));
    expect(early.players).toEqual([]);
    expect(early.games.every((g) => g.home.rows.length === 0 && g.away.rows.length === 0 && !g.loggable)).toBe(true);
    expect(early.loggableGames).toBe(0);
    // Never kept as the start-up slate (it is not what the database gives once the history is in).
    expect(built).toHaveLength(0);
    version++;
    expect(models.slate(DAY)!.provisional).toBe(true);
    provisional = false;
    const after = models.slate(DAY)!;
    expect(after.provisional).toBeFalsy();
    expect(after.games).toEqual(full.games);
    expect(built).toEqual([after]);
  });
});

describe('router', () => {
  it('round-trips views, ids and parameters; unknown views fall back to Today', () => {
    expect(parseHash(hrefFor('history', { team: 'BOS', page: 3, player: '' }))).toEqual({ view: 'history', id: null, params: { team: 'BOS', page: '3' } });
    expect(parseHash(hrefFor('player', {}, 'id/with space'))).toEqual({ view: 'player', id: 'id/with space', params: {} });
    expect(parseHash('#/nowhere').view).toBe('today');
    expect(parseHash('#/player').view).toBe('today');
    expect(parseHash('#main').view).toBe('today');
  });
});

describe("a first visit's games-only slate made from the fetched day, before SQLite", () => {
  /** The day as `source` gives it, and scheduleView of a new database that stored only that day (ingestDays). */
  async function fetchedAndStored(source: DataSource, now: Date) {
    const date = localIsoDate(now);
    const db = await freshDb();
    const io = { read: <T>(fn: (d: Database) => T) => fn(db), write: async <T>(fn: (d: Database) => T) => fn(db), deviceId: 'test' };
    await ingestDays({ ...io, source, from: date, to: date, now });
    const input = { date, today: date, generation: 0 };
    const fetched = scheduleViewOf(gamesAsStored((await source.day(date, now)).games, date), await source.teams(), { ...input, loggedCount: 0 });
    return { fetched, stored: scheduleView(db, { ...input, sourceId: source.id }) };
  }

  it('is the slate the database gives once that day is stored: before tip-off, during the games and once final', async () => {
    const source = createSimulatedSource();
    for (const now of [MORNING, new Date('2026-11-29T01:30:00Z'), new Date('2026-11-29T06:00:00Z')]) {
      const { fetched, stored } = await fetchedAndStored(source, now);
      expect(stored.games.length).toBeGreaterThan(0);
      expect(fetched).toEqual(stored);
    }
  });

  it('orders games by tip-off as stored and keeps a period and clock only while live', async () => {
    const simulated = createSimulatedSource();
    const [bos, nyk, lal, gsw, mia, chi] = ['BOS', 'NYK', 'LAL', 'GSW', 'MIA', 'CHI'];
    const game = (id: string, tipoff: string, homeTeamId: string, awayTeamId: string, rest: Partial<Game>): Game => ({
      id, date: DAY, tipoff, homeTeamId, awayTeamId, status: 'scheduled', homeScore: null, awayScore: null, ...rest,
    });
    const day: DayData = {
      date: DAY,
      games: [
        game('g3', '2026-11-29T03:00:00Z', lal, gsw, {}),
        game('g2', '2026-11-29T00:30:00Z', mia, chi, { status: 'live', homeScore: 50, awayScore: 47, period: 3, clock: '4:12' }),
        game('g1', '2026-11-29T00:30:00Z', bos, nyk, { status: 'final', homeScore: 101, awayScore: 99, period: 4, clock: '0:00' }),
      ],
      players: [],
      logs: [],
    };
    const source: DataSource = { id: 'fixture', label: 'fixture', simulated: false, teams: () => simulated.teams(), day: async () => day, historyStart: (d) => d };
    const { fetched, stored } = await fetchedAndStored(source, MORNING);
    expect(stored.games.map((g) => [g.game.id, g.game.period, g.game.clock])).toEqual([['g1', null, null], ['g2', 3, '4:12'], ['g3', null, null]]);
    expect(fetched).toEqual(stored);
  });
});
