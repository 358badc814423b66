// Team Elo in the FiveThirtyEight NBA style: margin-of-victory multiplier damped for favourites (so
// blowouts by strong teams don't inflate them), a home edge, and regression to the mean between
// seasons (rosters change). v2 keeps the method and retunes K, the home edge and the carry-over on
// 2022-23 (checked on 2023-24). The update is incremental (`EloState`), so a day-by-day walk over a
// season costs one update per game; `buildEloRatings` is the same update run over a list.
import { seasonOf } from '../domain/dates';
import type { Game, IsoDate } from '../domain/types';

export interface EloParams {
  /** Rating change scale per game. */
  k: number;
  /** Home edge in Elo points. */
  homeAdvantage: number;
  /** Share of a team's distance from 1500 lost between seasons. */
  seasonRegression: number;
}

export const ELO_START = 1500;
/** v2: K and home edge fitted on 2022-23 (Brier); the carry-over stays 538's (needs two seasons to fit). */
export const ELO_PARAMS: Readonly<EloParams> = Object.freeze({ k: 20, homeAdvantage: 60, seasonRegression: 0.25 });
/** FiveThirtyEight's published NBA Elo settings (engine v1): the "plain Elo" baseline. */
export const PLAIN_ELO_PARAMS: Readonly<EloParams> = Object.freeze({ k: 20, homeAdvantage: 100, seasonRegression: 0.25 });
export const ELO_K = ELO_PARAMS.k;
export const ELO_HOME_ADVANTAGE = ELO_PARAMS.homeAdvantage;
export const ELO_SEASON_REGRESSION = ELO_PARAMS.seasonRegression;
/** Elo points per point of margin (538's NBA conversion). */
export const ELO_POINTS_PER_MARGIN = 28;

export interface GameForecast {
  homeWinProb: number;
  projectedMargin: number;
  homeElo: number;
  awayElo: number;
  /** v3: points of home margin added for who is out tonight (lineup.ts), 0 without lineups. */
  lineupAdjustment: number;
  /** v3.1 (game-context.ts): points of home margin from this season's net ratings and from rest (back-to-backs). */
  netRatingAdjustment: number;
  restAdjustment: number;
  /** v3.1: points of home margin toward the margin of tonight's projected players' points. */
  lineupPointsAdjustment: number;
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
export function eloShift(
  homeElo: number,
  awayElo: number,
  homeScore: number,
  awayScore: number,
  params: Readonly<EloParams> = ELO_PARAMS,
): number {
  const diff = homeElo + params.homeAdvantage - awayElo;
  const homeWon = homeScore > awayScore;
  const mult = movMultiplier(homeScore - awayScore, homeWon ? diff : -diff);
  return params.k * mult * ((homeWon ? 1 : 0) - eloExpected(diff));
}

/** Running ratings: feed final games in date order with `eloApplyGame`, read with `eloRatingsAt`. */
export interface EloState {
  ratings: Map<string, number>;
  /** Season of the last game applied. */
  season: string | null;
  params: Readonly<EloParams>;
}

export function createEloState(params: Readonly<EloParams> = ELO_PARAMS): EloState {
  return { ratings: new Map(), season: null, params };
}

function regress(ratings: Map<string, number>, share: number): void {
  for (const [id, r] of ratings) ratings.set(id, ELO_START + (1 - share) * (r - ELO_START));
}

/** Apply one final game (games must come in date order). */
export function eloApplyGame(state: EloState, date: IsoDate, homeTeamId: string, awayTeamId: string, homeScore: number, awayScore: number): void {
  const s = seasonOf(date);
  if (state.season !== null && s !== state.season) regress(state.ratings, state.params.seasonRegression);
  state.season = s;
  const home = state.ratings.get(homeTeamId) ?? ELO_START;
  const away = state.ratings.get(awayTeamId) ?? ELO_START;
  const shift = eloShift(home, away, homeScore, awayScore, state.params);
  state.ratings.set(homeTeamId, home + shift);
  state.ratings.set(awayTeamId, away - shift);
}

/** Ratings to forecast games on `date` (a copy; regressed if `date` opens a new season). */
export function eloRatingsAt(state: EloState, date: IsoDate): Map<string, number> {
  const ratings = new Map(state.ratings);
  if (state.season !== null && seasonOf(date) !== state.season) regress(ratings, state.params.seasonRegression);
  return ratings;
}

/** Ratings as of the start of `beforeDate` from every final game strictly before it. */
export function buildEloRatings(finalGames: Game[], beforeDate: IsoDate, params: Readonly<EloParams> = ELO_PARAMS): Map<string, number> {
  const games = finalGames
    .filter((g) => g.status === 'final' && g.date < beforeDate && g.homeScore !== null && g.awayScore !== null)
    .sort((a, b) => a.date.localeCompare(b.date) || a.tipoff.localeCompare(b.tipoff) || a.id.localeCompare(b.id));
  const state = createEloState(params);
  for (const g of games) eloApplyGame(state, g.date, g.homeTeamId, g.awayTeamId, g.homeScore!, g.awayScore!);
  // Forecasting into a new season: its games start from regressed ratings too.
  return eloRatingsAt(state, beforeDate);
}

export function forecastGame(
  homeTeamId: string,
  awayTeamId: string,
  ratings: Map<string, number>,
  params: Readonly<EloParams> = ELO_PARAMS,
  lineupAdjustment = 0,
  context: { netRating: number; rest: number; lineupPoints?: number } = { netRating: 0, rest: 0 },
): GameForecast {
  const homeElo = ratings.get(homeTeamId) ?? ELO_START;
  const awayElo = ratings.get(awayTeamId) ?? ELO_START;
  const margin = lineupAdjustment + context.netRating + context.rest + (context.lineupPoints ?? 0);
  const diff = homeElo + params.homeAdvantage - awayElo + margin * ELO_POINTS_PER_MARGIN;
  return {
    homeWinProb: eloExpected(diff),
    projectedMargin: Math.round((diff / ELO_POINTS_PER_MARGIN) * 10) / 10,
    homeElo,
    awayElo,
    lineupAdjustment: Math.round(lineupAdjustment * 100) / 100,
    netRatingAdjustment: Math.round(context.netRating * 100) / 100,
    restAdjustment: Math.round(context.rest * 100) / 100,
    lineupPointsAdjustment: Math.round((context.lineupPoints ?? 0) * 100) / 100,
  };
}
