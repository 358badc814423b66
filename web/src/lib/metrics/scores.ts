// Accuracy scores shared by the app (Accuracy, engine vs market) and the backtest CLI. Pure functions over plain numbers.

export interface PointsMetrics {
  n: number;
  mae: number;
  rmse: number;
  /** Mean of (actual − projected), as in the app's Accuracy tab: positive means projections run low. */
  bias: number;
  /** Median absolute error. */
  medianAe: number;
  /** Share of actuals inside [floor, ceiling]; null for predictors without a band. */
  coverage80: number | null;
}

export interface GameMetrics {
  n: number;
  /** Share of games whose favourite (home if p ≥ 0.5) won. */
  accuracy: number;
  /** Mean (p − outcome)². */
  brier: number;
  /** Mean −ln p(outcome), probabilities clipped to [1e-15, 1 − 1e-15]. */
  logLoss: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Points metrics over rows. `floor`/`ceiling` are optional and used only when every row has both.
 */
export function pointsMetrics(
  actual: readonly number[],
  projected: readonly number[],
  floor?: readonly number[],
  ceiling?: readonly number[],
): PointsMetrics {
  const n = actual.length;
  if (projected.length !== n) throw new Error('pointsMetrics: actual and projected differ in length');
  if (n === 0) return { n: 0, mae: NaN, rmse: NaN, bias: NaN, medianAe: NaN, coverage80: null };
  let abs = 0;
  let sq = 0;
  let err = 0;
  let inside = 0;
  const absErrors = new Array<number>(n);
  const banded = floor !== undefined && ceiling !== undefined && floor.length === n && ceiling.length === n;
  for (let i = 0; i < n; i++) {
    const e = actual[i] - projected[i];
    err += e;
    abs += Math.abs(e);
    sq += e * e;
    absErrors[i] = Math.abs(e);
    if (banded && actual[i] >= floor![i] && actual[i] <= ceiling![i]) inside++;
  }
  return { n, mae: abs / n, rmse: Math.sqrt(sq / n), bias: err / n, medianAe: median(absErrors), coverage80: banded ? inside / n : null };
}

export function gameMetrics(homeWinProb: readonly number[], homeWon: readonly boolean[]): GameMetrics {
  const n = homeWinProb.length;
  if (homeWon.length !== n) throw new Error('gameMetrics: lengths differ');
  if (n === 0) return { n: 0, accuracy: NaN, brier: NaN, logLoss: NaN };
  let correct = 0;
  let brier = 0;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const p = homeWinProb[i];
    const y = homeWon[i] ? 1 : 0;
    if ((p >= 0.5) === homeWon[i]) correct++;
    brier += (p - y) ** 2;
    const q = Math.min(1 - 1e-15, Math.max(1e-15, y === 1 ? p : 1 - p));
    ll -= Math.log(q);
  }
  return { n, accuracy: correct / n, brier: brier / n, logLoss: ll / n };
}

/** Player tiers by season-to-date scoring before the game (known at prediction time). */
export const TIERS = [
  { label: 'bench (<8 ppg)', max: 8 },
  { label: 'rotation (8–15 ppg)', max: 15 },
  { label: 'starter (15–22 ppg)', max: 22 },
  { label: 'star (≥22 ppg)', max: Infinity },
] as const;

export function tierOf(seasonToDateMean: number): string {
  for (const t of TIERS) if (seasonToDateMean < t.max) return t.label;
  return TIERS[TIERS.length - 1].label;
}

/** Round every number in a metrics object for printing. */
export function roundMetrics<T>(value: T, digits = 4): T {
  const f = 10 ** digits;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * f) / f : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
