// Player points projection, v2: projected minutes × points per minute, each an exponentially
// weighted average over the player's games (this season and last, last season down-weighted), then
// adjusted for the matchup (opponent defence and pace, shrunk by games played), home/away and rest.
// v2.1: a team step (projectTeam) shares the team's minutes among the players expected to play and
// pulls the lineup's points per minute toward the team's (usage of missing players goes to the others).
// v3: level calibration (high scorers were projected low: a season's scoring is skewed, so a
// median-seeking fit shrinks everyone, stars most in points), return from an absence in the minutes
// step (minutes and rate factors for the first game back), the minutes vacated by teammates who are out
// logged in the team step, and the player's own value (ownPoints) for the game model's lineup strength.
// v3.1: the level calibration refitted on 2022-23 in both availability modes (slope 0.0025 up to 12 points
// above the pivot, was 0.003 up to 20): lower points MAE in both modes there, and the ≥ 22 ppg tier's bias
// balanced between them (v3.0 over-projected stars when availability is guessed); below the pivot a small
// cut toward the median of a right-skewed low scorer (levelLowSlope).
// v3.2: the team step shares the minutes gap in proportion to minutes^0.25 × room (was minutes × room):
// reserves take more of a missing player's minutes (rebalanceMinutesPower); and a player's minutes averages
// leave out what he got only because regulars sat out in those games (pastAbsenceWeight), since tonight's
// team step hands out tonight's absences anew (logged as detail.team.pastAbsenceMinutes); games for another
// team count at half weight (otherTeamScale). With them, refitted on 2022-23: maxMinutes 40 (was 38) and
// awayFactor 0.99 (was 0.98). Fitting rule: the sum of both availability modes' points MAE on 2022-23 walked
// alone (no prior), scored from 2022-12-01 and over the whole season (scripts/tune-engine.ts); a change is
// kept only if it lowers both modes in both.
// v3.3 (availability guessed, 'recent' mode and the app without a report; 'known' mode is unchanged, byte for
// byte): a player's own projection is "if he plays" all through the team step (ownChanceAsPlaying: his own doubt
// no longer leaves minutes and shots open for himself, which projected a star who had missed a recent game
// high), and the guessed chances are 2022-23's rates of playing by the pattern of the last three team games and
// the absence streak (engine/availability.ts). On 2022-23 walked alone, 'recent': points MAE 4.5689 → 4.5563
// (whole season) and 4.5649 → 4.5496 (from December), every tier's bias smaller over the whole season
// (≥ 22 ppg −0.234 → −0.113; from December 0.010 → 0.154, toward the 'known' mode's 0.280).
// The team step's second look at a player (the past-absence step) redoes only his minutes averages.
// Uses only rows strictly before the game date, so a logged projection can be reproduced.
// Parameters were fitted on 2022-23 and checked on 2023-24 (see docs in scripts/backtest.ts).
import { daysBetween, seasonOf, seasonStart } from '../domain/dates';
import type { IsoDate, PlayerGameLog, ProjectionFactors } from '../domain/types';
import type { LeagueContext } from './league-context';

export const MODEL_VERSION = 'v3.3.0';

