// Pulls days from a data source into the database. Days whose games are all final are stored once
// and never fetched again; today and future days are refreshed while their games progress.
import type { Database } from 'sql.js';
import { addDays, daysBetween, localIsoDate } from '../domain/dates';
import type { AvailabilityStatus, IsoDate } from '../domain/types';
import { marketView } from '../market';
import type { SlateReports } from './slate';
import { completeSourceDays, markSourceDay, playersOfTeams, upsertGameLogs, upsertGames, upsertLiveGames, upsertPlayers, upsertTeams } from '../db/league-repo';
import { nameKey } from '../domain/names';
import { scoreFinishedGames } from '../db/predictions-repo';
import { yieldToUi } from '../db/store';
import type { DataSource, DayData, DayReports } from '../sources/types';

export type Writer = <T>(fn: (db: Database) => T) => Promise<T>;

export interface IngestResult {
  daysFetched: number;
  scored: { players: number; games: number };
}

/**
 * Brings the days [from, to] of `source` into the database, then scores logged predictions whose
 * games are now final. Each batch of days is one write, so an interrupted backfill resumes where it stopped
 * (stored complete days are skipped next time). Order: today first, alone (the slate on screen needs nothing else
 * to show tonight's games), then the other days newest first, `batchSize` per write. Each day is fetched (a
 * simulated one computed) in a task of its own, and each write starts in a new task.
 * Why not one day per write (each a short task): every write is a journal entry, and a two-season backfill of
 * ~500 entries ends in a compaction that rewrites the whole database (IndexedDB bytes 2.2× the final file instead
 * of 1.4×, scripts/bench-backfill.ts); coalescing entries in the journal would allow it.
 */
export async function ingestDays(options: {
  source: DataSource;
  read: <T>(fn: (db: Database) => T) => T;
  write: Writer;
  from: IsoDate;
  to: IsoDate;
  now: Date;
  deviceId: string;
  onProgress?: (done: number, total: number) => void;
  /** Days fetched at once (a live feed should not be hammered). */
  concurrency?: number;
  /** Days per write after today (default 10). */
  batchSize?: number;
  /** Days already being fetched (as `source.day(date, now)`, the same `now`): used instead of fetching them again. */
  prefetched?: ReadonlyMap<IsoDate, Promise<DayData>>;
  /** Gives the UI thread a turn between steps (default: a new task; tests pass their own). */
  yieldToUi?: () => Promise<void>;
  /** Awaited once today is written, before the other days (the app lets the frame showing tonight's games paint). */
  afterToday?: () => Promise<void>;
}): Promise<IngestResult> {
  const { source, from, to, now } = options;
  const today = localIsoDate(now);
  const pause = options.yieldToUi ?? yieldToUi;
  const complete = options.read((db) => completeSourceDays(db, source.id, from, to));
  const wanted: IsoDate[] = [];
  for (let i = daysBetween(from, to); i >= 0; i--) {
    const date = addDays(from, i);
    if (!complete.has(date)) wanted.push(date);
  }
  const batchSize = options.batchSize ?? 10;
  const batches = wanted.includes(today) ? [[today]] : [];
  const rest = wanted.filter((d) => d !== today);
  for (let i = 0; i < rest.length; i += batchSize) batches.push(rest.slice(i, i + batchSize));
  const teams = await source.teams();
  let done = 0;
  let teamsStored = false;
  options.onProgress?.(0, wanted.length);
  let scored = { players: 0, games: 0 };
  const fetchDay = (date: IsoDate) => options.prefetched?.get(date) ?? source.day(date, now);
  const writeDays = async (days: DayData[]) => {
    scored = await options.write((db) => {
      if (!teamsStored) upsertTeams(db, teams);
      for (const fetched of days) storeDay(db, fetched, source.id, today, now);
      // Stored scores are checked again only for the games just written (a corrected box score comes with its day).
      const s = scoreFinishedGames(db, undefined, days.flatMap((d) => d.games.map((g) => g.id)));
      return { players: scored.players + s.players, games: scored.games + s.games };
    });
    teamsStored = true;
  };
  // Nothing to fetch: the teams are still stored (a new database gets them on its first refresh).
  if (batches.length === 0) await writeDays([]);
  for (const batch of batches) {
    const fetching = performance.now();
    // A simulated day is computed on the spot: a turn between days keeps each computation a task of its own.
    const days = await mapBounded(batch, options.concurrency ?? 4, async (date) => {
      await pause();
      return fetchDay(date);
    });
    const fetched = performance.now();
    await pause();
    await writeDays(days);
    done += days.length;
    options.onProgress?.(done, wanted.length);
    // Read by scripts/bench-app.mjs: each batch's fetch and its write (SQL + the save).
    performance.measure('nba-daily:backfill-batch', { start: fetching, detail: { days: days.length, fetchMs: fetched - fetching, writeMs: performance.now() - fetched } });
    if (batch.length === 1 && batch[0] === today && options.afterToday) await options.afterToday();
  }
  return { daysFetched: wanted.length, scored };
}

