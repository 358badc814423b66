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
 * team's last RECENT_GAMES final games this season, each counted with the share of them he played (the
 * rule the backtest checks with activeList: 'recent': on 2022-23 it scores MAE 4.580 against 4.600
 * without the team step, so an approximate list does not hurt; 3 beat 5 and 10 games there). Short
 * enough to drop a player who is out injured. Players not expected are still shown, projected alone.
 * Before a team's first game of the season nobody is listed and the team step is skipped.
 */
export const RECENT_GAMES = 3;

/**
 * Players of the team who played in one of its last RECENT_GAMES final games of the season, each with
 * the share of those games he played (his chance of playing, for projectTeam).
 */
function expectedToPlay(teamId: string, playerIds: string[], pastGames: Game[], histories: Map<string, PlayerGameLog[]>, date: IsoDate): Map<string, number> {
  const season = seasonOf(date);
  const recent = pastGames
    .filter((g) => (g.homeTeamId === teamId || g.awayTeamId === teamId) && seasonOf(g.date) === season && g.date < date)
    .slice(-RECENT_GAMES) // finalGamesBetween orders by date, tipoff
    .map((g) => g.id);
  const active = new Map<string, number>();
  if (recent.length === 0) return active;
  for (const id of playerIds) {
    const logs = histories.get(id) ?? [];
    const played = recent.filter((gid) => logs.some((l) => l.played && l.gameId === gid)).length;
    if (played > 0) active.set(id, played / recent.length);
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

  const projecting = performance.now();
  const slate = {
    date,
    games: games.map((game) => ({
      game,
      forecast: forecastGame(game.homeTeamId, game.awayTeamId, ratings),
      home: side(game, game.homeTeamId),
      away: side(game, game.awayTeamId),
      loggable: game.status === 'scheduled' && Date.parse(game.tipoff) > now.getTime(),
    })),
  };
  // The engine's share of the work (the queries above are the rest); read by scripts/bench-app.mjs.
  performance.measure('nba-daily:project', { start: projecting });
  return slate;
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