export interface ProjectionParams {
  /** Per-game decay of the minutes average (weight of the game k games back = decay^k). */
  minutesDecay: number;
  /** A slower minutes average (role over the longer run), blended in with this weight. */
  minutesSlowDecay: number;
  minutesSlowWeight: number;
  /** Per-game decay of the points-per-minute average. */
  rateDecay: number;
  /** Extra weight multiplier of a previous-season game (rosters and roles change over the summer). */
  priorSeasonScale: number;
  /** Fallback for a player with little history: league-typical minutes, worth this many games. */
  typicalMinutes: number;
  typicalMinutesGames: number;
  /** Fallback points per minute, worth this many minutes. */
  typicalRate: number;
  typicalRateMinutes: number;
  /**
   * Regression to the mean of the minutes average: a short run of low (high) minutes says less than it
   * seems, so move this share of the way to minutesAnchor. Same for points per minute.
   */
  minutesPull: number;
  minutesAnchor: number;
  ratePull: number;
  rateAnchor: number;
  /** Minutes shrink toward 0 by this share of the player's DNP share over his team's last DNP_WINDOW games. */
  dnpMinutesPenalty: number;
  /** A DNP streak of at least this many team games (this season) makes the next game a return. */
  returnMinGames: number;
  /** Minutes of a returning player × this (a minutes restriction, or a rested player's full load). */
  returnMinutesFactor: number;
  /** Points per minute of a returning player × this. */
  returnRateFactor: number;
  /**
   * Level calibration: the projection × (1 + levelSlope · clamp(baseline − levelPivot, 0, levelSpan)).
   * The median-seeking fit shrinks every projection a little; for high scorers that costs points of bias.
   * v3.1 (fitted on 2022-23, points MAE of both availability modes): pivot 15, slope 0.0025, span 12, so
   * the factor tops out at 1.03 from a 27-point baseline; below 15, levelLowSlope (0.006) takes it down to
   * 0.91 at 0.
   */
  levelPivot: number;
  levelSlope: number;
  levelSpan: number;
  /**
   * v3.1, below the pivot: + levelLowSlope · (baseline − levelPivot), a small cut. A low scorer's points
   * are skewed right (a hot night, not a cold one), so the median MAE aims at sits below his average.
   */
  levelLowSlope: number;
  /** Weight of the opponent's points-allowed ratio (1 = proportional). */
  defenceWeight: number;
  /** Weight of the opponent's own scoring ratio (tempo; the rest of it is efficiency). */
  paceWeight: number;
  /** Team adjustments are shrunk as games / (games + this). */
  teamShrinkGames: number;
  /**
   * Players who take the floor outscore their own averages a little (a rising role keeps a player in
   * the rotation, a falling one drops him out of it): a league-wide calibration multiplier.
   */
  calibration: number;
  homeFactor: number;
  awayFactor: number;
  backToBackFactor: number;
  /** Weight of the vs-opponent average (this season and last) from VS_OPP_MIN_GAMES meetings. */
  vsOppWeight: number;
  /** Spread: sd = sdBase + sdPerPoint · projection, blended with the player's own residual-free SD. */
  sdBase: number;
  sdPerPoint: number;
  /** The league spread line is worth this many of the player's games. */
  sdPriorGames: number;
  /**
   * Team step (projectTeam). The total the projected minutes of the players expected to play are
   * rebalanced toward. Fitted on 2022-23 (v2.1: 236, v3 with the level calibration: 232), below the real 241.9 player-minutes per team game there.
   */
  teamMinutes: number;
  /** Minutes counted for an expected player without a game in his history (he still takes minutes). */
  unknownPlayerMinutes: number;
  /** Share of the gap between teamMinutes and the summed projected minutes that is handed out (0 = off). */
  minutesRebalance: number;
  /**
   * The gap is shared in proportion to minutes^rebalanceMinutesPower × room, room = max(0, this − minutes): a 36-minute starter
   * has less room to play more than a 15-minute reserve; a player at or above it keeps his minutes.
   */
  maxMinutes: number;
  /**
   * v3.2: the gap's share is in proportion to minutes^this × room. At 1 (v2.1–v3.1) a reserve's share is
   * small because his minutes are; the end of the rotation takes more of a missing player's minutes than
   * that (0.25, fitted on 2022-23: points MAE 4.4305 → 4.4221 there, known availability, scored from December).
   */
  rebalanceMinutesPower: number;
  /**
   * v3.2, teammates' absences in past games (projectTeam): in each earlier team game this season, the own
   * minutes of the expected teammates with at least pastAbsenceMinMinutes (regulars) who sat it out (a DNP
   * row) are shared among the expected players who played it, as the team step shares tonight's gap
   * (minutes^rebalanceMinutesPower × room); that share × this comes off a player's minutes in that game
   * before his minutes averages. Tonight's team step hands back what tonight's absences leave open, so a
   * reserve who filled in last week is not projected to fill in again when the regular is back.
   * Fitted on 2022-23 (0.6 and 20: points MAE 4.4221 → 4.4163 known, 4.5686 → 4.5674 recent, scored from
   * December); 0 = off.
   */
  pastAbsenceWeight: number;
  pastAbsenceMinMinutes: number;
  /**
   * v3.2: weight multiplier of a game the player played for another team than tonight's (minutes and
   * points-per-minute averages; × priorSeasonScale for last season's). Fitted on 2022-23 (its trades):
   * 0.5, points MAE 4.4163 → 4.4151 known, 4.5674 → 4.5660 recent (scored from December).
   */
  otherTeamScale: number;
  /**
   * v3.3: a player expected at a chance below 1 counts in his own team step at chance + this × (1 − chance):
   * at 1 his projection is "if he plays" all through (his own doubt leaves no minutes and shots open for him),
   * at 0 he counts at his chance there as for his teammates (v2.1–v3.2). Matters only for chances strictly
   * between 0 and 1 (the guess from recent games, or questionable/doubtful/probable on a report).
   */
  ownChanceAsPlaying: number;
  /** Usage: points per minute × (team points per minute / lineup points per minute)^this (0 = off). */
  usageWeight: number;
  /** Bounds of the usage factor. */
  usageMin: number;
  usageMax: number;
}

