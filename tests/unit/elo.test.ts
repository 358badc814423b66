import { describe, expect, it } from 'vitest';
import { buildEloRatings, createEloState, ELO_PARAMS, eloApplyGame, eloRatingsAt, forecastGame, PLAIN_ELO_PARAMS } from '../../web/src/lib/engine/index';
import { eloExpected, eloShift, movMultiplier } from '../../web/src/lib/engine/elo';
import type { Game } from '../../web/src/lib/domain/types';

function game(date: string, home: string, away: string, hs: number | null, as: number | null, status: Game['status'] = 'final'): Game {
  return { id: `${date}-${away}-${home}`, date, tipoff: `${date}T23:30:00.000Z`, homeTeamId: home, awayTeamId: away, status, homeScore: hs, awayScore: as };
}

// The hand-computed cases use FiveThirtyEight's settings (engine v1, now the "plain Elo" baseline);
// v2 keeps the method with a retuned home edge, checked separately below.
const P = PLAIN_ELO_PARAMS;

describe('Elo v2 parameters', () => {
  it('K 20, home edge 60, 1/4 regression', () => {
    expect(ELO_PARAMS).toEqual({ k: 20, homeAdvantage: 60, seasonRegression: 0.25 });
    // 1 / (1 + 10^(-60/400)) = 0.585499; margin 60 / 28 = 2.14 -> 2.1
    const f = forecastGame('BOS', 'NYK', new Map());
    expect(f.homeWinProb).toBeCloseTo(0.585499, 5);
    expect(f.projectedMargin).toBe(2.1);
    // Home win by 10: mult = 13^0.8 / (7.5 + 0.36) = 0.990222; shift = 20 * 0.990222 * (1 - 0.585499) = 8.208963
    expect(eloShift(1500, 1500, 110, 100)).toBeCloseTo(8.208963, 4);
  });

  it('the incremental state matches buildEloRatings, including the season change', () => {
    const games = [game('2025-03-01', 'BOS', 'NYK', 110, 100), game('2025-03-03', 'NYK', 'LAL', 99, 120), game('2025-10-25', 'LAL', 'BOS', 101, 100)];
    const s = createEloState();
    for (const g of games) eloApplyGame(s, g.date, g.homeTeamId, g.awayTeamId, g.homeScore!, g.awayScore!);
    for (const d of ['2025-10-26', '2026-10-20']) expect([...eloRatingsAt(s, d).entries()].sort()).toEqual([...buildEloRatings(games, d).entries()].sort());
  });
});

describe('Elo forecast', () => {
  it('equal ratings with home advantage give 0.64 and a 3.6-point margin', () => {
    const f = forecastGame('BOS', 'NYK', new Map(), P);
    // 1 / (1 + 10^(-100/400)) = 0.640065
    expect(f.homeWinProb).toBeCloseTo(0.640065, 5);
    // 100 / 28 = 3.571 -> 3.6
    expect(f.projectedMargin).toBe(3.6);
    expect(f.homeElo).toBe(1500);
    expect(f.awayElo).toBe(1500);
  });

  it('a 200-point stronger away team is favoured', () => {
    const f = forecastGame('BOS', 'NYK', new Map([['BOS', 1400], ['NYK', 1600]]), P);
    // diff = 1400 + 100 - 1600 = -100 -> 1 - 0.640065; margin -100/28 = -3.57 -> -3.6
    expect(f.homeWinProb).toBeCloseTo(0.359935, 5);
    expect(f.projectedMargin).toBe(-3.6);
  });
});

describe('Elo updates', () => {
  it('home win by 10 between equal teams moves ratings by a hand-computed amount', () => {
    // mult = (10 + 3)^0.8 / (7.5 + 0.006 * 100) = 7.78314 / 8.1 = 0.960881
    expect(movMultiplier(10, 100)).toBeCloseTo(0.960881, 5);
    // shift = 20 * 0.960881 * (1 - 0.640065) = 6.91709
    const shift = eloShift(1500, 1500, 110, 100, P);
    expect(shift).toBeCloseTo(6.91709, 4);
    const r = buildEloRatings([game('2025-11-01', 'BOS', 'NYK', 110, 100)], '2025-11-02', P);
    expect(r.get('BOS')).toBeCloseTo(1506.91709, 4);
    expect(r.get('NYK')).toBeCloseTo(1493.08291, 4);
  });

  it('an away upset costs the home team more than a home win earns', () => {
    // Away wins by 5: winnerDiff = -100, mult = 8^0.8 / (7.5 - 0.6) = 5.27803 / 6.9 = 0.764932;
    // shift = 20 * 0.764932 * (0 - 0.640065) = -9.79213
    expect(eloShift(1500, 1500, 100, 105, P)).toBeCloseTo(-9.79213, 4);
    expect(eloExpected(0)).toBe(0.5);
  });

  it('ignores games on or after the date and games that are not final', () => {
    const games = [
      game('2025-11-01', 'BOS', 'NYK', 110, 100),
      game('2025-11-02', 'BOS', 'NYK', 90, 130), // on the date: excluded
      game('2025-11-01', 'LAL', 'GSW', null, null, 'scheduled'),
      game('2025-11-01', 'MIA', 'ORL', 50, 40, 'live'),
    ];
    const r = buildEloRatings(games, '2025-11-02', P);
    expect(r.get('BOS')).toBeCloseTo(1506.91709, 4);
    expect(r.has('LAL')).toBe(false);
    expect(r.has('MIA')).toBe(false);
  });

  it('regresses 1/4 toward 1500 at a season change', () => {
    const games = [game('2025-03-01', 'BOS', 'NYK', 110, 100)];
    const r = buildEloRatings(games, '2025-10-25', P);
    // 1500 + 0.75 * 6.91709 = 1505.18782
    expect(r.get('BOS')).toBeCloseTo(1505.18782, 4);
    expect(r.get('NYK')).toBeCloseTo(1494.81218, 4);
    // Same season: no regression.
    expect(buildEloRatings(games, '2025-03-05', P).get('BOS')).toBeCloseTo(1506.91709, 4);
  });

  it('is zero-sum and independent of input order', () => {
    const games = [
      game('2025-11-01', 'BOS', 'NYK', 110, 100),
      game('2025-11-03', 'NYK', 'LAL', 120, 99),
      game('2025-11-05', 'LAL', 'BOS', 101, 98),
    ];
    const a = buildEloRatings(games, '2025-12-01');
    const b = buildEloRatings([...games].reverse(), '2025-12-01');
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    const total = [...a.values()].reduce((x, y) => x + y, 0);
    expect(total).toBeCloseTo(1500 * 3, 6);
  });
});
