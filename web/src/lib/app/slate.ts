// A day's slate with projections: reads the database, runs the engine. Pure (no browser APIs),
// so the same code serves the app, Node tests and CLIs.
import type { Database } from 'sql.js';
import { previousSeason, seasonOf, seasonStart } from '../domain/dates';
import type { Game, GamePrediction, IsoDate, Prediction, Team } from '../domain/types';
import { finalGamesBetween, gamesOn, listTeams, logsForPlayers, playersOfTeams } from '../db/league-repo';
import {
  buildEloRatings,
  buildLeagueContext,
  forecastGame,
  MODEL_VERSION,
  projectPlayer,
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
    const projections = players
      .filter((p) => p.teamId === teamId)
      .map((p) =>
        projectPlayer({
          playerId: p.id,
          playerName: p.name,
          teamId,
          opponentId,
          home,
          gameId: game.id,
          gameDate: date,
          history: histories.get(p.id) ?? [],
          league,
        }),
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