export const PROJECTION_PARAMS: Readonly<ProjectionParams> = Object.freeze({
  minutesDecay: 0.7,
  minutesSlowDecay: 1,
  minutesSlowWeight: 0.45,
  rateDecay: 0.96,
  priorSeasonScale: 0.5,
  typicalMinutes: 14,
  typicalMinutesGames: 0.05,
  typicalRate: 0.36,
  typicalRateMinutes: 20,
  minutesPull: 0,
  minutesAnchor: 24,
  ratePull: 0,
  rateAnchor: 0.45,
  dnpMinutesPenalty: 0,
  returnMinGames: 2,
  returnMinutesFactor: 0.9,
  returnRateFactor: 1,
  levelPivot: 15,
  levelSlope: 0.0025,
  levelSpan: 12,
  levelLowSlope: 0.006,
  defenceWeight: 1,
  paceWeight: 0,
  teamShrinkGames: 20,
  calibration: 0.99,
  homeFactor: 1,
  awayFactor: 0.99,
  backToBackFactor: 1,
  vsOppWeight: 0,
  sdBase: 3.2,
  sdPerPoint: 0.21,
  sdPriorGames: 5,
  teamMinutes: 232,
  unknownPlayerMinutes: 4,
  minutesRebalance: 1,
  maxMinutes: 40,
  rebalanceMinutesPower: 0.25,
  pastAbsenceWeight: 0.6,
  pastAbsenceMinMinutes: 20,
  otherTeamScale: 0.5,
  ownChanceAsPlaying: 1,
  usageWeight: 0.6,
  usageMin: 0.75,
  usageMax: 1.35,
});

export const VS_OPP_MIN_GAMES = 2;
/** Team games (incl. DNPs) looked at for the DNP share. */
export const DNP_WINDOW = 10;
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
  /** Tuning only (the backtest); the app always uses PROJECTION_PARAMS. */
  params?: Readonly<ProjectionParams>;
}

/** How the projection was built, beyond the logged factors (shown by the app, not stored). */
export interface ProjectionDetail {
  /** Weighted recent minutes, after the DNP adjustment. */
  projectedMinutes: number;
  /** Weighted points per minute. */
  pointsPerMinute: number;
  /** Previous-season points average (null without one). */
  priorSeasonAvg: number | null;
  /** Share of the team's last games the player sat out (this season). */
  dnpShare: number;
  /** Before the matchup adjustments: minutes × points per minute. */
  baseline: number;
  homeFactor: number;
  restFactor: number;
  /** Level calibration multiplier (v3). */
  levelFactor: number;
  /** Team games missed in a row just before this one (this season); a return when ≥ returnMinGames. */
  absenceGames: number;
  /** Minutes and rate factors of the return from an absence (1 when not returning). */
  returnMinutesFactor: number;
  returnRateFactor: number;
  /** The player's own points per game before the team step and matchup (minutes × rate): his value to the lineup. */
  ownPoints: number;
  /** The player's own minutes before the team step. */
  ownMinutes: number;
  /** v3.2: games in his averages played for another team (this season and last), each at otherTeamScale weight. */
  otherTeamGames: number;
  /** SD behind the 80% band. */
  sd: number;
  /** The team step (projectTeam only): how the player's minutes and rate were rebalanced. */
  team?: TeamAdjustment;
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
  detail: ProjectionDetail;
  modelVersion: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** 1 + (raw - 1) shrunk by the sample size, so a team with two games barely moves a projection. */
function shrinkRatio(raw: number, games: number, shrinkGames: number): number {
  return 1 + (raw - 1) * (games / (games + shrinkGames));
}

/** Opponent points allowed per game relative to the league, weighted and shrunk. */
export function opponentDefenceFactor(opponentId: string, league: LeagueContext, p: Readonly<ProjectionParams> = PROJECTION_PARAMS): number {
  const t = league.teams.get(opponentId);
  if (!t || t.games === 0 || league.leaguePointsPerTeamGame <= 0) return 1;
  const raw = t.pointsAgainst / t.games / league.leaguePointsPerTeamGame;
  return shrinkRatio(1 + (raw - 1) * p.defenceWeight, t.games, p.teamShrinkGames);
}

/** Opponent's own scoring relative to the league, part-weighted: fast teams add possessions for both sides. */
export function paceFactor(opponentId: string, league: LeagueContext, p: Readonly<ProjectionParams> = PROJECTION_PARAMS): number {
  const t = league.teams.get(opponentId);
  if (!t || t.games === 0 || league.leaguePointsPerTeamGame <= 0) return 1;
  const raw = t.pointsFor / t.games / league.leaguePointsPerTeamGame;
  return shrinkRatio(1 + (raw - 1) * p.paceWeight, t.games, p.teamShrinkGames);
}

const byDate = (a: PlayerGameLog, b: PlayerGameLog) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.gameId < b.gameId ? -1 : a.gameId > b.gameId ? 1 : 0);

