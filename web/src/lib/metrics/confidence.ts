// What "confidence" means on screen: the chance that the actual points land within CONFIDENCE_MARGIN
// of the projection. Derived from the projection's 80% band (ceiling = projection + Z80 × SD), so it is
// the same for a slate on screen and for any row already logged, whichever engine version logged it.
// The engine's own `confidence` field (sample size × steadiness) is kept in the log but not shown:
// it put every prediction below 75% (the "High" band was always empty) and did not rank errors.

/** Points either side of the projection that count as "close". */
export const CONFIDENCE_MARGIN = 5;
/** z of a two-sided 80% normal interval: the engine's floor–ceiling band. */
const Z80 = 1.2816;
const MIN_SD = 0.5;

/** Abramowitz & Stegun 7.1.26 (max error 1.5e-7): enough for a percentage on screen. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** The SD behind a band; the ceiling is never clipped (the floor is, at 0). */
const spreadSd = (projectedPoints: number, ceiling: number) => Math.max(MIN_SD, (ceiling - projectedPoints) / Z80);

/** Chance (0..1) that |actual − projected| ≤ CONFIDENCE_MARGIN, for a normal error with the band's SD. */
export function calibratedConfidence(p: { projectedPoints: number; ceiling: number }): number {
  return erf(CONFIDENCE_MARGIN / (spreadSd(p.projectedPoints, p.ceiling) * Math.SQRT2));
}

/**
 * The widest `ceiling − projected` whose confidence is still ≥ `level`: confidence falls as the band
 * widens, so a confidence filter becomes a plain comparison in SQL.
 */
export function maxSpreadFor(level: number): number {
  if (level <= 0) return Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = 200;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (calibratedConfidence({ projectedPoints: 0, ceiling: mid }) >= level) lo = mid;
    else hi = mid;
  }
  return lo;
}

export interface ConfidenceBand {
  id: 'low' | 'medium' | 'high';
  label: string;
  min: number;
  max: number;
}

export const CONFIDENCE_BANDS: readonly ConfidenceBand[] = [
  { id: 'low', label: 'Low (< 50%)', min: 0, max: 0.5 },
  { id: 'medium', label: 'Medium (50–75%)', min: 0.5, max: 0.75 },
  { id: 'high', label: 'High (≥ 75%)', min: 0.75, max: 1.0000001 },
];

export function bandOf(confidence: number): ConfidenceBand {
  return CONFIDENCE_BANDS.find((b) => confidence >= b.min && confidence < b.max) ?? CONFIDENCE_BANDS[0];
}
