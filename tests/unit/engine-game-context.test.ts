// Engine v3.1's game-context factors by hand: the net-rating pull from Elo's margin, the back-to-back
// penalty, the pull toward tonight's projected players' margin, the last-game dates they read, and how forecastGame adds them (and logs them).
import { describe, expect, it } from 'vitest';
import {
  forecastGame,
  GAME_CONTEXT_PARAMS,
  gameContextAdjustment,
  lastGameDates,
  lineupPoints,
  onBackToBack,
  shrunkNetRating,
  type LeagueContext,
} from '../../web/src/lib/engine/index';
import { eloExpected } from '../../web/src/lib/engine/elo';
import type { Game } from '../../web/src/lib/domain/types';

const P = {
  netWeight: 0.5, netShrinkGames: 10, netHomeEdge: 2, backToBackPoints: 1.5,
  lineupPointsWeight: 0.4, lineupPointsScale: 0.5, lineupPointsHomeEdge: 1, minTeamGames: 10,
};
/** BOS +10 per game over 10 games, NYK −2 per game over 30. */
const league: LeagueContext = {
  leaguePointsPerTeamGame: 115,
  teams: new Map([
    ['BOS', { games: 10, pointsFor: 1200, pointsAgainst: 1100 }],
    ['NYK', { games: 30, pointsFor: 3400, pointsAgainst: 3460 }],
  ]),
};
const ratings = new Map([['BOS', 1556], ['NYK', 1500]]);
const elo = { k: 20, homeAdvantage: 56, seasonRegression: 0.25 };

function game(id: string, date: string, home: string, away: string, status: Game['status'] = 'final'): Game {
  return { id, date, tipoff: `${date}T23:00:00Z`, homeTeamId: home, awayTeamId: away, status, homeScore: 100, awayScore: 90 } as Game;
}