/**
 * The player's rows from before the game date, oldest first. Histories usually arrive in order (the app's
 * query, the backtest's walk), so the sort runs only when they do not; a stable sort leaves ordered rows as
 * they are, so the result is the same either way.
 */
function pastRows(req: ProjectionRequest): PlayerGameLog[] {
  const past: PlayerGameLog[] = [];
  let ordered = true;
  for (const r of req.history) {
    if (r.playerId !== req.playerId || r.date >= req.gameDate) continue;
    if (ordered && past.length > 0 && byDate(past[past.length - 1], r) > 0) ordered = false;
    past.push(r);
  }
  return ordered ? past : past.sort(byDate);
}

/**
 * decay ** k for k = 0, 1, …: the weights of the averages, computed once per decay (the same values as the
 * operator gives, so projections do not change). Grown on demand; a few hundred entries at most (games back).
 */
const powerTables = new Map<number, number[]>();
function powers(decay: number, n: number): number[] {
  let t = powerTables.get(decay);
  if (!t) {
    if (powerTables.size > 64) powerTables.clear(); // tuning runs try many decays
    powerTables.set(decay, (t = []));
  }
  for (let k = t.length; k < n; k++) t.push(decay ** k);
  return t;
}

function avg(xs: number[], from: number): number | null {
  if (xs.length - from <= 0 || from < 0) return null;
  let s = 0;
  for (let i = from; i < xs.length; i++) s += xs[i];
  return s / (xs.length - from);
}

/** Everything projectPlayer works out before the team step; unrounded. */
interface PlayerCore {
  req: ProjectionRequest;
  P: Readonly<ProjectionParams>;
  past: PlayerGameLog[];
  /** First date of the season (seasonStart): a past row is this season's iff its date is on or after it. */
  seasonFrom: IsoDate;
  minutes: number;
  rate: number;
  current: number[];
  priorPts: number;
  priorGames: number;
  vsSum: number;
  vsGames: number;
  dnpShare: number;
  absenceGames: number;
  returning: boolean;
  otherTeamGames: number;
}

/**
 * The minutes step: exponentially weighted minutes (a fast and a slow average), then the DNP and return
 * factors. minutesOff (the past-absence step): game id → minutes the averages leave out of that game (never
 * below 0): what he got only because regulars sat out. Points per minute use the real minutes (projectCore).
 */
