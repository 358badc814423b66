// A day's slate with projections: reads the database, runs the engine. Pure (no browser APIs),
// so the same code serves the app, Node tests and CLIs.
import type { Database } from 'sql.js';
import { previousSeason, seasonOf, seasonStart } from '../domain/dates';
import type { Game, GamePrediction, IsoDate, PlayerGameLog, Prediction, Team } from '../domain/types';
import { finalGamesBetween, gamesOn, listTeams, logsForPlayers, playersOfTeams } from '../db/league-repo';
import {
  buildEloRatings,
  buildLeagueContext,
  forecastGame,
  MODEL_VERSION,
  projectTeam,
  type GameForecast,
  type PlayerProjection,
} from '../engine';

export interface SlateSide {
  team: Team;
  projections: PlayerProjection[];
}

export interface SlateGame {
  game: Game;
  forecast: GameForecast;
  home: SlateSide;
  away: SlateSide;
  /** Predictions can be logged only before tip-off: afterwards they would know too much. */
  loggable: boolean;
}

export interface Slate {
  date: IsoDate;
  games: SlateGame[];
}

function unknownTeam(id: string): Team {
  return { id, city: id, name: '', conference: 'East' };
}

/**
 * How many of a team's latest games the app looks back on to guess who will play: before tip-off it
 * has no injury report, so the players expected to play are those who played in at least one of the
 * team's last RECENT_GAMES final games this season (the same rule the backtest checks with
 * activeList: 'recent'). Short enough to drop a player who is out injured, long enough to keep one who
 * sat a single game. Before a team's first game of the season nobody is listed and the team step is
 * skipped (projections as projectPlayer alone).
 */
export const RECENT_GAMES = 3;

/** Players of the team who played in one of its last RECENT_GAMES final games of the season. */
function expectedToPlay(teamId: string, playerIds: string[], pastGames: Game[], histories: Map<string, PlayerGameLog[]>, date: IsoDate): Set<string> {
  const season = seasonOf(date);
  const recent = new Set(
    pastGames
      .filter((g) => (g.homeTeamId === teamId || g.awayTeamId === teamId) && seasonOf(g.date) === season && g.date < date)
      .slice(-RECENT_GAMES) // finalGamesBetween orders by date, tipoff
      .map((g) => g.id),
  );
  const active = new Set<string>();
  if (recent.size === 0) return active;
  for (const id of playerIds) {
    if ((histories.get(id) ?? []).some((l) => l.played && recent.has(l.gameId))) active.add(id);
  }
  return active;
}

export function buildSlate(db: Database, date: IsoDate, now: Date, sourceId: string): Slate {
  const games = gamesOn(db, date, sourceId);
  if (games.length === 0) return { date, games: [] };
  const teams = new Map(listTeams(db).map((t) => [t.id, t]));
  const historyFrom = seasonStart(previousSeason(seasonOf(date)));
  const pastGames = finalGamesBetween(db, historyFrom, date, sourceId);
  const league = buildLeagueContext(pastGames, date);
  const ratings = buildEloRatings(pastGames, date);
  const teamIds = games.flatMap((g) => [g.homeTeamId, g.awayTeamId]);
  const players = playersOfTeams(db, teamIds, sourceId);
  const histories = logsForPlayers(db, players.map((p) => p.id), historyFrom, date);

  const side = (game: Game, teamId: string): SlateSide => {
    const home = teamId === game.homeTeamId;
    const opponentId = home ? game.awayTeamId : game.homeTeamId;
    const roster = players.filter((p) => p.teamId === teamId);
    // The team step: the players expected to play share the team's minutes and shots (see RECENT_GAMES).
    const active = expectedToPlay(teamId, roster.map((p) => p.id), pastGames, histories, date);
    const projections = projectTeam(
      roster.map((p) => ({
        playerId: p.id,
        playerName: p.name,
        teamId,
        opponentId,
        home,
        gameId: game.id,
        gameDate: date,
        history: histories.get(p.id) ?? [],
        league,
      })),
      { active },
    )
      .filter((p): p is PlayerProjection => p !== null)
      .sort((a, b) => b.projectedPoints - a.projectedPoints);
    return { team: teams.get(teamId) ?? unknownTeam(teamId), projections };
  };

  return {
    date,
    games: games.map((game) => ({
      game,
      forecast: forecastGame(game.homeTeamId, game.awayTeamId, ratings),
      home: side(game, game.homeTeamId),
      away: side(game, game.awayTeamId),
      loggable: game.status === 'scheduled' && Date.parse(game.tipoff) > now.getTime(),
    })),
  };
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
      ...version,
    })),
  };
}
