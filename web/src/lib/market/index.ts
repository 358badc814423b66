// The betting market beside the engine: win probability from moneylines with the bookmaker's margin removed,
// expected margin from the spread, and engine-vs-market scores on logged games. Pure; shown, never blended.
import type { GamePrediction, MarketView } from '../domain/types';
import { gameMetrics, type GameMetrics } from '../metrics';
import type { MarketLine } from '../sources/live/wire';

/** A line as the worker's /v1/nba/odds serves it. */
export type { MarketLine };

/** Probability implied by American odds (−150 → 0.6, +130 → 0.4348), vig included. */
export function impliedProbability(american: number): number {
  return american < 0 ? -american / (-american + 100) : 100 / (american + 100);
}

/** Home win probability with the vig removed (the two implied probabilities scaled to sum to 1). */
export function noVigHomeWinProb(homeMoneyline: number, awayMoneyline: number): number {
  const h = impliedProbability(homeMoneyline);
  const a = impliedProbability(awayMoneyline);
  return h / (h + a);
}

export function marketView(line: Pick<MarketLine, 'provider' | 'homeSpread' | 'overUnder' | 'homeMoneyline' | 'awayMoneyline'>): MarketView {
  return {
    homeWinProb: line.homeMoneyline !== null && line.awayMoneyline !== null ? noVigHomeWinProb(line.homeMoneyline, line.awayMoneyline) : null,
    homeMargin: line.homeSpread === null ? null : -line.homeSpread,
    homeSpread: line.homeSpread,
    total: line.overUnder,
    provider: line.provider,
  };
}

export interface EngineVsMarket {
  /** Logged games with a result and a market probability: both are scored on exactly these. */
  n: number;
  engine: GameMetrics;
  market: GameMetrics;
}

/** Engine and market on the same logged, finished games (accuracy = the favourite won; Brier). */
export function engineVsMarket(games: readonly GamePrediction[]): EngineVsMarket {
  const both = games.filter((g) => !g.deleted && g.homeWon !== null && g.marketHomeWinProb !== null);
  const won = both.map((g) => g.homeWon as boolean);
  return {
    n: both.length,
    engine: gameMetrics(both.map((g) => g.homeWinProb), won),
    market: gameMetrics(both.map((g) => g.marketHomeWinProb as number), won),
  };
}
