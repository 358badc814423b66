// Metrics: one module for the app and the backtest CLI (scores.ts: MAE/RMSE/bias/band, accuracy/Brier/log loss,
// tiers; accuracy.ts: the app's logged predictions).
export { gameMetrics, median, pointsMetrics, roundMetrics, tierOf, TIERS } from './scores';
export type { GameMetrics, PointsMetrics } from './scores';
export * from './accuracy';
