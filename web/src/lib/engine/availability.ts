// Who is expected to play tonight: the one rule shared by the app's slate and the backtest's
// 'recent' mode. Each player of a team gets a chance of playing, 0..1, for the team step
// (projectTeam) and the game model's lineup strength (lineupAdjustment).
//  - With an injury report entry, the status decides (out 0, doubtful 0.25, questionable 0.5,
//    probable 0.9, available 1).
//  - Without one, the guess from the team's last RECENT_GAMES games of the season: the share of them
//    he played (short enough to drop a player who is out injured, but a guess: the backtest's 'recent'
//    mode measures what it costs against the list of who actually played, 'known').
// Pure: game ids and a lookup in, chances out.

export const AVAILABILITY_STATUSES = ['out', 'doubtful', 'questionable', 'probable', 'available'] as const;
export type AvailabilityStatus = (typeof AVAILABILITY_STATUSES)[number];

/** Chance of playing for each injury-report status (the usual reading of the NBA's categories). */
export const STATUS_CHANCE: Readonly<Record<AvailabilityStatus, number>> = Object.freeze({
  out: 0,
  doubtful: 0.25,
  questionable: 0.5,
  probable: 0.9,
  available: 1,
});

/** Team games looked back on to guess who plays tonight (3 beat 5 and 10 on 2022-23). */
export const RECENT_GAMES = 3;
/** Team games looked back on for the lineup the team's rating has been earning with (fitted on 2022-23). */
export const TYPICAL_GAMES = 10;

/**
 * Each player's share of the given team games he played (players with none are left out).
 * `gameIds` are the team's latest games of the season, oldest first; `playedIn` says whether a player
 * played in one of them.
 */
export function playedShares(
  playerIds: Iterable<string>,
  gameIds: readonly string[],
  playedIn: (playerId: string, gameId: string) => boolean,
): Map<string, number> {
  const shares = new Map<string, number>();
  if (gameIds.length === 0) return shares;
  for (const id of playerIds) {
    let n = 0;
    for (const g of gameIds) if (playedIn(id, g)) n++;
    if (n > 0) shares.set(id, n / gameIds.length);
  }
  return shares;
}

/** One player's expected availability and where it came from. */
export interface Availability {
  status: AvailabilityStatus | null;
  /** 'report': the injury/inactive report; 'recent': the guess from the team's last games. */
  source: 'report' | 'recent';
  chance: number;
}

/**
 * Tonight's chances: the report's status where there is one, otherwise the share of the team's last
 * RECENT_GAMES games played (recentGameIds: the team's latest games of the season, at most
 * RECENT_GAMES of them are used).
 */
export function expectedAvailability(
  playerIds: readonly string[],
  recentGameIds: readonly string[],
  playedIn: (playerId: string, gameId: string) => boolean,
  report?: ReadonlyMap<string, AvailabilityStatus>,
): Map<string, Availability> {
  const shares = playedShares(playerIds, recentGameIds.slice(-RECENT_GAMES), playedIn);
  const out = new Map<string, Availability>();
  for (const id of playerIds) {
    const status = report?.get(id);
    if (status) out.set(id, { status, source: 'report', chance: STATUS_CHANCE[status] });
    else out.set(id, { status: null, source: 'recent', chance: shares.get(id) ?? 0 });
  }
  return out;
}

/** The chances alone, as projectTeam takes them. */
export function chancesOf(availability: ReadonlyMap<string, Availability>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [id, a] of availability) m.set(id, a.chance);
  return m;
}
