// Who is expected to play tonight: the one rule shared by the app's slate and the backtest's
// 'recent' mode. Each player of a team gets a chance of playing, 0..1, for the team step
// (projectTeam) and the game model's lineup strength (lineupAdjustment).
//  - With an injury report entry, the status decides (out 0, doubtful 0.25, questionable 0.5,
//    probable 0.9, available 1).
//  - Without one, the guess from the team's last RECENT_GAMES games of the season (v3.3): how often a player
//    with the same pattern of games played and missed in them took the floor next on 2022-23 (a player who
//    played the last game is far likelier to play than one who missed it, at the same share), and for one who
//    missed all three, how long he has been out. A guess: the backtest's 'recent' mode measures what it costs
//    against the list of who actually played, 'known'. (v3.0–v3.2: the share of the three he played.)
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
 * v3.3, chance of playing by the pattern in the team's last RECENT_GAMES games, oldest → newest ('1' played,
 * '0' missed). Fitted on 2022-23: each pattern's share of next games played (111: 0.908, 011: 0.762, 101: 0.717,
 * 001: 0.606, 110: 0.490, 010: 0.365, 100: 0.327), ÷ 0.97 and rounded. The 0.97 is fitted on points MAE (2022-23,
 * 'recent' mode): at 1 (the plain shares) every lineup's expected minutes fall short and the team step hands the
 * rest to the regulars, projecting stars high; at 0.95 the reverse.
 */
export const PATTERN_CHANCE: Readonly<Record<string, number>> = Object.freeze({
  '111': 0.94, '011': 0.79, '101': 0.74, '001': 0.62, '110': 0.51, '010': 0.38, '100': 0.34,
});
/**
 * v3.3, a player who missed all of the last RECENT_GAMES: chance by the team games missed in a row, from 3 up to
 * TYPICAL_GAMES (2022-23's shares: 3 → 0.25, 4 → 0.24, 5 → 0.16, 6–10 → 0.12). Without a game in the last
 * TYPICAL_GAMES (or beyond the table), 0: long injured, released or traded (2022-23: 0.05).
 */
export const ABSENCE_CHANCE: readonly number[] = Object.freeze([0, 0, 0, 0.25, 0.24, 0.16, 0.12, 0.12, 0.12, 0.12]);

/**
 * The guess without a report. `gameIds`: the team's latest games of the season, oldest first (up to
 * TYPICAL_GAMES are looked at for the absence streak). Before the team's RECENT_GAMES-th game: the share played.
 */
export function recentChance(playerId: string, gameIds: readonly string[], playedIn: (playerId: string, gameId: string) => boolean): number {
  const last = gameIds.slice(-RECENT_GAMES);
  if (last.length < RECENT_GAMES) {
    let n = 0;
    for (const g of last) if (playedIn(playerId, g)) n++;
    return last.length > 0 ? n / last.length : 0;
  }
  const pattern = last.map((g) => (playedIn(playerId, g) ? '1' : '0')).join('');
  if (pattern !== '000') return PATTERN_CHANCE[pattern];
  const window = gameIds.slice(-TYPICAL_GAMES);
  let streak = 0;
  for (let i = window.length - 1; i >= 0 && !playedIn(playerId, window[i]); i--) streak++;
  return streak < window.length ? (ABSENCE_CHANCE[streak] ?? 0) : 0;
}

/**
 * Tonight's chances: the report's status where there is one, otherwise recentChance over recentGameIds (the
 * team's latest games of the season, oldest first; up to TYPICAL_GAMES of them are used).
 */
export function expectedAvailability(
  playerIds: readonly string[],
  recentGameIds: readonly string[],
  playedIn: (playerId: string, gameId: string) => boolean,
  report?: ReadonlyMap<string, AvailabilityStatus>,
): Map<string, Availability> {
  const out = new Map<string, Availability>();
  for (const id of playerIds) {
    const status = report?.get(id);
    if (status) out.set(id, { status, source: 'report', chance: STATUS_CHANCE[status] });
    else out.set(id, { status: null, source: 'recent', chance: recentChance(id, recentGameIds, playedIn) });
  }
  return out;
}

/** The chances alone, as projectTeam takes them. */
export function chancesOf(availability: ReadonlyMap<string, Availability>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [id, a] of availability) m.set(id, a.chance);
  return m;
}
