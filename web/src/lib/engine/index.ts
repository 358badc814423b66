// Projection engine v1: player points projections and team Elo forecasts.
export { MODEL_VERSION, projectPlayer } from './projection';
export type { PlayerProjection, ProjectionRequest } from './projection';
export { buildLeagueContext, DEFAULT_POINTS_PER_TEAM_GAME } from './league-context';
export type { LeagueContext, TeamTotals } from './league-context';
export { buildEloRatings, forecastGame } from './elo';
export type { GameForecast } from './elo';
