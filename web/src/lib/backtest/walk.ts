// Walk-forward backtest over one season of player appearances, with the very engine the app runs.
// Day by day: every prediction for a date is made from rows of earlier dates only (and the prior
// season); then that date's results are added to the running state (player histories, team totals,
// Elo). The state is incremental, so a season costs one pass. Pure: rows in, predictions and metrics out.
import { seasonOf } from '../domain/dates';
import type { PlayerGameLog } from '../domain/types';
import {
  addGameToTeams,
  createEloState,
  eloApplyGame,
  eloRatingsAt,
  forecastGame,
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
import { gameMetrics, pointsMetrics, tierOf, TIERS, type GameMetrics, type PointsMetrics } from './metrics';

export interface BacktestOptions {
  /** The season to predict and score. */
  games: BoxRow[];
  /** Earlier rows (normally the previous season): history only, never scored. */
  prior?: BoxRow[];
  /** Tuning hooks; the app uses the engine defaults. */
  projectionParams?: ProjectionParams;
  eloParams?: EloParams;
  /**
   * Who the team step treats as playing. 'actual' (default, the CLI): the players who appear in the game,
   * standing in for the injury report at tip-off. 'recent': what the app knows before it, the players
   * who played in at least one of the team's last RECENT_GAMES games, each counted with the share of
   * those games he played (a check that rebalancing does not hurt when the list is approximate); scored
   * rows are the same.
   */
  activeList?: 'actual' | 'recent';
  /** Games looked back on for 'recent' (default RECENT_GAMES). */
  recentGames?: number;
}

/** The app's guess of who plays: anyone who played in one of the team's last this-many games. */
export const RECENT_GAMES = 3;

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
  seasonMeanMae: number;
  last10MeanMae: number;
}

export interface BacktestMetrics {
  modelVersion: string;
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
  const histories = new Map<string, PlayerGameLog[]>();
  /** This season's points per player (for the baselines). */
  const seasonPoints = new Map<string, number[]>();
  /** Players whose latest appearance this season was for the team: they get a DNP row when it plays without them. */
  const rosters = new Map<string, Set<string>>();
  const lastTeam = new Map<string, string>();
  /** Each team's last RECENT_GAMES game ids this season. */
  const recentGames = new Map<string, string[]>();
  let teams = new Map<string, TeamTotals>();
  const elo = createEloState(opts.eloParams);
  const plain = createEloState(PLAIN_ELO_PARAMS);
  let season: string | null = null;
  let homeWins = 0;
  let gamesSeen = 0;

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
      const f = forecastGame(sd.home, sd.away, ratings!, opts.eloParams);
      const fp = forecastGame(sd.home, sd.away, plainRatings!, PLAIN_ELO_PARAMS);
      gameRows.push({
        gameId: g.gameId, date, homeTeamId: sd.home, awayTeamId: sd.away, homeWinProb: f.homeWinProb,
        projectedMargin: f.projectedMargin, plainEloHomeWinProb: fp.homeWinProb,
        alwaysHomeProb: (homeWins + HOME_WIN_PRIOR * HOME_WIN_PRIOR_GAMES) / (gamesSeen + HOME_WIN_PRIOR_GAMES), homeScore: sd.homeScore, awayScore: sd.awayScore,
      });
      for (const team of [sd.home, sd.away]) {
        const playing = g.rows.filter((r) => r.played && r.teamId === team);
        const requests: ProjectionRequest[] = playing.map((r) => ({
          playerId: r.playerId, playerName: r.playerName, teamId: r.teamId, opponentId: r.opponentId, home: r.home,
          gameId: r.gameId, gameDate: date, history: histories.get(r.playerId) ?? [], league: league!,
          params: opts.projectionParams,
        }));
        let active: Map<string, number> | undefined;
        if (opts.activeList === 'recent') {
          // The app's view: the roster, each with the share of the team's last games he played.
          const recent = recentGames.get(team) ?? [];
          active = new Map();
          const ids = new Set(playing.map((r) => r.playerId));
          for (const pid of rosters.get(team) ?? []) {
            const h = histories.get(pid) ?? [];
            const played = recent.filter((id) => h.some((l) => l.played && l.gameId === id)).length;
            if (played > 0) active.set(pid, played / recent.length);
            if (!ids.has(pid)) {
              ids.add(pid);
              requests.push({ ...requests[0], playerId: pid, playerName: pid, history: h });
            }
          }
        }
        const projections = projectTeam(requests, { active });
        playing.forEach((r, i) => {
          const p = projections[i];
          if (!p) return;
          const pts = seasonPoints.get(r.playerId);
          if (!pts || pts.length === 0) unscored++;
          players.push({
            gameId: r.gameId, date, playerId: r.playerId, teamId: r.teamId, projected: p.projectedPoints, floor: p.floor,
            ceiling: p.ceiling, actual: r.points,
            projectedMinutes: p.detail.projectedMinutes, pointsPerMinute: p.detail.pointsPerMinute, actualMinutes: r.minutes, seasonMean: pts && pts.length ? mean(pts) : null,
            last10Mean: pts && pts.length ? mean(pts.slice(-10)) : null,
          });
        });
      }
    }

    // 2. Learn from the day's results.
    for (const { g, sd } of results) {
      const appeared = new Set<string>();
      for (const r of g.rows) {
        pushHistory(toLog(r, r.played));
        if (!r.played) continue;
        appeared.add(r.playerId);
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
        if (q.length > (opts.recentGames ?? RECENT_GAMES)) q.shift();
      }
      gamesSeen++;
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
    metrics: summarize(players, gameRows, seasonsOf(opts.games), opts.prior ? seasonsOf(opts.prior) : null, unscored),
  };
}

/** Metrics of the engine and the baselines on exactly the same rows. */
export function summarize(
  players: PlayerPredictionRow[],
  games: GamePredictionRow[],
  season: string | null = null,
  priorSeason: string | null = null,
  unscoredPredictions = 0,
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
      seasonMeanMae: pointsMetrics(a, sub.map((r) => r.seasonMean!)).mae,
      last10MeanMae: pointsMetrics(a, sub.map((r) => r.last10Mean!)).mae,
    };
  });
  const won = games.map((g) => g.homeScore > g.awayScore);
  return {
    modelVersion: MODEL_VERSION,
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
