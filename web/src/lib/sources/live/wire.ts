// The /v1/nba wire contract, written once: the worker checks every row it sends with these schemas and the app
// checks every answer it receives with the same ones (docs/API.md describes them in prose). Rows drop keys they do
// not know, so an app can read a newer worker's answer; the worker sends the parsed rows, so nothing it did not
// check leaves it. Every list is bounded. Pure zod, no browser or network imports.
import { z } from 'zod';
import { AVAILABILITY_STATUSES } from '../../engine/availability';

const isoDate = z.lazy(() => z.iso.date());
export const GAME_ID = /^(00\d{8}|espn-\d{1,12})$/;
export const PLAYER_ID = /^(\d{1,12}|espn-\d{1,12})$/;
const gameId = z.lazy(() => z.string().regex(GAME_ID));
const playerId = z.lazy(() => z.string().regex(PLAYER_ID));
const team = z.lazy(() => z.string().regex(/^[A-Z]{3}$/));
const count = z.lazy(() => z.number().int().min(0).max(300));

/** A live game's clock: "7:15", or "45.3" in a period's last minute. */
export const LIVE_CLOCK = /^(\d{1,2}:[0-5]\d|[1-5]?\d\.\d)$/;

/** Bounds on one answer: a day has at most 15 games; 40 leaves room for a feed's postponed duplicates. */
export const WIRE_LIMITS = { games: 40, players: 2000, logs: 2000, availability: 2000 } as const;

export const GameWire = z.lazy(() => z.object({
  id: gameId,
  date: isoDate,
  tipoff: z.iso.datetime(),
  homeTeamId: team,
  awayTeamId: team,
  status: z.enum(['scheduled', 'live', 'final', 'postponed']),
  homeScore: count.nullable(),
  awayScore: count.nullable(),
  /** While live, when the feed has them: the period (5+ = overtime) and the game clock. */
  period: z.number().int().min(1).max(20).nullable().optional(),
  clock: z.string().regex(LIVE_CLOCK).nullable().optional(),
}).refine((g) => g.homeTeamId !== g.awayTeamId, 'a team cannot play itself')
  .refine((g) => (g.status === 'final' || g.status === 'live') === (g.homeScore !== null && g.awayScore !== null),
    'scores are set exactly for live and final games')
  .refine((g) => g.status === 'live' || (g.period == null && g.clock == null), 'period and clock belong to live games'));

export const PlayerWire = z.lazy(() => z.object({
  id: playerId,
  name: z.string().min(1).max(80),
  teamId: team,
  position: z.string().max(8),
}));

export const LogWire = z.lazy(() => z.object({
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
  .refine((l) => l.played === (l.dnpReason === null), 'dnpReason is set exactly when the player did not play'));

/** Games, rosters and box-score lines: what one upstream produces for a day or a game. */
export const SlateWire = z.lazy(() => z.object({
  games: z.array(GameWire).max(WIRE_LIMITS.games),
  players: z.array(PlayerWire).max(WIRE_LIMITS.players),
  logs: z.array(LogWire).max(WIRE_LIMITS.logs),
}));

/** `GET /v1/nba/day/:date` (the fields the app reads; `source` and `fetchedAt` are informational). */
export const DayWire = z.lazy(() => SlateWire.unwrap().extend({ date: isoDate }));

export const AvailabilityWire = z.lazy(() => z.object({
  /** NBA.com person id, or espn-<athleteId> when no published box score lists him (the app matches by name). */
  playerId,
  name: z.string().min(1).max(80),
  teamId: team,
  gameId,
  status: z.enum(AVAILABILITY_STATUSES),
  detail: z.string().max(160).nullable(),
  source: z.enum(['nba-cdn', 'espn']),
}));
export type AvailabilityEntry = z.output<typeof AvailabilityWire>;

/** An American moneyline: ±100 or beyond. */
const moneyline = z.lazy(() => z.number().int().refine((n) => Math.abs(n) >= 100, 'American odds'));

export const MarketLineWire = z.lazy(() => z.object({
  gameId,
  homeTeamId: team,
  awayTeamId: team,
  provider: z.string().max(60),
  /** Points the home team is given (negative: home favoured). */
  homeSpread: z.number().min(-60).max(60).nullable(),
  overUnder: z.number().min(100).max(400).nullable(),
  homeMoneyline: moneyline.nullable(),
  awayMoneyline: moneyline.nullable(),
  source: z.enum(['scoreboard', 'summary']),
}));
export type MarketLine = z.output<typeof MarketLineWire>;

/** `GET /v1/nba/injuries/:date`. */
export const InjuriesWire = z.lazy(() => z.object({ date: isoDate, players: z.array(AvailabilityWire).max(WIRE_LIMITS.availability) }));
/** `GET /v1/nba/odds/:date`. */
export const OddsWire = z.lazy(() => z.object({ date: isoDate, games: z.array(MarketLineWire).max(WIRE_LIMITS.games) }));

/** Keeps the rows of a list that pass the schema, as parsed (unknown keys dropped); the rest are left out. */
export function validRows<S extends z.ZodType>(schema: S, rows: readonly unknown[]): z.output<S>[] {
  return rows.flatMap((row) => {
    const r = schema.safeParse(row);
    return r.success ? [r.data] : [];
  });
}
