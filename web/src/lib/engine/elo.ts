// Team Elo in the FiveThirtyEight NBA style: K = 20, home edge 100 points, margin-of-victory
// multiplier damped for favourites (so blowouts by strong teams don't inflate them), and a 1/4
// regression to the mean between seasons (rosters change).
import { seasonOf } from '../domain/dates';
import type { Game, IsoDate } from '../domain/types';

export const ELO_START = 1500;
export const ELO_K = 20;
export const ELO_HOME_ADVANTAGE = 100;
export const ELO_SEASON_REGRESSION = 0.25;
/** Elo points per point of margin (538's NBA conversion). */
export const ELO_POINTS_PER_MARGIN = 28;

export interface GameForecast {
  homeWinProb: number;
  projectedMargin: number;
  homeElo: number;
  awayElo: number;
}

/** Expected score of a side that is `diff` Elo points stronger (home edge already included). */
export function eloExpected(diff: number): number {
  return 1 / (1 + 10 ** (-diff / 400));
}

/** 538's margin-of-victory multiplier; `winnerDiff` = winner's Elo minus loser's, incl. home edge. */
export function movMultiplier(margin: number, winnerDiff: number): number {
  return (Math.abs(margin) + 3) ** 0.8 / (7.5 + 0.006 * winnerDiff);
}

/** Home team's rating change after one game (the away team changes by the opposite). */
export function eloShift(homeElo: number, awayElo: number, homeScore: number, awayScore: number): number {
  const diff = homeElo + ELO_HOME_ADVANTAGE - awayElo;
  const homeWon = homeScore > awayScore;
  const mult = movMultiplier(homeScore - awayScore, homeWon ? diff : -diff);
  return ELO_K * mult * ((homeWon ? 1 : 0) - eloExpected(diff));
}

function regress(ratings: Map<string, number>): void {
  for (const [id, r] of ratings) ratings.set(id, ELO_START + (1 - ELO_SEASON_REGRESSION) * (r - ELO_START));
}

/** Ratings as of the start of `beforeDate` from every final game strictly before it. */
export function buildEloRatings(finalGames: Game[], beforeDate: IsoDate): Map<string, number> {
  const games = finalGames
    .filter((g) => g.status === 'final' && g.date < beforeDate && g.homeScore !== null && g.awayScore !== null)
    .sort((a, b) => a.date.localeCompare(b.date) || a.tipoff.localeCompare(b.tipoff) || a.id.localeCompare(b.id));
  const ratings = new Map<string, number>();
  let season: string | null = null;
  for (const g of games) {
    const s = seasonOf(g.date);
    if (season !== null && s !== season) regress(ratings);
    season = s;
    const home = ratings.get(g.homeTeamId) ?? ELO_START;
    const away = ratings.get(g.awayTeamId) ?? ELO_START;
    const shift = eloShift(home, away, g.homeScore!, g.awayScore!);
    ratings.set(g.homeTeamId, home + shift);
    ratings.set(g.awayTeamId, away - shift);
  }
  // Forecasting into a new season: its games start from regressed ratings too.
  if (season !== null && seasonOf(beforeDate) !== season) regress(ratings);
  return ratings;
}

export function forecastGame(homeTeamId: string, awayTeamId: string, ratings: Map<string, number>): GameForecast {
  const homeElo = ratings.get(homeTeamId) ?? ELO_START;
  const awayElo = ratings.get(awayTeamId) ?? ELO_START;
  const diff = homeElo + ELO_HOME_ADVANTAGE - awayElo;
  return {
    homeWinProb: eloExpected(diff),
    projectedMargin: Math.round((diff / ELO_POINTS_PER_MARGIN) * 10) / 10,
    homeElo,
    awayElo,
  };
}
