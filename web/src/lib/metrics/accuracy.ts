// Accuracy of logged predictions against actual results. Pure functions over domain rows.
import type { GamePrediction, IsoDate, Prediction } from '../domain/types';
import { gameMetrics, pointsMetrics } from './scores';

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
export function scoredPredictions(rows: Prediction[]): Prediction[] {
  return rows.filter((p) => !p.deleted && p.didPlay === true && p.actualPoints !== null);
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The same arithmetic as the backtest (scores.ts), on the rows a person would count. */
export function summarizePoints(rows: Prediction[]): PointsSummary {
  const scored = scoredPredictions(rows);
  const actual = scored.map((p) => p.actualPoints as number);
  const m = pointsMetrics(actual, scored.map((p) => p.projectedPoints), scored.map((p) => p.floor), scored.map((p) => p.ceiling));
  const errors = scored.map((p) => (p.actualPoints as number) - p.projectedPoints);
  const orNull = (x: number) => (scored.length ? x : null);
  return {
    count: scored.length,
    mae: orNull(m.mae),
    rmse: orNull(m.rmse),
    bias: orNull(m.bias),
    hitRate: scored.length ? m.coverage80 : null,
    over: errors.filter((e) => e > 0).length,
    under: errors.filter((e) => e < 0).length,
    push: errors.filter((e) => e === 0).length,
  };
}

export interface ConfidenceBand {
  label: string;
  min: number;
  max: number;
}

export const CONFIDENCE_BANDS: readonly ConfidenceBand[] = [
  { label: 'Low (< 50%)', min: 0, max: 0.5 },
  { label: 'Medium (50–75%)', min: 0.5, max: 0.75 },
  { label: 'High (≥ 75%)', min: 0.75, max: 1.0000001 },
];

export function maeByConfidence(rows: Prediction[]): { band: string; count: number; mae: number | null }[] {
  const scored = scoredPredictions(rows);
  return CONFIDENCE_BANDS.map((band) => {
    const inBand = scored.filter((p) => p.confidence >= band.min && p.confidence < band.max);
    return { band: band.label, count: inBand.length, mae: summarizePoints(inBand).mae };
  });
}

export function dailyMae(rows: Prediction[]): { date: IsoDate; count: number; mae: number }[] {
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
export function pointsCalibration(rows: Prediction[], bucketSize = 5): { bucket: string; projected: number; actual: number; count: number }[] {
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
