// Projection engine v3: player points projections (minutes × points per minute, a team step for who
// plays), team Elo forecasts adjusted for tonight's lineups, net ratings and rest, and the availability rule shared by the
// app and the backtest.
export { MODEL_VERSION, PROJECTION_PARAMS, projectPlayer, projectTeam, opponentDefenceFactor, paceFactor } from './projection';
export type { PlayerProjection, ProjectionDetail, ProjectionParams, ProjectionRequest, TeamAdjustment, TeamProjectionOptions } from './projection';
export { addGameToTeams, buildLeagueContext, DEFAULT_POINTS_PER_TEAM_GAME, leagueContextFromTeams } from './league-context';
export type { LeagueContext, TeamTotals } from './league-context';
export { buildEloRatings, createEloState, eloApplyGame, eloRatingsAt, ELO_PARAMS, forecastGame, PLAIN_ELO_PARAMS } from './elo';
export type { EloParams, EloState, GameForecast } from './elo';
export { AVAILABILITY_STATUSES, chancesOf, expectedAvailability, playedShares, RECENT_GAMES, recentChance, PATTERN_CHANCE, ABSENCE_CHANCE, STATUS_CHANCE, TYPICAL_GAMES } from './availability';
export type { Availability, AvailabilityStatus } from './availability';
export { LINEUP_PARAMS, lineupChange, lineupMarginAdjustment, playerValue } from './lineup';
export type { LineupParams, LineupPlayer } from './lineup';
export { GAME_CONTEXT_PARAMS, gameContextAdjustment, lastGameDates, lineupPoints, NO_GAME_CONTEXT, onBackToBack, shrunkNetRating } from './game-context';
export type { GameContextAdjustment, GameContextInput, GameContextParams } from './game-context';