describe('engine v3.1: net rating and rest in the game model', () => {
  it('net rating shrunk by games: +10 × 10/20 = 5, −2 × 30/40 = −1.5, 0 without games', () => {
    expect(shrunkNetRating('BOS', league, P)).toBe(5);
    expect(shrunkNetRating('NYK', league, P)).toBe(-1.5);
    expect(shrunkNetRating('LAL', league, P)).toBe(0);
  });

  it('moves netWeight of the way from the Elo margin to the net-rating margin; back-to-backs cost points', () => {
    // Elo margin (1556 + 56 − 1500) / 28 = 4; net margin 5 − (−1.5) + 2 = 8.5; 0.5 × (8.5 − 4) = 2.25.
    const lastGame = new Map([['BOS', '2025-11-09'], ['NYK', '2025-11-10']]);
    const a = gameContextAdjustment({ homeTeamId: 'BOS', awayTeamId: 'NYK', date: '2025-11-11', league, ratings, lastGame, eloParams: elo }, P);
    expect(a.netRating).toBeCloseTo(2.25, 10);
    expect(a.rest).toBe(1.5); // the visitors played yesterday, the hosts did not
    expect(a.lineupPoints).toBe(0); // no lineup points given
    const both = gameContextAdjustment({ homeTeamId: 'BOS', awayTeamId: 'NYK', date: '2025-11-10', league, ratings, lastGame: new Map([['BOS', '2025-11-09'], ['NYK', '2025-11-09']]), eloParams: elo }, P);
    expect(both.rest).toBe(0);
    const homeTired = gameContextAdjustment({ homeTeamId: 'BOS', awayTeamId: 'NYK', date: '2025-11-10', league, ratings, lastGame: new Map([['BOS', '2025-11-09']]), eloParams: elo }, P);
    expect(homeTired.rest).toBe(-1.5);
  });

  it('no net-rating pull until both teams have played this season', () => {
    const a = gameContextAdjustment({ homeTeamId: 'BOS', awayTeamId: 'LAL', date: '2025-11-11', league, ratings, lastGame: new Map(), eloParams: elo }, P);
    expect(a).toEqual({ netRating: 0, rest: 0, lineupPoints: 0 });
  });

  it('lineup points: a share of the way from the margin so far to the projected players\' margin', () => {
    const lineupPts = lineupPoints([
      { projectedPoints: 30, chance: 1 },
      { projectedPoints: 20, chance: 0.5 },
      { projectedPoints: 12, chance: 0 },
    ]);
    expect(lineupPts).toBe(40); // 30 + 0.5 × 20
    const lastGame = new Map([['NYK', '2025-11-10']]);
    const base = { homeTeamId: 'BOS', awayTeamId: 'NYK', date: '2025-11-11', league, ratings, lastGame, eloParams: elo, lineupAdjustment: 0.25 };
    // So far: Elo 4 + lineup values 0.25 + net rating 2.25 + rest 1.5 = 8; own: 0.5 × (110 − 100) + 1 = 6;
    // 0.4 × (6 − 8) = −0.8.
    const a = gameContextAdjustment({ ...base, homeLineupPoints: 110, awayLineupPoints: 100 }, P);
    expect(a.lineupPoints).toBeCloseTo(-0.8, 10);
    // Before both teams have played minTeamGames games (BOS 10, NYK 30; ask for 11): off.
    expect(gameContextAdjustment({ ...base, homeLineupPoints: 110, awayLineupPoints: 100 }, { ...P, minTeamGames: 11 }).lineupPoints).toBe(0);
  });

  it('a back-to-back is the day after a game of the same season only', () => {
    expect(onBackToBack('2025-11-10', '2025-11-11')).toBe(true);
    expect(onBackToBack('2025-11-09', '2025-11-11')).toBe(false);
    expect(onBackToBack(undefined, '2025-11-11')).toBe(false);
    // Seasons turn over on August 1: a day apart, but not the same season.
    expect(onBackToBack('2025-07-31', '2025-08-01')).toBe(false);
  });

  it('last game dates: latest final game strictly before the date, per team', () => {
    const games = [
      game('1', '2025-11-08', 'BOS', 'NYK'),
      game('2', '2025-11-10', 'NYK', 'LAL'),
      game('3', '2025-11-11', 'BOS', 'LAL'), // on the date: not yet
      game('4', '2025-11-09', 'BOS', 'MIA', 'scheduled'),
    ];
    expect(Object.fromEntries(lastGameDates(games, '2025-11-11'))).toEqual({ BOS: '2025-11-08', NYK: '2025-11-10', LAL: '2025-11-10' });
  });

  it('forecastGame adds lineup, net-rating and rest points to the Elo margin and logs each', () => {
    const f = forecastGame('BOS', 'NYK', ratings, elo, 0.5, { netRating: 2.25, rest: 1.5, lineupPoints: -1 });
    // (1556 + 56 − 1500) + (0.5 + 2.25 + 1.5 − 1) × 28 = 112 + 91 = 203 Elo points.
    expect(f.homeWinProb).toBeCloseTo(eloExpected(203), 12);
    expect(f.projectedMargin).toBe(7.3); // 203 / 28 = 7.25
    expect([f.lineupAdjustment, f.netRatingAdjustment, f.restAdjustment, f.lineupPointsAdjustment]).toEqual([0.5, 2.25, 1.5, -1]);
    const plain = forecastGame('BOS', 'NYK', ratings, elo);
    expect([plain.netRatingAdjustment, plain.restAdjustment, plain.lineupPointsAdjustment, plain.projectedMargin]).toEqual([0, 0, 0, 4]);
  });

  it('shipped parameters are on (fitted on 2022-23)', () => {
    expect(GAME_CONTEXT_PARAMS.netWeight).toBeGreaterThan(0);
    expect(GAME_CONTEXT_PARAMS.backToBackPoints).toBeGreaterThan(0);
  });
});
