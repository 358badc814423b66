// A day's slate with projections: reads the database, runs the engine. Pure (no browser APIs),
// so the same code serves the app, Node tests and CLIs.
import type { Database } from 'sql.js';
import { previousSeason, seasonOf, seasonStart } from '../domain/dates';
import type { AvailabilityStatus, Game, GamePrediction, IsoDate, MarketView, PlayerGameLog, Prediction, Team } from '../domain/types';
import { finalGamesBetween, gamesOn, listTeams, logsForPlayers, playersOfTeams } from '../db/league-repo';
import {
  buildEloRatings,
  buildLeagueContext,
  chancesOf,
  expectedAvailability,
  forecastGame,
  gameContextAdjustment,
  lastGameDates,
  lineupPoints,
  lineupChange,
  lineupMarginAdjustment,
  MODEL_VERSION,
  playedShares,
  projectTeam,
  TYPICAL_GAMES,
  type Availability,
  type GameForecast,
  type PlayerProjection,
} from '../engine';

/** A projected player with his availability as the engine saw it (status from the report, or the guess). */
export type SlatePlayer = PlayerProjection & { availability: Availability };

export interface SlateSide {
  team: Team;
  projections: SlatePlayer[];
  /** Players the report rules out: no projection; their minutes and shots went to the others (team step). */
  out: { playerId: string; playerName: string; status: AvailabilityStatus }[];
}

export interface SlateGame {
  game: Game;
  forecast: GameForecast;
  /** The betting market for the game, when the feeds carry it (shown beside the engine, never blended). */
  market: MarketView | null;
  home: SlateSide;
  away: SlateSide;
  /** Predictions can be logged only before tip-off: afterwards they would know too much. */
  loggable: boolean;
}

export interface Slate {
  date: IsoDate;
  games: SlateGame[];
}

/** What the app knows about the day beyond the database: tonight's injury report and the market (live data). */
export interface SlateReports {
  /** NBA.com player id → report status. */
  availability?: ReadonlyMap<string, AvailabilityStatus>;
  /** Game id → market. */
  market?: ReadonlyMap<string, MarketView>;
  /** Which report and market these are (startup-view.ts reportsStamp): a slate kept for start-up is labelled by it. */
  stamp?: string;
}

function unknownTeam(id: string): Team {
  return { id, city: id, name: '', conference: 'East' };
}

/**
 * Who plays is decided by the engine's availability rule (engine/availability.ts), the one the backtest's
 * 'recent' mode measures: the report's status where there is one, else the chance guessed from the team's
 * last games (recentChance). Players the report rules out get no projection; players not expected (no
 * report, no recent game) are still shown, projected alone. Before a team's first game of the season and
 * without a report nobody is expected and the team step is skipped.
 */
function teamGameIds(teamId: string, pastGames: Game[], date: IsoDate): string[] {
  const season = seasonOf(date);
  return pastGames
    .filter((g) => (g.homeTeamId === teamId || g.awayTeamId === teamId) && seasonOf(g.date) === season && g.date < date)
    .slice(-TYPICAL_GAMES) // finalGamesBetween orders by date, tipoff
    .map((g) => g.id);
}

export function buildSlate(db: Database, date: IsoDate, now: Date, sourceId: string, reports: SlateReports = {}): Slate {
  return runSteps(slateSteps(db, date, now, sourceId, reports));
}

/** Runs a computation made of steps (a generator yielding between them) to its end, in one go. */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * buildSlate as steps: it yields between its queries, the engine's league-wide part and each game's projections,
 * so a caller may give the UI thread a turn between them (a first full slate is a long task in one go). Between
 * two steps nothing may write to `db` (the caller checks, see ReadModels.prepareSlate).
 */
