// Walk-forward backtest over one season of player appearances, with the very engine the app runs.
// Day by day: every prediction for a date is made from rows of earlier dates only (and the prior
// season); then that date's results are added to the running state (player histories, team totals,
// Elo). The state is incremental, so a season costs one pass. Pure: rows in, predictions and metrics out.
import { seasonOf } from '../domain/dates';
import type { PlayerGameLog } from '../domain/types';
import {
  addGameToTeams,
  chancesOf,
  expectedAvailability,
  LINEUP_PARAMS,
  lineupChange,
  lineupMarginAdjustment,
  playedShares,
  TYPICAL_GAMES,
  type LineupParams,
  type LineupPlayer,
  type PlayerProjection,
  createEloState,
  eloApplyGame,
  eloRatingsAt,
  forecastGame,
  GAME_CONTEXT_PARAMS,
  gameContextAdjustment,
  lineupPoints,
  type GameContextParams,
  leagueContextFromTeams,
  MODEL_VERSION,
  PLAIN_ELO_PARAMS,
  projectTeam,
  type ProjectionRequest,
  type EloParams,
  type ProjectionParams,
  type TeamTotals,
} from '../engine';
import type { BoxRow } from './csv';
import { gameMetrics, pointsMetrics, tierOf, TIERS, type GameMetrics, type PointsMetrics } from '../metrics';

export interface BacktestOptions {
  /** The season to predict and score. */
  games: BoxRow[];
  /** Earlier rows (normally the previous season): history only, never scored. */
  prior?: BoxRow[];
  /** Tuning hooks; the app uses the engine defaults. */
  projectionParams?: ProjectionParams;
  eloParams?: EloParams;
  lineupParams?: LineupParams;
  gameContextParams?: GameContextParams;
  /**
   * Who the engine treats as playing (the team step and the game model's lineups).
   * 'known' (default): the players who appear in the game, standing in for a complete injury report at
   * tip-off. 'recent': what the app knows without a report, the shared availability rule
   * (engine/availability.ts: each player's chance from his pattern in the team's last RECENT_GAMES games).
   * Scored rows are the same in both (appearances).
   */
  availability?: AvailabilityMode;
}

export type AvailabilityMode = 'known' | 'recent';

export interface PlayerPredictionRow {
  gameId: string;
  date: string;
  playerId: string;
  teamId: string;
  projected: number;
  floor: number;
  ceiling: number;
  actual: number;
  /** The engine's minutes and points-per-minute components, and the minutes actually played. */
  projectedMinutes: number;
  pointsPerMinute: number;
  actualMinutes: number;
  /** Team games the player missed in a row just before this one (this season). */
  absenceGames: number;
  /** His chance of playing as the engine saw it (1 in 'known' mode). */
  chance: number;
  /** Baselines, from this season's earlier games (null before the player's first game). */
  seasonMean: number | null;
  last10Mean: number | null;
}

export interface GamePredictionRow {
  gameId: string;
  date: string;
  homeTeamId: string;
  awayTeamId: string;
  homeWinProb: number;
  projectedMargin: number;
  /** Points of home margin the lineups added (engine v3). */
  lineupAdjustment: number;
  /** Points of home margin from net ratings and rest (engine v3.1). */
  netRatingAdjustment: number;
  restAdjustment: number;
  /** Points of home margin toward the projected players' points margin (engine v3.1). */
  lineupPointsAdjustment: number;
  plainEloHomeWinProb: number;
  /** "Always home": the home win rate of earlier games, shrunk toward HOME_WIN_PRIOR. */
  alwaysHomeProb: number;
  homeScore: number;
  awayScore: number;
}

export interface TierMetrics {
  tier: string;
  n: number;
  engineMae: number;
  /** Mean of (actual − projected) in the tier. */
  engineBias: number;
  seasonMeanMae: number;
  last10MeanMae: number;
}

export interface BacktestMetrics {
  modelVersion: string;
  availability: AvailabilityMode;
  season: string | null;
  priorSeason: string | null;
  points: {
    /** Scored rows: appearances after the player's first game of the season (all predictors on these). */
    n: number;
    /** Predictions made but not scored (a player's first game of the season). */
    unscoredPredictions: number;
    engine: PointsMetrics;
    seasonMean: PointsMetrics;
    last10Mean: PointsMetrics;
    byTier: TierMetrics[];
  };
  games: {
    n: number;
    engine: GameMetrics;
    plainElo: GameMetrics;
    alwaysHome: GameMetrics;
  };
}

export interface BacktestResult {
  players: PlayerPredictionRow[];
  games: GamePredictionRow[];
  metrics: BacktestMetrics;
}

