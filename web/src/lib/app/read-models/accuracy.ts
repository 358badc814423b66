// What Accuracy shows for a time range: point metrics, breakdowns, calibration, game picks, and the engine
// against the betting market on the same games. The team and player breakdowns are a read of their own.
import type { Database, SqlValue } from 'sql.js';
import { addDays, fromEpochDay, seasonOf, seasonStart } from '../../domain/dates';
import type { IsoDate } from '../../domain/types';
import { listGamePredictions } from '../../db/predictions-repo';
import { engineVsMarket } from '../../market';
import {
  dailyMae, maeByConfidence, maeByTier, pointsCalibration, rollingFromDaily, summarizeGamePicks, summarizePoints, winProbabilityCalibration,
  type Breakdown, type PointRow,
} from '../../metrics/accuracy';

export type AccuracyRangeKind = '7d' | '30d' | 'season' | 'all' | 'custom';
export interface AccuracyRange {
  kind: AccuracyRangeKind;
  /** Only for 'custom'. */
  from?: IsoDate;
  to?: IsoDate;
}

export const ROLLING_WINDOW_DAYS = 7;

export function resolveRange(range: AccuracyRange, today: IsoDate): { from?: IsoDate; to?: IsoDate } {
  switch (range.kind) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'season':
      return { from: seasonStart(seasonOf(today)), to: today };
    case 'custom':
      return { from: range.from || undefined, to: range.to || undefined };
    default:
      return {};
  }
}

const OF_SOURCE = '(game_id IN (SELECT id FROM games WHERE source_id = :source) OR game_id NOT IN (SELECT id FROM games))';

type Params = Record<string, string | number>;
function rows(db: Database, sql: string, params: Params): SqlValue[][] {
  const stmt = db.prepare(sql);
  const out: SqlValue[][] = [];
  try {
    stmt.bind(params);
    while (stmt.step()) out.push(stmt.get());
  } finally {
    stmt.free();
  }
  return out;
}

type AccuracyInput = { range: AccuracyRange; today: IsoDate; sourceId: string };

/** The range as SQL: bound parameters and the date conditions to append to a WHERE. */
function rangeQuery(input: AccuracyInput) {
  const { from, to } = resolveRange(input.range, input.today);
  const p: Params = { ':source': input.sourceId };
  if (from) p[':from'] = from;
  if (to) p[':to'] = to;
  // Dates compared only when set: over a whole season a full scan beats the date index.
  return { from, to, p, range: `${from ? ' AND game_date >= :from' : ''}${to ? ' AND game_date <= :to' : ''}` };
}

/** How many players the player breakdown lists (the most predicted). */
export const BREAKDOWN_PLAYERS = 25;

/**
 * The breakdowns by team and player, apart from the rest: they sit in closed sections of the view, and
 * their grouped query is about a third of the view's cost over a season, so it runs when one is opened.
 */
export function accuracyBreakdowns(db: Database, input: AccuracyInput): { teams: Breakdown[]; players: (Breakdown & { playerName: string })[] } {
  const { p, range } = rangeQuery(input);
  // Teams and players are grouped by SQLite in one pass (one group per player and team: a few hundred groups
  // instead of a string per row); the team and player figures are sums of those groups.
  type Sums = { key: string; label: string; count: number; abs: number; err: number; inside: number };
  const teamSums = new Map<string, Sums>();
  const playerSums = new Map<string, Sums>();
  const add = (into: Map<string, Sums>, key: string, label: string, r: SqlValue[]) => {
    const s = into.get(key);
    if (!s) return void into.set(key, { key, label, count: Number(r[3]), abs: Number(r[4]), err: Number(r[5]), inside: Number(r[6]) });
    if (label > s.label) s.label = label;
    s.count += Number(r[3]);
    s.abs += Number(r[4]);
    s.err += Number(r[5]);
    s.inside += Number(r[6]);
  };
  for (const r of rows(
    db,
    `SELECT team_id, player_id, MAX(player_name), COUNT(*), SUM(ABS(actual_points - projected_points)), SUM(actual_points - projected_points),
       SUM(actual_points >= floor AND actual_points <= ceiling)
     FROM predictions WHERE deleted = 0 AND did_play = 1 AND actual_points IS NOT NULL${range} AND ${OF_SOURCE} GROUP BY team_id, player_id`,
    p,
  )) {
    add(teamSums, String(r[0]), String(r[0]), r);
    add(playerSums, String(r[1]), String(r[2]), r);
  }
  const breakdownOf = (s: Sums): Breakdown => ({ key: s.key, label: s.label, count: s.count, mae: s.abs / s.count, bias: s.err / s.count, hitRate: s.inside / s.count });
  const teams: Breakdown[] = [...teamSums.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(breakdownOf);
  const players = [...playerSums.values()]
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .slice(0, BREAKDOWN_PLAYERS)
    .map((s) => ({ ...breakdownOf(s), playerName: s.label }));
  return { teams, players };
}

export function accuracyView(db: Database, input: AccuracyInput) {
  const { from, to, p, range } = rangeQuery(input);
  const dnp = Number(rows(db, `SELECT COUNT(*) FROM predictions WHERE deleted = 0 AND did_play = 0${range} AND ${OF_SOURCE}`, p)[0][0]);

  // Per row only numbers cross from SQLite (strings cost most in sql.js): the date as an epoch day.
  // The figures themselves are the pure metrics', so Accuracy, player pages and tests agree.
  const days = new Map<number, IsoDate>();
  const lean: PointRow[] = rows(
    db,
    `SELECT projected_points, floor, ceiling, actual_points, CAST(julianday(game_date) - 2440587.5 AS INTEGER)
     FROM predictions WHERE deleted = 0 AND did_play = 1 AND actual_points IS NOT NULL${range} AND ${OF_SOURCE}`,
    p,
  ).map((r) => {
    const day = Number(r[4]);
    let gameDate = days.get(day);
    if (gameDate === undefined) days.set(day, (gameDate = fromEpochDay(day)));
    return { projectedPoints: Number(r[0]), floor: Number(r[1]), ceiling: Number(r[2]), actualPoints: Number(r[3]), gameDate, didPlay: true, deleted: false, teamId: '', playerId: '', playerName: '' };
  });
  const daily = dailyMae(lean);
  const games = listGamePredictions(db, { from, to, sourceId: input.sourceId });
  return {
    from,
    to,
    points: summarizePoints(lean),
    dnp,
    bands: maeByConfidence(lean),
    tiers: maeByTier(lean),
    daily,
    rolling: rollingFromDaily(daily, ROLLING_WINDOW_DAYS),
    calibration: pointsCalibration(lean),
    picks: summarizeGamePicks(games),
    winCalibration: winProbabilityCalibration(games),
    /** Engine and market scored on the logged, finished games that had a market line. */
    vsMarket: engineVsMarket(games),
  };
}
export type AccuracyView = ReturnType<typeof accuracyView>;
export type AccuracyBreakdowns = ReturnType<typeof accuracyBreakdowns>;
