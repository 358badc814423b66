// What the /v1/nba routes return: the app's own domain types (web/src/lib/domain/types.ts), checked once more
// before they leave the worker so that no partial or malformed row is ever sent.
import type { Game, GameStatus, Player, PlayerGameLog } from '../../../web/src/lib/domain/types';
import type { UpstreamName } from './http';

export type { Game, GameStatus, Player, PlayerGameLog };

export interface DayResult {
  date: string;
  source: UpstreamName;
  fetchedAt: string;
  games: Game[];
  players: Player[];
  logs: PlayerGameLog[];
}

export interface BoxResult {
  source: UpstreamName;
  fetchedAt: string;
  game: Game;
  players: Player[];
  logs: PlayerGameLog[];
}

/** What one upstream produces for a set of games (before the route adds date/source/fetchedAt). */
export interface Slate {
  games: Game[];
  players: Player[];
  logs: PlayerGameLog[];
}

// One schema per row, shared with the app's live source (web/src/lib/sources/live/wire.ts).
export { GameWire, LogWire, PlayerWire, SlateWire } from '../../../web/src/lib/sources/live/wire';
