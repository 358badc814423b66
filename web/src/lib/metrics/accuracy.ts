// Accuracy of logged predictions against actual results. Pure functions over domain rows.
import type { GamePrediction, IsoDate, Prediction } from '../domain/types';
import { gameMetrics } from './scores';
import { bandOf, calibratedConfidence, CONFIDENCE_BANDS } from './confidence';

/** The fields of a logged prediction the point metrics read (a full Prediction is one). */
export type PointRow = Pick<
  Prediction,
  'deleted' | 'didPlay' | 'actualPoints' | 'projectedPoints' | 'floor' | 'ceiling' | 'gameDate' | 'teamId' | 'playerId' | 'playerName'
>;

export interface PointsSummary {
  count: number;
  mae: number | null;
  rmse: number | null;
  /** Mean of (actual − projected): positive means the engine projects too low. */
  bias: number | null;
  /** Share of actuals inside floor–ceiling (the band is an 80% interval). */
  hitRate: number | null;
  /** Actual above the projection. */
  over: number;
  /** Actual below the projection. */
  under: number;
  push: number;
}

/** Only rows a person would count: the player played and the result is in. DNPs are left out. */
export function scoredPredictions<T extends PointRow>(rows: readonly T[]): T[] {
  return rows.filter((p) => !p.deleted && p.didPlay === true && p.actualPoints !== null);
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The same arithmetic as the backtest (scores.ts pointsMetrics: sums in row order, so the figures are identical),
 * on the rows a person would count, in one pass and without the median the summary does not show: sorting
 * every absolute error cost most of the Accuracy view's time over a season.
 */
export function summarizePoints<T extends PointRow>(rows: readonly T[]): PointsSummary {
  let count = 0;
  let abs = 0;
  let sq = 0;
  let err = 0;
  let inside = 0;
  let over = 0;
  let under = 0;
  let push = 0;
  for (const p of rows) {
    if (p.deleted || p.didPlay !== true || p.actualPoints === null) continue;
    const actual = p.actualPoints;
    const e = actual - p.projectedPoints;
    count++;
    err += e;
    abs += Math.abs(e);
    sq += e * e;
    if (actual >= p.floor && actual <= p.ceiling) inside++;
    if (e > 0) over++;
    else if (e < 0) under++;
    else if (e === 0) push++;
  }
  if (count === 0) return { count: 0, mae: null, rmse: null, bias: null, hitRate: null, over, under, push };
  return { count, mae: abs / count, rmse: Math.sqrt(sq / count), bias: err / count, hitRate: inside / count, over, under, push };
}

/** MAE per confidence band (the calibrated confidence shown on screen, see confidence.ts). */
export function maeByConfidence<T extends PointRow>(rows: readonly T[]): { band: string; count: number; mae: number | null; hitRate: number | null }[] {
  // Each row's band is worked out once, not once per band.
  const inBand = new Map(CONFIDENCE_BANDS.map((band) => [band, [] as T[]]));
  for (const p of scoredPredictions(rows)) inBand.get(bandOf(calibratedConfidence(p)))?.push(p);
  return CONFIDENCE_BANDS.map((band) => {
    const list = inBand.get(band)!;
    const s = summarizePoints(list);
    return { band: band.label, count: list.length, mae: s.mae, hitRate: s.hitRate };
  });
}

/**
 * Scoring tiers by projected points: the question "how good is it on stars vs bench?". (The backtest's TIERS in
 * scores.ts bucket by season-to-date scoring instead; a different name so the metrics index exports both.)
 */
export const PROJECTION_TIERS = [
  { label: 'Under 10 pts', min: 0, max: 10 },
  { label: '10–20 pts', min: 10, max: 20 },
  { label: '20+ pts', min: 20, max: Number.POSITIVE_INFINITY },
] as const;

export interface Breakdown {
  key: string;
  label: string;
  count: number;
  mae: number | null;
  bias: number | null;
  hitRate: number | null;
}

function breakdown<T extends PointRow>(rows: readonly T[], keyOf: (p: T) => string, labelOf: (key: string) => string = (k) => k): Breakdown[] {
  const groups = new Map<string, T[]>();
  for (const p of scoredPredictions(rows)) {
    const key = keyOf(p);
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.entries()].map(([key, list]) => {
    const s = summarizePoints(list);
    return { key, label: labelOf(key), count: s.count, mae: s.mae, bias: s.bias, hitRate: s.hitRate };
  });
}

export function maeByTier<T extends PointRow>(rows: readonly T[]): Breakdown[] {
  const order = PROJECTION_TIERS.map((t) => t.label as string);
  return breakdown(rows, (p) => PROJECTION_TIERS.find((t) => p.projectedPoints >= t.min && p.projectedPoints < t.max)!.label).sort(
    (a, b) => order.indexOf(a.key) - order.indexOf(b.key),
  );
}

export function maeByTeam<T extends PointRow>(rows: readonly T[]): Breakdown[] {
  return breakdown(rows, (p) => p.teamId).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Per player, most predictions first (the players a person follows most). */
export function maeByPlayer<T extends PointRow>(rows: readonly T[]): (Breakdown & { playerName: string })[] {
  const names = new Map(rows.map((p) => [p.playerId, p.playerName]));
  return breakdown(rows, (p) => p.playerId, (id) => names.get(id) ?? id)
    .map((b) => ({ ...b, playerName: b.label }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}

/** Rows left out of the point metrics because the player did not play (result known, no minutes). */
export function countDnp<T extends PointRow>(rows: readonly T[]): number {
  return rows.filter((p) => !p.deleted && p.didPlay === false).length;
}

/**
 * Rolling MAE over the last `window` game days (each day weighted by its predictions), one point per day:
 * a smoother line than the daily MAE, which jumps with small slates.
 */
export function rollingMae<T extends PointRow>(rows: readonly T[], window = 7): { date: IsoDate; mae: number; count: number }[] {
  return rollingFromDaily(dailyMae(rows), window);
}

/** The same, from per-day MAEs and counts (the Accuracy view aggregates days in SQL). */
export function rollingFromDaily(days: readonly { date: IsoDate; mae: number; count: number }[], window = 7): { date: IsoDate; mae: number; count: number }[] {
  const out: { date: IsoDate; mae: number; count: number }[] = [];
  let sum = 0;
  let count = 0;
  for (let i = 0; i < days.length; i++) {
    sum += days[i].mae * days[i].count;
    count += days[i].count;
    if (i >= window) {
      sum -= days[i - window].mae * days[i - window].count;
      count -= days[i - window].count;
    }
    out.push({ date: days[i].date, mae: sum / count, count });
  }
  return out;
}

export function dailyMae<T extends PointRow>(rows: readonly T[]): { date: IsoDate; count: number; mae: number }[] {
  const byDate = new Map<IsoDate, number[]>();
  for (const p of scoredPredictions(rows)) {
    const list = byDate.get(p.gameDate) ?? [];
    list.push(Math.abs((p.actualPoints as number) - p.projectedPoints));
    byDate.set(p.gameDate, list);
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, errs]) => ({ date, count: errs.length, mae: mean(errs) as number }));
}

/**
 * Points calibration: projections bucketed by size, with the mean actual in each bucket.
 * A calibrated engine has mean actual ≈ mean projection in every bucket.
 */
export function pointsCalibration<T extends PointRow>(rows: readonly T[], bucketSize = 5): { bucket: string; projected: number; actual: number; count: number }[] {
  const buckets = new Map<number, { proj: number[]; act: number[] }>();
  for (const p of scoredPredictions(rows)) {
    const key = Math.floor(p.projectedPoints / bucketSize);
    const b = buckets.get(key) ?? { proj: [], act: [] };
    b.proj.push(p.projectedPoints);
    b.act.push(p.actualPoints as number);
    buckets.set(key, b);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, b]) => ({
      bucket: `${key * bucketSize}–${(key + 1) * bucketSize}`,
      projected: mean(b.proj) as number,
      actual: mean(b.act) as number,
      count: b.proj.length,
    }));
}