function projectedMinutes(
  past: readonly PlayerGameLog[],
  teamId: string,
  seasonFrom: IsoDate,
  dnpShare: number,
  returning: boolean,
  P: Readonly<ProjectionParams>,
  minutesOff?: ReadonlyMap<string, number>,
): number {
  let wm = 0;
  let wmSum = 0;
  let ws = 0;
  let wsSum = 0;
  let kBack = 0;
  const fast = powers(P.minutesDecay, past.length + 1);
  const slow = powers(P.minutesSlowDecay, past.length + 1);
  for (let i = past.length - 1; i >= 0; i--) {
    const r = past[i];
    if (!r.played) continue;
    const scale = r.date >= seasonFrom ? 1 : P.priorSeasonScale;
    // v3.2: games for another team (before a trade or a move in the summer) say less about the role here.
    const teamScale = r.teamId === teamId ? 1 : P.otherTeamScale;
    const w1 = fast[kBack] * scale * teamScale;
    kBack++;
    const off = minutesOff?.get(r.gameId);
    const m = off === undefined ? r.minutes : Math.max(0, r.minutes - off);
    wm += w1 * m;
    wmSum += w1;
    const w3 = slow[kBack] * scale * teamScale;
    ws += w3 * m;
    wsSum += w3;
  }
  const fastMinutes = (wm + P.typicalMinutes * P.typicalMinutesGames) / (wmSum + P.typicalMinutesGames);
  const slowMinutes = (ws + P.typicalMinutes * P.typicalMinutesGames) / (wsSum + P.typicalMinutesGames);
  const avgMinutes = (1 - P.minutesSlowWeight) * fastMinutes + P.minutesSlowWeight * slowMinutes;
  const rawMinutes = avgMinutes + P.minutesPull * (P.minutesAnchor - avgMinutes);
  return rawMinutes * (1 - P.dnpMinutesPenalty * dnpShare) * (returning ? P.returnMinutesFactor : 1);
}

function projectCore(req: ProjectionRequest): PlayerCore | null {
  const P = req.params ?? PROJECTION_PARAMS;
  const season = seasonOf(req.gameDate);
  // Every past row is before the game date, so "this season" is a date comparison (no seasonOf per row).
  const seasonFrom = seasonStart(season);
  // Leakage guard: only this player's rows from before the game date ever reach the model.
  const past = pastRows(req);
  let anyPlayed = false;
  for (const r of past) if (r.played) anyPlayed = true;
  if (!anyPlayed) return null;

  // One backward pass: exponentially weighted points per minute; this season's points; the DNP share.
  let wrPts = 0;
  let wrMin = 0;
  let kBack = 0;
  let otherTeamGames = 0;
  const current: number[] = [];
  let priorPts = 0;
  let priorGames = 0;
  let vsSum = 0;
  let vsGames = 0;
  let teamGames = 0;
  let dnps = 0;
  const rateWeights = powers(P.rateDecay, past.length);
  for (let i = past.length - 1; i >= 0; i--) {
    const r = past[i];
    const thisSeason = r.date >= seasonFrom;
    if (thisSeason && teamGames < DNP_WINDOW) {
      teamGames++;
      if (!r.played) dnps++;
    }
    if (!r.played) continue;
    const scale = thisSeason ? 1 : P.priorSeasonScale;
    const teamScale = r.teamId === req.teamId ? 1 : P.otherTeamScale;
    if (r.teamId !== req.teamId) otherTeamGames++;
    const w2 = rateWeights[kBack] * scale * teamScale;
    kBack++;
    wrPts += w2 * r.points;
    wrMin += w2 * r.minutes;
    if (thisSeason) current.push(r.points);
    else {
      priorPts += r.points;
      priorGames++;
    }
    if (r.opponentId === req.opponentId) {
      vsSum += r.points;
      vsGames++;
    }
  }
  current.reverse(); // oldest first

  const dnpShare = teamGames > 0 ? dnps / teamGames : 0;
  // Back from an absence of 3+ team games (injury, illness): usually eased in.
  let streak = 0;
  for (let i = past.length - 1; i >= 0 && !past[i].played && past[i].date >= seasonFrom; i--) streak++;
  const returning = streak >= P.returnMinGames;
  const minutes = projectedMinutes(past, req.teamId, seasonFrom, dnpShare, returning, P);
  const rateMinutes = wrMin + P.typicalRateMinutes;
  const avgRate = rateMinutes > 0 ? (wrPts + P.typicalRate * P.typicalRateMinutes) / rateMinutes : P.typicalRate;
  const rate = (avgRate + P.ratePull * (P.rateAnchor - avgRate)) * (returning ? P.returnRateFactor : 1);

  return { req, P, past, seasonFrom, minutes, rate, current, priorPts, priorGames, vsSum, vsGames, dnpShare, absenceGames: streak, returning, otherTeamGames };
}

/** The core with its minutes averages leaving out minutesOff (the past-absence step); the rest is unchanged. */
function withMinutesOff(c: PlayerCore, minutesOff: ReadonlyMap<string, number>): PlayerCore {
  return { ...c, minutes: projectedMinutes(c.past, c.req.teamId, c.seasonFrom, c.dnpShare, c.returning, c.P, minutesOff) };
}

