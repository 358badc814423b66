// Game-model context beyond Elo and the lineups (v3.1), in points of home margin:
//  - net rating: the season's point differential per game (shrunk toward 0 by games played), a faster
//    read of this season's strength than Elo's carry-over; the margin moves netWeight of the way from
//    Elo's margin to the net-rating margin (with its own home edge), once both teams have played.
//  - rest: a team on the second night of a back-to-back loses backToBackPoints.
//  - lineup points: tonight's projected players (Σ chance × projected points, after the team step and the
//    matchup) give a margin of their own, lineupPointsScale × (home − away) + lineupPointsHomeEdge; the
//    margin moves lineupPointsWeight of the way to it from all of the above, once both teams have played
//    minTeamGames games (before that the projections are too young to beat the ratings).
// Fitted on 2022-23 (walk-forward Brier and log loss, known availability; both modes checked there).
// Pure: team totals, ratings and dates in.
import { daysBetween, seasonOf } from '../domain/dates';
import type { Game, IsoDate } from '../domain/types';
import { ELO_PARAMS, ELO_POINTS_PER_MARGIN, ELO_START, type EloParams } from './elo';
import type { LeagueContext } from './league-context';

export interface GameContextParams {
  /** Share of the way from Elo's margin to the net-rating margin (0 = Elo alone). */
  netWeight: number;
  /** Net rating × games / (games + this). */
  netShrinkGames: number;
  /** Home edge of the net-rating margin, points. */
  netHomeEdge: number;
  /** Points of margin a team loses on the second night of a back-to-back. */
  backToBackPoints: number;
  lineupPointsWeight: number;
  lineupPointsScale: number;
  lineupPointsHomeEdge: number;
  minTeamGames: number;
}

export const GAME_CONTEXT_PARAMS: Readonly<GameContextParams> = Object.freeze({
  netWeight: 0.3,
  netShrinkGames: 10,
  netHomeEdge: 2,
  backToBackPoints: 1,
  lineupPointsWeight: 0.3,
  lineupPointsScale: 0.5,
  lineupPointsHomeEdge: 1,
  minTeamGames: 10,
});

/** Points of home margin added by the context, as logged with the forecast. */
export interface GameContextAdjustment {
  netRating: number;
  rest: number;
  lineupPoints: number;
}

export const NO_GAME_CONTEXT: Readonly<GameContextAdjustment> = Object.freeze({ netRating: 0, rest: 0, lineupPoints: 0 });

/** A side's projected points: Σ chance of playing × projected points over its projected players. */
export function lineupPoints(players: readonly { projectedPoints: number; chance: number }[]): number {
  let s = 0;
  for (const p of players) s += p.chance * p.projectedPoints;
  return s;
}

/** A team's point differential per game this season, shrunk by games played (0 without games). */
export function shrunkNetRating(teamId: string, league: LeagueContext, p: Readonly<GameContextParams> = GAME_CONTEXT_PARAMS): number {
  const t = league.teams.get(teamId);
  if (!t || t.games === 0) return 0;
  return ((t.pointsFor - t.pointsAgainst) / t.games) * (t.games / (t.games + p.netShrinkGames));
}

/** Whether a team whose last game was on `lastGame` plays the second night of a back-to-back on `date`. */
export function onBackToBack(lastGame: IsoDate | undefined, date: IsoDate): boolean {
  return lastGame !== undefined && seasonOf(lastGame) === seasonOf(date) && daysBetween(lastGame, date) === 1;
}

/** Each team's latest final game date strictly before `beforeDate`. */
export function lastGameDates(finalGames: readonly Game[], beforeDate: IsoDate): Map<string, IsoDate> {
  const last = new Map<string, IsoDate>();
  for (const g of finalGames) {
    if (g.status !== 'final' || g.date >= beforeDate) continue;
    for (const t of [g.homeTeamId, g.awayTeamId]) if ((last.get(t) ?? '') < g.date) last.set(t, g.date);
  }
  return last;
}

export interface GameContextInput {
  homeTeamId: string;
  awayTeamId: string;
  date: IsoDate;
  /** This season's team totals before `date`. */
  league: LeagueContext;
  /** Elo ratings for `date`. */
  ratings: ReadonlyMap<string, number>;
  /** Each team's last game date before `date`. */
  lastGame: ReadonlyMap<string, IsoDate>;
  eloParams?: Readonly<EloParams>;
  /** Points of home margin the lineup values already add (lineup.ts). */
  lineupAdjustment?: number;
  /** Each side's lineupPoints (omit: no lineup-points term). */
  homeLineupPoints?: number;
  awayLineupPoints?: number;
}

export function gameContextAdjustment(x: GameContextInput, p: Readonly<GameContextParams> = GAME_CONTEXT_PARAMS): GameContextAdjustment {
  const e = x.eloParams ?? ELO_PARAMS;
  const eloMargin = ((x.ratings.get(x.homeTeamId) ?? ELO_START) + e.homeAdvantage - (x.ratings.get(x.awayTeamId) ?? ELO_START)) / ELO_POINTS_PER_MARGIN;
  const netMargin = shrunkNetRating(x.homeTeamId, x.league, p) - shrunkNetRating(x.awayTeamId, x.league, p) + p.netHomeEdge;
  // Without a game this season for either side there is no net rating to move toward.
  const known = (x.league.teams.get(x.homeTeamId)?.games ?? 0) > 0 && (x.league.teams.get(x.awayTeamId)?.games ?? 0) > 0;
  const netRating = known ? p.netWeight * (netMargin - eloMargin) : 0;
  const rest = p.backToBackPoints * ((onBackToBack(x.lastGame.get(x.awayTeamId), x.date) ? 1 : 0) - (onBackToBack(x.lastGame.get(x.homeTeamId), x.date) ? 1 : 0));
  let lineup = 0;
  const seasoned = (x.league.teams.get(x.homeTeamId)?.games ?? 0) >= p.minTeamGames && (x.league.teams.get(x.awayTeamId)?.games ?? 0) >= p.minTeamGames;
  if (seasoned && x.homeLineupPoints !== undefined && x.awayLineupPoints !== undefined) {
    const sofar = eloMargin + (x.lineupAdjustment ?? 0) + netRating + rest;
    const own = p.lineupPointsScale * (x.homeLineupPoints - x.awayLineupPoints) + p.lineupPointsHomeEdge;
    lineup = p.lineupPointsWeight * (own - sofar);
  }
  return { netRating, rest, lineupPoints: lineup };
}