export interface GamePickSummary {
  count: number;
  correct: number;
  accuracy: number | null;
  /** Mean squared error of the home-win probability. Lower is better; always 50% scores 0.25. */
  brier: number | null;
  logLoss: number | null;
}

export function scoredGamePredictions(rows: GamePrediction[]): GamePrediction[] {
  return rows.filter((g) => !g.deleted && g.homeWon !== null);
}

export function summarizeGamePicks(rows: GamePrediction[]): GamePickSummary {
  const scored = scoredGamePredictions(rows);
  const m = gameMetrics(scored.map((g) => g.homeWinProb), scored.map((g) => g.homeWon as boolean));
  return {
    count: scored.length,
    correct: Math.round(m.accuracy * scored.length) || 0,
    accuracy: scored.length ? m.accuracy : null,
    brier: scored.length ? m.brier : null,
    logLoss: scored.length ? m.logLoss : null,
  };
}

/** Win-probability calibration: predicted probability of the picked side, bucketed, vs how often it won. */
export function winProbabilityCalibration(rows: GamePrediction[], buckets = 5): { bucket: string; predicted: number; observed: number; count: number }[] {
  const width = 0.5 / buckets;
  const groups = Array.from({ length: buckets }, () => ({ p: [] as number[], o: [] as number[] }));
  for (const g of scoredGamePredictions(rows)) {
    const favouriteHome = g.homeWinProb >= 0.5;
    const p = favouriteHome ? g.homeWinProb : 1 - g.homeWinProb;
    const won = favouriteHome === g.homeWon ? 1 : 0;
    const i = Math.min(buckets - 1, Math.floor((p - 0.5) / width));
    groups[i].p.push(p);
    groups[i].o.push(won);
  }
  return groups
    .map((g, i) => ({
      bucket: `${Math.round((0.5 + i * width) * 100)}–${Math.round((0.5 + (i + 1) * width) * 100)}%`,
      predicted: mean(g.p) ?? 0,
      observed: mean(g.o) ?? 0,
      count: g.p.length,
    }))
    .filter((g) => g.count > 0);
}