/** The team step's change to one player (1 and 1 when there is none). */
export interface TeamAdjustment {
  /** Minutes before the team step. */
  ownMinutes: number;
  /** Projected minutes of every player expected to play, summed before the team step. */
  rosterMinutes: number;
  /** The team's expected minutes total (240 plus the typical overtime share). */
  teamMinutes: number;
  /** Own minutes × this = the projected minutes. */
  minutesFactor: number;
  /** Points per minute × this: the shots of missing players go to the ones who play. */
  usageFactor: number;
  /**
   * Minutes the team's expected players leave open tonight (teamMinutes − rosterMinutes, the vacated
   * minutes of teammates who are out when positive), of which the player takes minutesFactor − 1.
   */
  vacatedMinutes: number;
  /**
   * v3.2: minutes taken off his own minutes because in his recent games he was playing those of regulars
   * who sat out (pastAbsenceWeight); ownMinutes is after it.
   */
  pastAbsenceMinutes: number;
}

function finish(c: PlayerCore, adj: TeamAdjustment | null): PlayerProjection {
  const { req, P, past, current, priorPts, priorGames, vsSum, vsGames, dnpShare } = c;
  const minutes = c.minutes * (adj ? adj.minutesFactor : 1);
  const rate = c.rate * (adj ? adj.usageFactor : 1);
  const n = current.length;
  let base = minutes * rate;
  const vsOppAvg = vsGames > 0 ? vsSum / vsGames : null;
  if (vsOppAvg !== null && vsGames >= VS_OPP_MIN_GAMES && P.vsOppWeight > 0) {
    base = (1 - P.vsOppWeight) * base + P.vsOppWeight * vsOppAvg;
  }

  const oppDefFactor = opponentDefenceFactor(req.opponentId, req.league, P);
  const pace = paceFactor(req.opponentId, req.league, P);
  const last = past[past.length - 1];
  // Rest counts DNP rows too (the team still played); only meaningful within the season.
  const restDays = last && last.date >= c.seasonFrom ? daysBetween(last.date, req.gameDate) - 1 : null;
  const restFactor = restDays === 0 ? P.backToBackFactor : 1;
  const homeFactor = req.home ? P.homeFactor : P.awayFactor;
  const levelFactor = 1 + P.levelSlope * Math.min(P.levelSpan, Math.max(0, base - P.levelPivot)) + P.levelLowSlope * Math.min(0, base - P.levelPivot);
  const projected = P.calibration * levelFactor * base * oppDefFactor * pace * homeFactor * restFactor;

  // Spread: the player's own SD (this season) shrunk toward the league line of SD against projection.
  const priorSd = P.sdBase + P.sdPerPoint * projected;
  let variance = priorSd * priorSd;
  const seasonAvg = avg(current, 0);
  if (n >= 2) {
    let ss = 0;
    for (const x of current) ss += (x - seasonAvg!) ** 2;
    variance = (ss + P.sdPriorGames * priorSd * priorSd) / (n - 1 + P.sdPriorGames);
  }
  const sd = Math.sqrt(variance);

  // More games (last season counts half) and a steadier scorer mean more confidence.
  const sample = n + 0.5 * Math.min(priorGames, 20);
  const cv = sd / Math.max(projected, 1);
  const confidence = round2((sample / (sample + 8)) * (1 / (1 + cv)));

  return {
    playerId: req.playerId,
    playerName: req.playerName,
    teamId: req.teamId,
    opponentId: req.opponentId,
    gameId: req.gameId,
    gameDate: req.gameDate,
    projectedPoints: round1(projected),
    floor: Math.max(0, round1(projected - Z80 * sd)),
    ceiling: round1(projected + Z80 * sd),
    confidence,
    factors: {
      gamesPlayed: n,
      seasonAvg: seasonAvg === null ? null : round2(seasonAvg),
      last3Avg: n >= 3 ? round2(avg(current, n - 3)!) : null,
      last5Avg: n >= 5 ? round2(avg(current, n - 5)!) : null,
      vsOppAvg: vsOppAvg === null ? null : round2(vsOppAvg),
      vsOppGames: vsGames,
      oppDefFactor: round3(oppDefFactor),
      paceFactor: round3(pace),
      home: req.home,
      restDays,
    },
    detail: {
      projectedMinutes: round1(minutes),
      pointsPerMinute: round3(rate),
      priorSeasonAvg: priorGames > 0 ? round2(priorPts / priorGames) : null,
      dnpShare: round2(dnpShare),
      baseline: round2(base),
      homeFactor,
      restFactor,
      levelFactor: round3(levelFactor),
      absenceGames: c.absenceGames,
      returnMinutesFactor: c.returning ? P.returnMinutesFactor : 1,
      returnRateFactor: c.returning ? P.returnRateFactor : 1,
      ownPoints: round2(c.minutes * c.rate),
      ownMinutes: round1(c.minutes),
      otherTeamGames: c.otherTeamGames,
      sd: round2(sd),
      ...(adj
        ? {
            team: {
              ownMinutes: round1(adj.ownMinutes),
              rosterMinutes: round1(adj.rosterMinutes),
              teamMinutes: adj.teamMinutes,
              minutesFactor: round3(adj.minutesFactor),
              usageFactor: round3(adj.usageFactor),
              vacatedMinutes: round1(adj.vacatedMinutes),
              pastAbsenceMinutes: round1(adj.pastAbsenceMinutes),
            },
          }
        : {}),
    },
    modelVersion: MODEL_VERSION,
  };
}