/** One fetched day into the database (inside a write). */
function storeDay(db: Database, fetched: DayData, sourceId: string, today: IsoDate, now: Date): void {
  const day = adoptKnownPlayerIds(db, fetched, sourceId);
  upsertPlayers(db, day.players, sourceId);
  // Live scores change by the minute: the synced row says only "live"; the running state goes to the
  // local-only live_games table (never an upload; every online device fetches its own).
  upsertGames(db, day.games.map((g) => (g.status === 'live' ? { ...g, homeScore: null, awayScore: null } : g)), sourceId);
  upsertLiveGames(db, day.games, now.getTime());
  upsertGameLogs(db, day.logs);
  // A past day whose games are all over never changes again; today and later days are fetched again.
  const allFinal = day.games.every((g) => g.status === 'final' || g.status === 'postponed');
  markSourceDay(db, sourceId, day.date, allFinal && day.date < today, now.getTime());
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of the results. */
async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Days served from ESPN name players `espn-<id>` (ESPN has no NBA.com person ids). When this source already
 * knows a player of the same team and name under an NBA.com id, the day's rows use that id, so one
 * player's history is never split between two ids.
 */
export function adoptKnownPlayerIds(db: Database, day: DayData, sourceId: string): DayData {
  const foreign = day.players.filter((p) => p.id.startsWith('espn-'));
  if (foreign.length === 0) return day;
  const known = playersOfTeams(db, [...new Set(foreign.map((p) => p.teamId))], sourceId).filter((p) => !p.id.startsWith('espn-'));
  const byName = new Map(known.map((p) => [`${p.teamId}|${nameKey(p.name)}`, p.id]));
  const rename = new Map<string, string>();
  for (const p of foreign) {
    const id = byName.get(`${p.teamId}|${nameKey(p.name)}`);
    if (id) rename.set(p.id, id);
  }
  if (rename.size === 0) return day;
  const to = (id: string) => rename.get(id) ?? id;
  return {
    ...day,
    players: day.players.map((p) => ({ ...p, id: to(p.id) })),
    logs: day.logs.map((l) => ({ ...l, playerId: to(l.playerId) })),
  };
}

/**
 * A day's injury report and market as the slate takes them: report players under espn-<id> get the NBA.com id
 * of the stored player of the same team and name (nameKey, as adoptKnownPlayerIds); players nobody stores are
 * dropped (there is no one to project). Markets are keyed by game id; the games the report is published for are kept.
 */
export function slateReportsOf(db: Database, reports: DayReports, sourceId: string): SlateReports {
  const teams = [...new Set(reports.availability.map((p) => p.teamId))];
  const known = teams.length ? playersOfTeams(db, teams, sourceId) : [];
  const ids = new Set(known.map((p) => p.id));
  const byName = new Map(known.map((p) => [`${p.teamId}|${nameKey(p.name)}`, p.id]));
  const availability = new Map<string, AvailabilityStatus>();
  for (const p of reports.availability) {
    const id = ids.has(p.playerId) ? p.playerId : byName.get(`${p.teamId}|${nameKey(p.name)}`);
    if (id) availability.set(id, p.status);
  }
  const covers = reports.availabilityCovers ?? [];
  return { availability, reportedGames: covers === 'all' ? 'all' : new Set(covers), market: new Map(reports.market.map((m) => [m.gameId, marketView(m)])) };
}
