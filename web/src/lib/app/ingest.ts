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

/**
 * How the app sizes its backfill writes (ingestDays' options): about 25 ms of SQL each (the save's change capture
 * runs in a task of its own after it, store.ts), well under a 50 ms long task of the UI thread; at most 30 days
 * (days without games, the off-season, cost next to nothing: fewer, larger writes keep the journal short), at least
 * 3, unless 3 days would take more than 40 ms where one fits the 25: the first writes of a first visit, whose SQL
 * still runs cold code (about 20 ms a day at 1× CPU, where later ones take 8), are then as many days as fit 40 ms,
 * and 2 where fewer do.
 * Where not even one day fits 25 ms (a slow device: 4× CPU, 25–60 ms of SQL a day), writes are 3 days: still long
 * tasks. 10 days per write gave first projections 1.1–1.25× sooner (every write has a fixed cost: its capture, gzip,
 * two IndexedDB transactions), but stalled the page about 460 ms at a time instead of about 270 (bench-app at 4×).
 * Sized by the fastest write so far.
 */
export const BACKFILL_WRITES = { writeBudgetMs: 25, maxWriteMs: 40, minDaysPerWrite: 3, maxDaysPerWrite: 30, batchSize: 10 } as const;

export interface IngestResult {
  daysFetched: number;
  scored: { players: number; games: number };
}