export function projectPlayer(req: ProjectionRequest): PlayerProjection | null {
  const c = projectCore(req);
  return c ? finish(c, null) : null;
}

export interface TeamProjectionOptions {
  /**
   * Who is expected to play. A set: these players are known to play (the injury report at tip-off).
   * A map: each player's chance of playing, 0..1 (the app's guess before tip-off); a player then counts
   * for chance × minutes in the team's total, while his own projection stays "if he plays". Players not
   * listed (or at 0) are projected alone, unadjusted, and take no minutes. Default: every request plays.
   */
  active?: ReadonlySet<string> | ReadonlyMap<string, number>;
  /** Overrides the requests' params (tuning). */
  params?: Readonly<ProjectionParams>;
}

/** Team points per minute of the team so far (shrunk toward the league), the usage target. */
function teamRate(teamId: string, league: LeagueContext, P: Readonly<ProjectionParams>): number {
  const leaguePts = league.leaguePointsPerTeamGame > 0 ? league.leaguePointsPerTeamGame : 0;
  const t = league.teams.get(teamId);
  const pts = t && t.games > 0 ? leaguePts + (t.pointsFor / t.games - leaguePts) * (t.games / (t.games + P.teamShrinkGames)) : leaguePts;
  return pts / P.teamMinutes;
}

/**
 * The past-absence step (pastAbsenceWeight): for each request, game id → minutes he got in that team game
 * only because regulars among the requests sat it out. Own minutes are the first pass's (before the step).
 */
function pastAbsenceMinutes(reqs: readonly ProjectionRequest[], cores: readonly (PlayerCore | null)[], P: Readonly<ProjectionParams>): Map<string, number>[] {
  const games = new Map<string, { played: number[]; vacated: number }>();
  reqs.forEach((r, i) => {
    const c = cores[i];
    if (!c) return;
    for (const row of c.past) {
      if (row.teamId !== r.teamId || row.date < c.seasonFrom) continue;
      let g = games.get(row.gameId);
      if (!g) games.set(row.gameId, (g = { played: [], vacated: 0 }));
      if (row.played) g.played.push(i);
      else if (c.minutes >= P.pastAbsenceMinMinutes) g.vacated += c.minutes;
    }
  });
  const weight = (i: number) => cores[i]!.minutes ** P.rebalanceMinutesPower * Math.max(0, P.maxMinutes - cores[i]!.minutes);
  const off = reqs.map(() => new Map<string, number>());
  for (const [gameId, g] of games) {
    if (g.vacated <= 0) continue;
    let w = 0;
    for (const i of g.played) w += weight(i);
    if (w <= 0) continue;
    for (const i of g.played) off[i].set(gameId, (P.pastAbsenceWeight * g.vacated * weight(i)) / w);
  }
  return off;
}

/**
 * One side of a game: every player projected alone (projectPlayer), then rebalanced as a team.
 * Minutes: the players expected to play share the team's ~240 minutes, so when a regular is out the
 * others' projected minutes rise (and fall when more players than usual are expected). Usage: the
 * lineup's points per minute is pulled toward the team's, so the shots of a missing scorer are taken
 * by the players on the floor. Both changes are in detail.team. Results are in request order; null
 * for a player without a game before the date. All requests must be for the same team and game.
 */
