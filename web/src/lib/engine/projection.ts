// Player points projection, v1: a shrunk blend of season average and recent form, adjusted for the
// matchup. Uses only games strictly before the game date, so a logged projection can be reproduced.
import { daysBetween, previousSeason, seasonOf } from '../domain/dates';
import type { IsoDate, PlayerGameLog, ProjectionFactors } from '../domain/types';
import type { LeagueContext } from './league-context';

export const MODEL_VERSION = 'v1.0.0';

// Blend weights for current-season form (they sum to 1 in each case).
const FORM_WEIGHTS = { full: { season: 0.65, last5: 0.2, last3: 0.15 }, short: { season: 0.6, last3: 0.4 } };
/** Weight of the vs-opponent average when there are at least VS_OPP_MIN_GAMES meetings. */
export const VS_OPP_WEIGHT = 0.1;
export const VS_OPP_MIN_GAMES = 2;
/** The previous season counts as up to this many current-season games. */
export const PRIOR_SEASON_GAMES = 5;
/** Without a previous season, shrink toward a typical player's scoring, worth this many games. */
export const LEAGUE_PRIOR_GAMES = 1;
/** Average points of a player who gets on the floor (~114.5 team points / ~10.6 players). */
export const LEAGUE_TYPICAL_POINTS = 10.8;
/** Team adjustments are shrunk as games / (games + this). */
export const TEAM_SHRINK_GAMES = 10;
/** An opponent's own scoring speaks to tempo only in part (the rest is efficiency): half weight. */
export const PACE_WEIGHT = 0.5;
export const HOME_FACTOR = 1.01;
export const AWAY_FACTOR = 0.99;
export const BACK_TO_BACK_FACTOR = 0.97;
// Game-to-game points SD ≈ a + b·mean across NBA players (real 2022-24 box scores); the prior for a
// player's own spread, worth SD_PRIOR_GAMES games.
export const SD_PRIOR = { a: 3.4, b: 0.21 };
export const SD_PRIOR_GAMES = 5;
/** z for an 80% central interval. */
export const Z80 = 1.2816;

export interface ProjectionRequest {
  playerId: string;
  playerName: string;
  teamId: string;
  opponentId: string;
  home: boolean;
  gameId: string;
  gameDate: IsoDate;
  history: PlayerGameLog[];
  league: LeagueContext;
}