interface DayGame {
  gameId: string;
  rows: BoxRow[];
  scored: boolean;
}

/** Long-run NBA home win share, worth HOME_WIN_PRIOR_GAMES games in the "always home" baseline. */
export const HOME_WIN_PRIOR = 0.58;
export const HOME_WIN_PRIOR_GAMES = 50;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function toLog(r: BoxRow, played: boolean): PlayerGameLog {
  return {
    gameId: r.gameId,
    playerId: r.playerId,
    teamId: r.teamId,
    opponentId: r.opponentId,
    date: r.date,
    home: r.home,
    played,
    // The season files carry no starter flag; the engine does not rely on it.
    starter: false,
    minutes: played ? r.minutes : 0,
    points: played ? r.points : 0,
    rebounds: played ? r.rebounds : 0,
    assists: played ? r.assists : 0,
    threesMade: played ? r.threesMade : 0,
    dnpReason: played ? null : 'DNP',
  };
}

/** Group rows by date (ascending) and game. */
function byDay(prior: BoxRow[], games: BoxRow[]): [string, DayGame[]][] {
  const days = new Map<string, Map<string, DayGame>>();
  const add = (r: BoxRow, scored: boolean) => {
    let day = days.get(r.date);
    if (!day) days.set(r.date, (day = new Map()));
    let g = day.get(r.gameId);
    if (!g) day.set(r.gameId, (g = { gameId: r.gameId, rows: [], scored }));
    g.rows.push(r);
  };
  for (const r of prior) add(r, false);
  for (const r of games) add(r, true);
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, m]) => [date, [...m.values()].sort((a, b) => (a.gameId < b.gameId ? -1 : a.gameId > b.gameId ? 1 : 0))]);
}

function sides(g: DayGame): { home: string; away: string; homeScore: number; awayScore: number } | null {
  const homeRow = g.rows.find((r) => r.home);
  const awayRow = g.rows.find((r) => !r.home);
  const home = homeRow?.teamId ?? awayRow?.opponentId;
  const away = awayRow?.teamId ?? homeRow?.opponentId;
  if (!home || !away) return null;
  let homeScore = 0;
  let awayScore = 0;
  for (const r of g.rows) {
    if (!r.played) continue;
    if (r.teamId === home) homeScore += r.points;
    else if (r.teamId === away) awayScore += r.points;
  }
  return { home, away, homeScore, awayScore };
}

