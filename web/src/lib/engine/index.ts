// Projection engine v2: player points projections (minutes × points per minute) and team Elo forecasts.
export { MODEL_VERSION, PROJECTION_PARAMS, projectPlayer, projectTeam, opponentDefenceFactor, paceFactor } from './projection';
export type { PlayerProjection, ProjectionDetail, ProjectionParams, ProjectionRequest, TeamAdjustment, TeamProjectionOptions } from './projection';
export { addGameToTeams, buildLeagueContext, DEFAULT_POINTS_PER_TEAM_GAME, leagueContextFromTeams } from './league-context';
export type { LeagueContext, TeamTotals } from './league-context';
export { buildEloRatings, createEloState, eloApplyGame, eloRatingsAt, ELO_PARAMS, forecastGame, PLAIN_ELO_PARAMS } from './elo';
export type { EloParams, EloState, GameForecast } from './elo';