export function projectTeam(requests: ProjectionRequest[], options: TeamProjectionOptions = {}): (PlayerProjection | null)[] {
  if (requests.length === 0) return [];
  const P = options.params ?? requests[0].params ?? PROJECTION_PARAMS;
  const reqs = options.params ? requests.map((r) => ({ ...r, params: options.params })) : requests;
  const firstPass = reqs.map((r) => projectCore(r));
  const teamStep = P.minutesRebalance !== 0 || P.usageWeight !== 0;
  const off = teamStep && P.pastAbsenceWeight > 0 ? pastAbsenceMinutes(reqs, firstPass, P) : null;
  // The second look at a player redoes only his minutes averages (the rest of the core does not depend on it).
  const cores = off ? firstPass.map((c, i) => (c && off[i].size > 0 ? withMinutesOff(c, off[i]) : c)) : firstPass;
  const active = options.active;
  const chance = requests.map((r) => {
    if (!active) return 1;
    if (active instanceof Map) return Math.min(1, Math.max(0, active.get(r.playerId) ?? 0));
    return active.has(r.playerId) ? 1 : 0;
  });
  if (!teamStep) return cores.map((c) => (c ? finish(c, null) : null));

  const target = teamRate(requests[0].teamId, requests[0].league, P);
  const shared = teamStepOf(cores, chance, target, P);
  return cores.map((c, i) => {
    if (!c) return null;
    if (chance[i] === 0) return finish(c, null);
    // v3.3: his own projection is "if he plays", so in his own team step he counts at full chance (his own
    // doubt leaves no minutes or shots open for himself); teammates stay at theirs.
    const own = chance[i] < 1 && P.ownChanceAsPlaying > 0 ? chance[i] + P.ownChanceAsPlaying * (1 - chance[i]) : chance[i];
    const step = own === chance[i] ? shared : teamStepOf(cores, chance.map((x, j) => (j === i ? own : x)), target, P);
    return finish(c, {
      ownMinutes: c.minutes, rosterMinutes: step.rosterMinutes, teamMinutes: P.teamMinutes, minutesFactor: step.factors[i], usageFactor: step.usage,
      vacatedMinutes: P.teamMinutes - step.rosterMinutes, pastAbsenceMinutes: firstPass[i]!.minutes - c.minutes,
    });
  });
}

/** The team step for given chances: the roster's expected minutes, each player's minutes factor, the usage factor. */
function teamStepOf(
  cores: readonly (PlayerCore | null)[],
  chance: readonly number[],
  target: number,
  P: Readonly<ProjectionParams>,
): { rosterMinutes: number; factors: number[]; usage: number } {
  // Minutes: hand out (or take back) a share of the gap, in proportion to minutes^rebalanceMinutesPower × room.
  let rosterMinutes = 0;
  let weights = 0;
  for (let i = 0; i < cores.length; i++) {
    const m = cores[i]?.minutes ?? P.unknownPlayerMinutes;
    rosterMinutes += chance[i] * m;
    weights += chance[i] * m ** P.rebalanceMinutesPower * Math.max(0, P.maxMinutes - m);
  }
  const gap = P.minutesRebalance * (P.teamMinutes - rosterMinutes);
  const factors = cores.map((c, i) => {
    if (!c || chance[i] === 0 || c.minutes <= 0 || weights <= 0) return 1;
    const share = (c.minutes ** P.rebalanceMinutesPower * Math.max(0, P.maxMinutes - c.minutes)) / weights;
    const m = Math.min(48, Math.max(0, c.minutes + gap * share));
    return m / c.minutes;
  });

  // Usage: the lineup's minute-weighted points per minute against the team's.
  let lineupPts = 0;
  let lineupMin = 0;
  for (let i = 0; i < cores.length; i++) {
    const c = cores[i];
    const m = chance[i] * (c ? c.minutes * factors[i] : P.unknownPlayerMinutes);
    lineupPts += m * (c ? c.rate : P.typicalRate);
    lineupMin += m;
  }
  const raw = lineupPts > 0 && target > 0 ? (target / (lineupPts / lineupMin)) ** P.usageWeight : 1;
  return { rosterMinutes, factors, usage: Math.min(P.usageMax, Math.max(P.usageMin, raw)) };
}