export function runBacktest(opts: BacktestOptions): BacktestResult {
  const mode: AvailabilityMode = opts.availability ?? 'known';
  const lineupParams = opts.lineupParams ?? LINEUP_PARAMS;
  const histories = new Map<string, PlayerGameLog[]>();
  /** `${playerId}|${gameId}` of every appearance so far (the availability rule's lookup). */
  const appearances = new Set<string>();
  const playedIn = (pid: string, gid: string) => appearances.has(`${pid}|${gid}`);
  /** This season's points per player (for the baselines). */
  const seasonPoints = new Map<string, number[]>();
  /** Players whose latest appearance this season was for the team: they get a DNP row when it plays without them. */
  const rosters = new Map<string, Set<string>>();
  const lastTeam = new Map<string, string>();
  /** Each team's last TYPICAL_GAMES game ids this season, oldest first. */
  const recentGames = new Map<string, string[]>();
  let teams = new Map<string, TeamTotals>();
  const elo = createEloState(opts.eloParams);
  const plain = createEloState(PLAIN_ELO_PARAMS);
  let season: string | null = null;
  let homeWins = 0;
  let gamesSeen = 0;
  /** Each team's latest game date (the rest factor). */
  const lastGame = new Map<string, string>();

  const players: PlayerPredictionRow[] = [];
  const gameRows: GamePredictionRow[] = [];
  let unscored = 0;
  const pushHistory = (log: PlayerGameLog) => {
    let h = histories.get(log.playerId);
    if (!h) histories.set(log.playerId, (h = []));
    h.push(log);
  };

  for (const [date, dayGames] of byDay(opts.prior ?? [], opts.games)) {
    const s = seasonOf(date);
    if (s !== season) {
      season = s;
      teams = new Map();
      seasonPoints.clear();
      rosters.clear();
      lastTeam.clear();
      recentGames.clear();
    }
    const scoredToday = dayGames.some((g) => g.scored);
    const league = scoredToday ? leagueContextFromTeams(teams) : null;
    const ratings = scoredToday ? eloRatingsAt(elo, date) : null;
    const plainRatings = scoredToday ? eloRatingsAt(plain, date) : null;
    const results: { g: DayGame; sd: NonNullable<ReturnType<typeof sides>> }[] = [];

    // 1. Predict (state holds only earlier dates).
    for (const g of dayGames) {
      const sd = sides(g);
      if (!sd) continue;
      results.push({ g, sd });
      if (!g.scored) continue;
      const change = new Map<string, number>();
      const sidePoints = new Map<string, number>();
      for (const team of [sd.home, sd.away]) {
        const playing = g.rows.filter((r) => r.played && r.teamId === team);
        const base = playing[0];
        const request = (pid: string, name: string): ProjectionRequest => ({
          playerId: pid, playerName: name, teamId: team, opponentId: team === sd.home ? sd.away : sd.home, home: team === sd.home,
          gameId: g.gameId, gameDate: date, history: histories.get(pid) ?? [], league: league!, params: opts.projectionParams,
        });
        const requests: ProjectionRequest[] = playing.map((r) => request(r.playerId, r.playerName));
        // The roster's other players: not scored, but their value counts in the lineup change (and in
        // 'recent' mode the rule may expect them).
        const ids = new Set(playing.map((r) => r.playerId));
        for (const pid of rosters.get(team) ?? []) if (!ids.has(pid)) requests.push(request(pid, pid));
        const teamGames = recentGames.get(team) ?? [];
        const roster = requests.map((r) => r.playerId);
        const active: Map<string, number> =
          mode === 'known' ? new Map(roster.map((pid) => [pid, ids.has(pid) ? 1 : 0])) : chancesOf(expectedAvailability(roster, teamGames, playedIn));
        const projections = base ? projectTeam(requests, { active }) : [];
        const typical = playedShares(roster, teamGames.slice(-TYPICAL_GAMES), playedIn);
        const lineup: LineupPlayer[] = [];
        projections.forEach((p, i) => {
          if (p) lineup.push(lineupPlayer(p, active.get(requests[i].playerId) ?? 0, typical.get(requests[i].playerId) ?? 0));
        });
        change.set(team, teamGames.length > 0 ? lineupChange(lineup, lineupParams) : 0);
        sidePoints.set(team, lineupPoints(projections.flatMap((p, i) => (p ? [{ projectedPoints: p.projectedPoints, chance: active.get(requests[i].playerId) ?? 0 }] : []))));
        playing.forEach((r, i) => {
          const p = projections[i];
          if (!p) return;
          const pts = seasonPoints.get(r.playerId);
          if (!pts || pts.length === 0) unscored++;
          players.push({
            gameId: r.gameId, date, playerId: r.playerId, teamId: r.teamId, projected: p.projectedPoints, floor: p.floor,
            ceiling: p.ceiling, actual: r.points,
            projectedMinutes: p.detail.projectedMinutes, pointsPerMinute: p.detail.pointsPerMinute, actualMinutes: r.minutes,
            absenceGames: p.detail.absenceGames, chance: active.get(r.playerId) ?? 0,
            seasonMean: pts && pts.length ? mean(pts) : null,
            last10Mean: pts && pts.length ? mean(pts.slice(-10)) : null,
          });
        });
      }
      const adjust = lineupMarginAdjustment(change.get(sd.home) ?? 0, change.get(sd.away) ?? 0, lineupParams);
      const context = gameContextAdjustment(
        {
          homeTeamId: sd.home, awayTeamId: sd.away, date, league: league!, ratings: ratings!, lastGame, eloParams: opts.eloParams,
          lineupAdjustment: adjust, homeLineupPoints: sidePoints.get(sd.home) ?? 0, awayLineupPoints: sidePoints.get(sd.away) ?? 0,
        },
        opts.gameContextParams ?? GAME_CONTEXT_PARAMS,
      );
      const f = forecastGame(sd.home, sd.away, ratings!, opts.eloParams, adjust, context);
      const fp = forecastGame(sd.home, sd.away, plainRatings!, PLAIN_ELO_PARAMS);
      gameRows.push({
        gameId: g.gameId, date, homeTeamId: sd.home, awayTeamId: sd.away, homeWinProb: f.homeWinProb,
        projectedMargin: f.projectedMargin, lineupAdjustment: f.lineupAdjustment,
        netRatingAdjustment: f.netRatingAdjustment, restAdjustment: f.restAdjustment, lineupPointsAdjustment: f.lineupPointsAdjustment, plainEloHomeWinProb: fp.homeWinProb,
        alwaysHomeProb: (homeWins + HOME_WIN_PRIOR * HOME_WIN_PRIOR_GAMES) / (gamesSeen + HOME_WIN_PRIOR_GAMES), homeScore: sd.homeScore, awayScore: sd.awayScore,
      });
    }

    // 2. Learn from the day's results.
    for (const { g, sd } of results) {
      const appeared = new Set<string>();
      for (const r of g.rows) {
        pushHistory(toLog(r, r.played));
        if (!r.played) continue;
        appeared.add(r.playerId);
        appearances.add(`${r.playerId}|${r.gameId}`);
        let pts = seasonPoints.get(r.playerId);
        if (!pts) seasonPoints.set(r.playerId, (pts = []));
        pts.push(r.points);
        const prev = lastTeam.get(r.playerId);
        if (prev !== r.teamId) {
          if (prev) rosters.get(prev)?.delete(r.playerId);
          let roster = rosters.get(r.teamId);
          if (!roster) rosters.set(r.teamId, (roster = new Set()));
          roster.add(r.playerId);
          lastTeam.set(r.playerId, r.teamId);
        }
      }
      // Players on the team who sat out: a DNP row, as a live box score would list them.
      for (const team of [sd.home, sd.away]) {
        const opp = team === sd.home ? sd.away : sd.home;
        for (const pid of rosters.get(team) ?? []) {
          if (appeared.has(pid) || g.rows.some((r) => r.playerId === pid)) continue;
          pushHistory({
            gameId: g.gameId, playerId: pid, teamId: team, opponentId: opp, date, home: team === sd.home, played: false,
            starter: false, minutes: 0, points: 0, rebounds: 0, assists: 0, threesMade: 0, dnpReason: 'DNP',
          });
        }
      }
      for (const team of [sd.home, sd.away]) {
        let q = recentGames.get(team);
        if (!q) recentGames.set(team, (q = []));
        q.push(g.gameId);
        if (q.length > TYPICAL_GAMES) q.shift();
      }
      gamesSeen++;
      lastGame.set(sd.home, date);
      lastGame.set(sd.away, date);
      if (sd.homeScore > sd.awayScore) homeWins++;
      addGameToTeams(teams, sd.home, sd.away, sd.homeScore, sd.awayScore);
      eloApplyGame(elo, date, sd.home, sd.away, sd.homeScore, sd.awayScore);
      eloApplyGame(plain, date, sd.home, sd.away, sd.homeScore, sd.awayScore);
    }
  }

  const seasonsOf = (rows: BoxRow[]) => [...new Set(rows.map((r) => seasonOf(r.date)))].sort().join(',') || null;
  return {
    players,
    games: gameRows,
    metrics: summarize(players, gameRows, seasonsOf(opts.games), opts.prior ? seasonsOf(opts.prior) : null, unscored, mode),
  };
}

