// What the /v1/nba routes return: the app's own domain types (web/src/lib/domain/types.ts), checked once more
// before they leave the worker so that no partial or malformed row is ever sent.
import { z } from 'zod';
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

const isoDate = z.iso.date();
const gameId = z.string().regex(/^(00\d{8}|espn-\d{1,12})$/);
const playerId = z.string().regex(/^(\d{1,12}|espn-\d{1,12})$/);
const team = z.string().regex(/^[A-Z]{3}$/);
const count = z.number().int().min(0).max(300);

export const GameOut = z.strictObject({
  id: gameId,
  date: isoDate,
  tipoff: z.iso.datetime(),
  homeTeamId: team,
  awayTeamId: team,
  status: z.enum(['scheduled', 'live', 'final', 'postponed']),
  homeScore: count.nullable(),
  awayScore: count.nullable(),
}).refine((g) => g.homeTeamId !== g.awayTeamId, 'a team cannot play itself')
  .refine((g) => (g.status === 'final' || g.status === 'live') === (g.homeScore !== null && g.awayScore !== null),
    'scores are set exactly for live and final games');

export const PlayerOut = z.strictObject({
  id: playerId,
  name: z.string().min(1).max(80),
  teamId: team,
  position: z.string().max(8),
});

export const LogOut = z.strictObject({
  gameId,
  playerId,
  teamId: team,
  opponentId: team,
  date: isoDate,
  home: z.boolean(),
  played: z.boolean(),
  starter: z.boolean(),
  minutes: z.number().min(0).max(80),
  points: count,
  rebounds: count,
  assists: count,
  threesMade: count,
  dnpReason: z.string().max(120).nullable(),
}).refine((l) => l.played || (l.minutes === 0 && l.points === 0 && l.rebounds === 0 && l.assists === 0 && l.threesMade === 0),
  'a DNP row carries zeros')
  .refine((l) => l.played === (l.dnpReason === null), 'dnpReason is set exactly when the player did not play');

export const SlateOut = z.object({ games: z.array(GameOut), players: z.array(PlayerOut), logs: z.array(LogOut) });
