import { describe, expect, it } from 'vitest';
import {
  dailyMae, maeByConfidence, pointsCalibration, summarizeGamePicks, summarizePoints, winProbabilityCalibration,
} from '../../web/src/lib/metrics/accuracy';
import type { GamePrediction } from '../../web/src/lib/domain/types';
import { prediction } from './helpers';
import fc from 'fast-check';
import { pointsMetrics } from '../../web/src/lib/metrics/scores';

const scored = (projected: number, actual: number, extra = {}) =>
  prediction({ projectedPoints: projected, floor: projected - 5, ceiling: projected + 5, actualPoints: actual, didPlay: true, ...extra });

describe('points metrics', () => {
  it('computes MAE, RMSE, bias, range hits and over/under by hand', () => {
    // errors (actual - projected): +4, -2, 0, -8
    const rows = [scored(10, 14), scored(20, 18), scored(15, 15), scored(30, 22)];
    const s = summarizePoints(rows);
    expect(s.count).toBe(4);
    expect(s.mae).toBeCloseTo((4 + 2 + 0 + 8) / 4);
    expect(s.rmse).toBeCloseTo(Math.sqrt((16 + 4 + 0 + 64) / 4));
    expect(s.bias).toBeCloseTo((4 - 2 + 0 - 8) / 4);
    expect(s.hitRate).toBeCloseTo(3 / 4);
    expect([s.over, s.under, s.push]).toEqual([1, 2, 1]);
  });

  it('leaves out DNPs, pending and deleted rows', () => {
    const rows = [
      scored(10, 14),
      prediction({ didPlay: false }),
      prediction({ actualPoints: null }),
      scored(10, 30, { deleted: true }),
    ];
    expect(summarizePoints(rows)).toMatchObject({ count: 1, mae: 4 });
    expect(summarizePoints([]).mae).toBeNull();
  });

  it('groups MAE by confidence band and by day', () => {
    const rows = [
      // Bands come from the 80% band's width (ceiling − projection), not the engine's stored confidence.
      scored(10, 12, { confidence: 0.9, ceiling: 20, gameDate: '2026-11-02' }),
      scored(10, 16, { confidence: 0.9, ceiling: 16, gameDate: '2026-11-01' }),
      scored(10, 8, { confidence: 0.1, ceiling: 13, gameDate: '2026-11-01', playerId: 'x' }),
    ];
    expect(maeByConfidence(rows).map((b) => [b.count, b.mae])).toEqual([[1, 2], [1, 6], [1, 2]]);
    expect(dailyMae(rows)).toEqual([
      { date: '2026-11-01', count: 2, mae: 4 },
      { date: '2026-11-02', count: 1, mae: 2 },
    ]);
  });

  it('buckets projections for the calibration chart', () => {
    const c = pointsCalibration([scored(3, 5), scored(4, 1), scored(12, 20)]);
    expect(c).toEqual([
      { bucket: '0–5', projected: 3.5, actual: 3, count: 2 },
      { bucket: '10–15', projected: 12, actual: 20, count: 1 },
    ]);
  });
});

describe('game pick metrics', () => {
  const gp = (homeWinProb: number, homeWon: boolean | null): GamePrediction => ({
    gameId: `g${Math.random()}`, gameDate: '2026-11-01', predictionDate: '2026-11-01', homeTeamId: 'BOS', awayTeamId: 'NYK',
    homeWinProb, projectedMargin: 0, modelVersion: 'v1', homeScore: null, awayScore: null, homeWon, updatedAt: 1, deviceId: 'd', deleted: false,
    marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null,
  });

  it('computes accuracy, Brier score and log loss by hand', () => {
    const s = summarizeGamePicks([gp(0.8, true), gp(0.6, false), gp(0.3, false), gp(0.5, null)]);
    expect(s.count).toBe(3);
    expect(s.correct).toBe(2);
    expect(s.accuracy).toBeCloseTo(2 / 3);
    expect(s.brier).toBeCloseTo((0.04 + 0.36 + 0.09) / 3);
    expect(s.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.7)) / 3);
  });

  it('buckets the favourite probability for the calibration chart', () => {
    const c = winProbabilityCalibration([gp(0.55, true), gp(0.4, true), gp(0.95, true)]);
    expect(c).toEqual([
      { bucket: '50–60%', predicted: 0.575, observed: 0.5, count: 2 },
      { bucket: '90–100%', predicted: 0.95, observed: 1, count: 1 },
    ]);
  });
});

describe('summarizePoints (one pass)', () => {
  it('equals the backtest arithmetic (pointsMetrics) over the scored rows, for any mix of rows', () => {
    const row = fc.record({
      projected: fc.integer({ min: 0, max: 400 }).map((x) => x / 10),
      spread: fc.integer({ min: 0, max: 150 }).map((x) => x / 10),
      actual: fc.option(fc.integer({ min: 0, max: 60 })),
      didPlay: fc.constantFrom(true, false, null),
      deleted: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (specs) => {
        const rows = specs.map((r) =>
          prediction({ projectedPoints: r.projected, floor: r.projected - r.spread, ceiling: r.projected + r.spread, actualPoints: r.actual, didPlay: r.didPlay, deleted: r.deleted }),
        );
        const kept = rows.filter((p) => !p.deleted && p.didPlay === true && p.actualPoints !== null);
        const s = summarizePoints(rows);
        const m = pointsMetrics(kept.map((p) => p.actualPoints as number), kept.map((p) => p.projectedPoints), kept.map((p) => p.floor), kept.map((p) => p.ceiling));
        const errors = kept.map((p) => (p.actualPoints as number) - p.projectedPoints);
        expect(s.count).toBe(kept.length);
        expect(s.mae).toBe(kept.length ? m.mae : null);
        expect(s.rmse).toBe(kept.length ? m.rmse : null);
        expect(s.bias).toBe(kept.length ? m.bias : null);
        expect(s.hitRate).toBe(kept.length ? m.coverage80 : null);
        expect([s.over, s.under, s.push]).toEqual([errors.filter((e) => e > 0).length, errors.filter((e) => e < 0).length, errors.filter((e) => e === 0).length]);
      }),
    );
  });
});