export function* slateSteps(db: Database, date: IsoDate, now: Date, sourceId: string, reports: SlateReports = {}): Generator<void, Slate, void> {
  const games = gamesOn(db, date, sourceId);
  if (games.length === 0) return { date, games: [] };
  const teams = new Map(listTeams(db).map((t) => [t.id, t]));
  const historyFrom = seasonStart(previousSeason(seasonOf(date)));
  const pastGames = finalGamesBetween(db, historyFrom, date, sourceId);
  yield;
  const league = buildLeagueContext(pastGames, date);
  const ratings = buildEloRatings(pastGames, date);
  const lastGame = lastGameDates(pastGames, date);
  yield;
  const teamIds = games.flatMap((g) => [g.homeTeamId, g.awayTeamId]);
  const players = playersOfTeams(db, teamIds, sourceId);
  // The players' box scores (the slate's biggest read) are read a game's two rosters at a time, in its step.
  const histories = new Map<string, PlayerGameLog[]>();
  const played = new Set<string>();
  const readHistories = (game: Game) => {
    const ids = players.filter((p) => (p.teamId === game.homeTeamId || p.teamId === game.awayTeamId) && !histories.has(p.id)).map((p) => p.id);
    for (const [pid, logs] of logsForPlayers(db, ids, historyFrom, date)) {
      histories.set(pid, logs);
      for (const l of logs) if (l.played) played.add(`${pid}|${l.gameId}`);
    }
  };
  const playedIn = (pid: string, gid: string) => played.has(`${pid}|${gid}`);

  const side = (game: Game, teamId: string): SlateSide & { lineupChange: number; lineupPoints: number } => {
    const home = teamId === game.homeTeamId;
    const opponentId = home ? game.awayTeamId : game.homeTeamId;
    const roster = players.filter((p) => p.teamId === teamId);
    const gameIds = teamGameIds(teamId, pastGames, date);
    const availability = expectedAvailability(roster.map((p) => p.id), gameIds, playedIn, reports.availability);
    const isOut = (id: string) => availability.get(id)?.status === 'out';
    const out = roster.filter((p) => isOut(p.id));
    const chances = chancesOf(availability);
    // The whole roster goes to the team step, out players at chance 0 (as in the backtest): they take no
    // minutes tonight, and the games they sat out are known to it (the past-absence step). Their own
    // projection ("if he played") is their value to the lineup only; it is not shown.
    const projected = projectTeam(
      roster.map((p) => ({
        playerId: p.id, playerName: p.name, teamId, opponentId, home, gameId: game.id, gameDate: date,
        history: histories.get(p.id) ?? [], league,
      })),
      { active: chances },
    );
    // The lineup against the one the team's rating was earned with (out players count at chance 0).
    const typical = playedShares(roster.map((p) => p.id), gameIds, playedIn);
    const lineup = projected.flatMap((p) => (p ? [{ ownPoints: p.detail.ownPoints, ownMinutes: p.detail.ownMinutes, tonight: chances.get(p.playerId) ?? 0, typical: typical.get(p.playerId) ?? 0 }] : []));
    const projections = projected
      .filter((p): p is PlayerProjection => p !== null && !isOut(p.playerId))
      .map((p) => ({ ...p, availability: availability.get(p.playerId)! }))
      .sort((a, b) => b.projectedPoints - a.projectedPoints);
    return {
      team: teams.get(teamId) ?? unknownTeam(teamId),
      projections,
      out: out.map((p) => ({ playerId: p.id, playerName: p.name, status: 'out' as const })),
      lineupChange: gameIds.length > 0 ? lineupChange(lineup) : 0,
      lineupPoints: lineupPoints(projections.map((p) => ({ projectedPoints: p.projectedPoints, chance: p.availability.chance }))),
    };
  };

  // The engine's share of the work (the queries above are the rest), summed over its steps; read by
  // scripts/bench-app.mjs.
  let projectingMs = 0;
  const slateGames: SlateGame[] = [];
  for (const game of games) {
    yield;
    readHistories(game);
    const projecting = performance.now();
    slateGames.push(gameOf(game));
    projectingMs += performance.now() - projecting;
  }
  const ended = performance.now();
  performance.measure('nba-daily:project', { start: ended - projectingMs, end: ended });
  return { date, games: slateGames };

  function gameOf(game: Game): SlateGame {
    const { lineupChange: homeChange, lineupPoints: homePoints, ...home } = side(game, game.homeTeamId);
    const { lineupChange: awayChange, lineupPoints: awayPoints, ...away } = side(game, game.awayTeamId);
    const lineupAdjustment = lineupMarginAdjustment(homeChange, awayChange);
    return {
      game,
      forecast: forecastGame(
        game.homeTeamId, game.awayTeamId, ratings, undefined, lineupAdjustment,
        gameContextAdjustment({
          homeTeamId: game.homeTeamId, awayTeamId: game.awayTeamId, date, league, ratings, lastGame,
          lineupAdjustment, homeLineupPoints: homePoints, awayLineupPoints: awayPoints,
        }),
      ),
      market: reports.market?.get(game.id) ?? null,
      home,
      away,
      loggable: game.status === 'scheduled' && Date.parse(game.tipoff) > now.getTime(),
    };
  }
}

/** The rows "Log predictions" stores for the games of a slate that have not started. */
export function predictionsToLog(
  slate: Slate,
  context: { today: IsoDate; now: number; deviceId: string },
): { players: Prediction[]; games: GamePrediction[] } {
  const open = slate.games.filter((g) => g.loggable);
  const version = { updatedAt: context.now, deviceId: context.deviceId, deleted: false };
  return {
    players: open.flatMap((g) =>
      [...g.home.projections, ...g.away.projections].map((p) => ({
        playerId: p.playerId,
        gameDate: p.gameDate,
        predictionDate: context.today,
        gameId: p.gameId,
        playerName: p.playerName,
        teamId: p.teamId,
        opponentId: p.opponentId,
        projectedPoints: p.projectedPoints,
        floor: p.floor,
        ceiling: p.ceiling,
        confidence: p.confidence,
        factors: p.factors,
        modelVersion: p.modelVersion,
        actualPoints: null,
        actualMinutes: null,
        didPlay: null,
        error: null,
        absError: null,
        inRange: null,
        availabilityStatus: p.availability.status,
        ...version,
      })),
    ),
    games: open.map((g) => ({
      gameId: g.game.id,
      gameDate: g.game.date,
      predictionDate: context.today,
      homeTeamId: g.game.homeTeamId,
      awayTeamId: g.game.awayTeamId,
      homeWinProb: g.forecast.homeWinProb,
      projectedMargin: g.forecast.projectedMargin,
      modelVersion: MODEL_VERSION,
      homeScore: null,
      awayScore: null,
      homeWon: null,
      marketHomeWinProb: g.market?.homeWinProb ?? null,
      marketHomeMargin: g.market?.homeMargin ?? null,
      marketSpread: g.market?.homeSpread ?? null,
      marketTotal: g.market?.total ?? null,
      ...version,
    })),
  };
}