/**
 * Brings the days [from, to] of `source` into the database, then scores logged predictions whose
 * games are now final. Each batch of days is one write, so an interrupted backfill resumes where it stopped
 * (stored complete days are skipped next time). Order: today first, alone (the slate on screen needs nothing else
 * to show tonight's games), then the other days newest first, `batchSize` per write (or fewer, sized by
 * `writeBudgetMs`). Each day is fetched (a simulated one computed) in a task of its own, ahead of the writes, and
 * each write starts in a new task.
 * Why not always one day per write (each a short task): every write is a journal entry, and a two-season backfill
 * of ~500 entries ends in a compaction that rewrites the whole database (IndexedDB bytes 2.2× the final file
 * instead of 1.4×, scripts/bench-backfill.ts); the budget gives one-day writes only where ten would be long tasks.
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
  /** Days per write after today (default 10); with writeBudgetMs, see minDaysPerWrite. */
  batchSize?: number;
  /**
   * Sizes each write after today by the last one's SQL time per day, so a write's SQL stays about this long (one
   * day at least): on a fast device ten days per write (few journal entries), on a slow one fewer, so that no
   * write is a long task of the UI thread. Without it, batchSize days per write.
   */
  writeBudgetMs?: number;
  /**
   * With writeBudgetMs: the fewest and the most days per write (defaults 1 and batchSize). When not even one day
   * fits the budget, writes are the fewest days.
   */
  minDaysPerWrite?: number;
  maxDaysPerWrite?: number;
  /**
   * With writeBudgetMs: the most SQL time a write may take (at the fastest speed so far) to reach minDaysPerWrite.
   * Where a day fits writeBudgetMs but minDaysPerWrite days do not fit this, writes are as many days as fit it if
   * that is two or more; else (where not even one day fits writeBudgetMs, or two do not fit this: a slow device) it
   * changes nothing. Without it, minDaysPerWrite days whatever they take.
   */
  maxWriteMs?: number;
  /** The clock writeBudgetMs is measured with (default performance.now; tests pass their own). */
  clock?: () => number;
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
  // Today first and alone, then the other days newest first.
  const order = wanted.includes(today) ? [today, ...wanted.filter((d) => d !== today)] : wanted;
  // Said before the teams are fetched: until then a source switch's slate would look loaded.
  options.onProgress?.(0, wanted.length);
  const teams = await source.teams();
  let done = 0;
  let teamsStored = false;
  let scored = { players: 0, games: 0 };
  // The SQL time of the last write, per day: with a budget, it sizes the next write.
  let sqlMsPerDay = 0;
  const clock = options.clock ?? (() => performance.now());
  const writeDays = async (days: DayData[]) => {
    scored = await options.write((db) => {
      const started = clock();
      if (!teamsStored) upsertTeams(db, teams);
      for (const fetched of days) storeDay(db, fetched, source.id, today, now);
      // Stored scores are checked again only for the games just written (a corrected box score comes with its day).
      const s = scoreFinishedGames(db, undefined, days.flatMap((d) => d.games.map((g) => g.id)));
      sqlMsPerDay = (clock() - started) / Math.max(1, days.length);
      return { players: scored.players + s.players, games: scored.games + s.games };
    });
    teamsStored = true;
  };
  // Nothing to fetch: the teams are still stored (a new database gets them on its first refresh).
  if (order.length === 0) await writeDays([]);
  // Days are fetched ahead of the writes, `concurrency` at once, up to `batchSize` days beyond the ones being
  // written; each fetch (a simulated day's computation) after a turn of the UI thread, so each is a task of its own.
  const slot = limiter(options.concurrency ?? 4);
  const fetches: Promise<DayData>[] = [];
  const fetchAt = (i: number) => {
    fetches[i] ??= slot(async () => {
      await pause();
      return options.prefetched?.get(order[i]) ?? source.day(order[i], now);
    });
    fetches[i].catch(() => undefined);
    return fetches[i];
  };
  const budget = options.writeBudgetMs;
  const most = Math.max(1, options.maxDaysPerWrite ?? batchSize);
  const fewest = Math.min(most, Math.max(1, options.minDaysPerWrite ?? 1));
  let size = budget !== undefined ? fewest : batchSize;
  let fastestMsPerDay = Infinity;
  for (let at = 0; at < order.length; ) {
    const isToday = at === 0 && order[0] === today;
    const count = isToday ? 1 : Math.min(size, order.length - at);
    for (let i = at; i < Math.min(order.length, at + count + batchSize); i++) fetchAt(i);
    const fetching = performance.now();
    const days = await Promise.all(order.slice(at, at + count).map((_, k) => fetchAt(at + k)));
    const fetched = performance.now();
    await pause();
    await writeDays(days);
    at += count;
    done += days.length;
    options.onProgress?.(done, wanted.length);
    // Read by scripts/bench-app.mjs: each batch's fetch and its write (SQL + the save).
    performance.measure('nba-daily:backfill-batch', { start: fetching, detail: { days: days.length, fetchMs: fetched - fetching, writeMs: performance.now() - fetched } });
    if (budget !== undefined && sqlMsPerDay > 0) {
      // The fastest write so far: the first ones also compile the WASM they run (the browser compiles it lazily).
      fastestMsPerDay = Math.min(fastestMsPerDay, sqlMsPerDay);
      const fits = Math.floor(budget / fastestMsPerDay);
      // Where a day fits the budget: fewer than fewest days where fewest would take more than maxWriteMs, as many as
      // fit it, but never one at a time (on a slow device a write's fixed cost would make the first projections later).
      const fitsLongest = options.maxWriteMs === undefined ? fewest : Math.max(2, Math.floor(options.maxWriteMs / fastestMsPerDay));
      if (fits === 0) {
        // A slow device: the fewest days. Each write is still a long task, but shorter: at 4× CPU, ten days per
        // write brought the projections 1–2 s sooner (of 8–10 s) with stalls of ~460 ms instead of ~270 ms.
        size = fewest;
      } else {
        size = Math.min(most, Math.max(fits, Math.min(fewest, fitsLongest)));
      }
    }
    if (isToday && options.afterToday) await options.afterToday();
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

/** Runs the functions given to it with at most `limit` running at once, the others waiting in call order. */
function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    // A slot freed by a finished call is handed to the next waiter directly (active stays as it is).
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
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
 * dropped (there is no one to project). Markets are keyed by game id.
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
  return { availability, market: new Map(reports.market.map((m) => [m.gameId, marketView(m)])) };
}
