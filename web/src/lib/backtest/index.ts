// Backtest of the projection engine on real or fixture seasons: CSV rows in, predictions and metrics out.
export { parsePlayerGamesCsv } from './csv';
export type { BoxRow } from './csv';
export { gameMetrics, median, pointsMetrics, roundMetrics, tierOf, TIERS } from '../metrics';
export type { GameMetrics, PointsMetrics } from '../metrics';
export { HOME_WIN_PRIOR, HOME_WIN_PRIOR_GAMES, runBacktest, summarize } from './walk';
export type { AvailabilityMode, BacktestMetrics, BacktestOptions, BacktestResult, GamePredictionRow, PlayerPredictionRow, TierMetrics } from './walk';