export interface PlayerProjection {
  playerId: string;
  playerName: string;
  teamId: string;
  opponentId: string;
  gameId: string;
  gameDate: IsoDate;
  projectedPoints: number;
  floor: number;
  ceiling: number;
  /** 0..1 */
  confidence: number;
  factors: ProjectionFactors;
  modelVersion: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const lastMean = (xs: number[], n: number) => (xs.length >= n ? mean(xs.slice(-n)) : null);

/** 1 + (raw - 1) shrunk by the sample size, so a team with two games barely moves a projection. */
function shrinkRatio(raw: number, games: number): number {
  return 1 + (raw - 1) * (games / (games + TEAM_SHRINK_GAMES));
}

/** Opponent points allowed per game relative to the league. */
export function opponentDefenceFactor(opponentId: string, league: LeagueContext): number {
  const t = league.teams.get(opponentId);
  if (!t || t.games === 0 || league.leaguePointsPerTeamGame <= 0) return 1;
  return shrinkRatio(t.pointsAgainst / t.games / league.leaguePointsPerTeamGame, t.games);
}

/** Opponent's own scoring relative to the league, half-weighted: fast teams add possessions for both sides. */
export function paceFactor(opponentId: string, league: LeagueContext): number {
  const t = league.teams.get(opponentId);
  if (!t || t.games === 0 || league.leaguePointsPerTeamGame <= 0) return 1;
  const raw = t.pointsFor / t.games / league.leaguePointsPerTeamGame;
  return shrinkRatio(1 + (raw - 1) * PACE_WEIGHT, t.games);
}

const byDate = (a: PlayerGameLog, b: PlayerGameLog) => a.date.localeCompare(b.date) || a.gameId.localeCompare(b.gameId);

export function projectPlayer(req: ProjectionRequest): PlayerProjection | null {
  const season = seasonOf(req.gameDate);
  // Leakage guard: only this player's rows from before the game date ever reach the model.
  const past = req.history.filter((r) => r.playerId === req.playerId && r.date < req.gameDate).sort(byDate);
  const played = past.filter((r) => r.played);
  if (played.length === 0) return null;

  const current = played.filter((r) => seasonOf(r.date) === season).map((r) => r.points);
  const prior = played.filter((r) => seasonOf(r.date) === previousSeason(season)).map((r) => r.points);
  const n = current.length;

  const seasonAvg = n > 0 ? mean(current) : null;
  const last3Avg = lastMean(current, 3);
  const last5Avg = lastMean(current, 5);
  let form: number | null = null;
  if (seasonAvg !== null) {
    if (last5Avg !== null && last3Avg !== null) {
      const w = FORM_WEIGHTS.full;
      form = w.season * seasonAvg + w.last5 * last5Avg + w.last3 * last3Avg;
    } else if (last3Avg !== null) {
      form = FORM_WEIGHTS.short.season * seasonAvg + FORM_WEIGHTS.short.last3 * last3Avg;
    } else {
      form = seasonAvg;
    }
  }

  // Meetings with this opponent this season and last: a small nudge, only with a real sample.
  const vsOpp = played
    .filter((r) => r.opponentId === req.opponentId && (seasonOf(r.date) === season || seasonOf(r.date) === previousSeason(season)))
    .map((r) => r.points);
  const vsOppAvg = vsOpp.length > 0 ? mean(vsOpp) : null;
  if (form !== null && vsOppAvg !== null && vsOpp.length >= VS_OPP_MIN_GAMES) {
    form = (1 - VS_OPP_WEIGHT) * form + VS_OPP_WEIGHT * vsOppAvg;
  }

  // Shrink toward last season (else any older season, else a typical player).
  const older = played.filter((r) => seasonOf(r.date) < season).map((r) => r.points);
  const priorMean = prior.length > 0 ? mean(prior) : older.length > 0 ? mean(older) : LEAGUE_TYPICAL_POINTS;
  const priorWeight = prior.length > 0 ? Math.min(PRIOR_SEASON_GAMES, prior.length) : LEAGUE_PRIOR_GAMES;
  const base = form === null ? priorMean : (n * form + priorWeight * priorMean) / (n + priorWeight);

  const oppDefFactor = opponentDefenceFactor(req.opponentId, req.league);
  const pace = paceFactor(req.opponentId, req.league);
  const last = past[past.length - 1];
  // Rest counts DNP rows too (the team still played); only meaningful within the season.
  const restDays = last && seasonOf(last.date) === season ? daysBetween(last.date, req.gameDate) - 1 : null;
  const restFactor = restDays === 0 ? BACK_TO_BACK_FACTOR : 1;
  const projected = base * oppDefFactor * pace * (req.home ? HOME_FACTOR : AWAY_FACTOR) * restFactor;

  // Spread: the player's own SD (this season) shrunk toward the league relation of SD to mean.
  const priorSd = SD_PRIOR.a + SD_PRIOR.b * projected;
  let variance = priorSd * priorSd;
  if (n >= 2) {
    const ss = current.reduce((acc, x) => acc + (x - seasonAvg!) ** 2, 0);
    variance = (ss + SD_PRIOR_GAMES * priorSd * priorSd) / (n - 1 + SD_PRIOR_GAMES);
  }
  const sd = Math.sqrt(variance);

  const projectedPoints = round1(projected);
  // More games (last season counts half) and a steadier scorer mean more confidence.
  const sample = n + 0.5 * Math.min(prior.length, 20);
  const cv = sd / Math.max(projected, 1);
  const confidence = round2((sample / (sample + 8)) * (1 / (1 + cv)));

  return {
    playerId: req.playerId,
    playerName: req.playerName,
    teamId: req.teamId,
    opponentId: req.opponentId,
    gameId: req.gameId,
    gameDate: req.gameDate,
    projectedPoints,
    floor: Math.max(0, round1(projected - Z80 * sd)),
    ceiling: round1(projected + Z80 * sd),
    confidence,
    factors: {
      gamesPlayed: n,
      seasonAvg: seasonAvg === null ? null : round2(seasonAvg),
      last3Avg: last3Avg === null ? null : round2(last3Avg),
      last5Avg: last5Avg === null ? null : round2(last5Avg),
      vsOppAvg: vsOppAvg === null ? null : round2(vsOppAvg),
      vsOppGames: vsOpp.length,
      oppDefFactor: round3(oppDefFactor),
      paceFactor: round3(pace),
      home: req.home,
      restDays,
    },
    modelVersion: MODEL_VERSION,
  };
}