function lineupPlayer(p: PlayerProjection, tonight: number, typical: number): LineupPlayer {
  return { ownPoints: p.detail.ownPoints, ownMinutes: p.detail.ownMinutes, tonight, typical };
}

/** Metrics of the engine and the baselines on exactly the same rows. */
export function summarize(
  players: PlayerPredictionRow[],
  games: GamePredictionRow[],
  season: string | null = null,
  priorSeason: string | null = null,
  unscoredPredictions = 0,
  availability: AvailabilityMode = 'known',
): BacktestMetrics {
  const rows = players.filter((r) => r.seasonMean !== null && r.last10Mean !== null);
  const actual = rows.map((r) => r.actual);
  const byTier: TierMetrics[] = TIERS.map((t) => {
    const sub = rows.filter((r) => tierOf(r.seasonMean!) === t.label);
    const a = sub.map((r) => r.actual);
    return {
      tier: t.label,
      n: sub.length,
      engineMae: pointsMetrics(a, sub.map((r) => r.projected)).mae,
      engineBias: pointsMetrics(a, sub.map((r) => r.projected)).bias,
      seasonMeanMae: pointsMetrics(a, sub.map((r) => r.seasonMean!)).mae,
      last10MeanMae: pointsMetrics(a, sub.map((r) => r.last10Mean!)).mae,
    };
  });
  const won = games.map((g) => g.homeScore > g.awayScore);
  return {
    modelVersion: MODEL_VERSION,
    availability,
    season,
    priorSeason,
    points: {
      n: rows.length,
      unscoredPredictions,
      engine: pointsMetrics(actual, rows.map((r) => r.projected), rows.map((r) => r.floor), rows.map((r) => r.ceiling)),
      seasonMean: pointsMetrics(actual, rows.map((r) => r.seasonMean!)),
      last10Mean: pointsMetrics(actual, rows.map((r) => r.last10Mean!)),
      byTier,
    },
    games: {
      n: games.length,
      engine: gameMetrics(games.map((g) => g.homeWinProb), won),
      plainElo: gameMetrics(games.map((g) => g.plainEloHomeWinProb), won),
      alwaysHome: gameMetrics(games.map((g) => g.alwaysHomeProb), won),
    },
  };
}
