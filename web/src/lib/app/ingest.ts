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
/** A write in steps (store.writeInSteps): each part up to a `yield` a transaction and a task of its own. */
export type StepWriter = <T>(steps: (db: Database) => Generator<void, T, void>) => Promise<T>;

/**
 * Days per backfill write after today. With a StepWriter each day's SQL is a few steps of its own, so the size of a
 * write no longer sets how long a task is: it sets how many journal entries a backfill makes (each has a fixed cost:
 * its gzip and two IndexedDB transactions; hundreds of them end in a compaction, scripts/bench-backfill.ts) and how
 * many days an interrupted backfill fetches again.
 */
export const BACKFILL_DAYS_PER_WRITE = 10;

export interface IngestResult {
  daysFetched: number;
  scored: { players: number; games: number };
}

/**
 * Brings the days [from, to] of `source` into the database, then scores logged predictions whose
 * games are now final. Each batch of days is one write, so an interrupted backfill resumes where it stopped
 * (stored complete days are skipped next time). Order: today first, alone (the slate on screen needs nothing else
 * to show tonight's games), then the other days newest first, `batchSize` per write. Each day is fetched (a
 * simulated one computed) in a task of its own, ahead of the writes, and each write starts in a new task; with
 * `writeInSteps`, each day's SQL is in tasks of its own too.
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
  /** Days per write after today (default BACKFILL_DAYS_PER_WRITE). */
  batchSize?: number;
  /**
   * Writes in steps (the app: store.writeInSteps): each day's rows in steps of their own, the scoring in another,
   * so no task of the UI thread holds more than a part of a day's SQL. Without it, each write is one `write`.
   */
  writeInSteps?: StepWriter;
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
  const batchSize = options.batchSize ?? BACKFILL_DAYS_PER_WRITE;
  // Today first and alone, then the other days newest first.
  const order = wanted.includes(today) ? [today, ...wanted.filter((d) => d !== today)] : wanted;
  // Said before the teams are fetched: until then a source switch's slate would look loaded.
  options.onProgress?.(0, wanted.length);
  const teams = await source.teams();
  let done = 0;
  let teamsStored = false;
  let scored = { players: 0, games: 0 };
  const stepsOf = (days: DayData[]) =>
    function* (db: Database): Generator<void, { players: number; games: number }, void> {
      if (!teamsStored) upsertTeams(db, teams);
      for (const fetched of days) {
        yield* storeDay(db, fetched, source.id, today, now);
        yield;
      }
      // Stored scores are checked again only for the games just written (a corrected box score comes with its day).
      const s = scoreFinishedGames(db, undefined, days.flatMap((d) => d.games.map((g) => g.id)));
      return { players: scored.players + s.players, games: scored.games + s.games };
    };
  const writeDays = async (days: DayData[]) => {
    scored = options.writeInSteps ? await options.writeInSteps(stepsOf(days)) : await options.write((db) => runAll(stepsOf(days)(db)));
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
  for (let at = 0; at < order.length; ) {
    const isToday = at === 0 && order[0] === today;
    const count = isToday ? 1 : Math.min(batchSize, order.length - at);
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
    if (isToday && options.afterToday) await options.afterToday();
  }
  return { daysFetched: wanted.length, scored };
}

/**
 * One fetched day into the database (inside a write), in steps: a day's box scores are most of its SQL, and on a
 * slow device the whole day is a long task. Marked stored last, so a day cut short is fetched again.
 */
function* storeDay(db: Database, fetched: DayData, sourceId: string, today: IsoDate, now: Date): Generator<void, void, void> {
  const day = adoptKnownPlayerIds(db, fetched, sourceId);
  upsertPlayers(db, day.players, sourceId);
  // Live scores change by the minute: the synced row says only "live"; the running state goes to the
  // local-only live_games table (never an upload; every online device fetches its own).
  upsertGames(db, day.games.map((g) => (g.status === 'live' ? { ...g, homeScore: null, awayScore: null } : g)), sourceId);
  upsertLiveGames(db, day.games, now.getTime());
  yield;
  upsertGameLogs(db, day.logs);
  // A past day whose games are all over never changes again; today and later days are fetched again.
  const allFinal = day.games.every((g) => g.status === 'final' || g.status === 'postponed');
  markSourceDay(db, sourceId, day.date, allFinal && day.date < today, now.getTime());
}

/** A write's steps run to the end in one go (a writer without steps). */
function runAll<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
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
