// Id and name crosswalk between the upstreams and the app's NBA.com ids, plus date helpers.

/** The 30 NBA.com tricodes: the only team ids the routes ever return. */
export const NBA_TEAMS = new Set([
  'ATL', 'BOS', 'BKN', 'CHA', 'CHI', 'CLE', 'DAL', 'DEN', 'DET', 'GSW', 'HOU', 'IND', 'LAC', 'LAL', 'MEM',
  'MIA', 'MIL', 'MIN', 'NOP', 'NYK', 'OKC', 'ORL', 'PHI', 'PHX', 'POR', 'SAC', 'SAS', 'TOR', 'UTA', 'WAS',
]);

/** ESPN (and a few historical / other-site) team codes that differ from NBA.com's tricodes. */
const TEAM_ALIASES: Record<string, string> = {
  GS: 'GSW', SA: 'SAS', NY: 'NYK', NO: 'NOP', UTAH: 'UTA', UTH: 'UTA', WSH: 'WAS',
  PHO: 'PHX', BRK: 'BKN', BK: 'BKN', NJ: 'BKN', NJN: 'BKN', CHO: 'CHA', CHH: 'CHA', NOH: 'NOP', NOK: 'NOP', NOR: 'NOP',
  SEA: 'OKC', GOS: 'GSW', SAN: 'SAS', LAK: 'LAL',
};

/** NBA.com tricode for an upstream team code, or null if it is not one of the 30 NBA teams. */
export function teamId(code: string): string | null {
  const c = code.trim().toUpperCase();
  const id = TEAM_ALIASES[c] ?? c;
  return NBA_TEAMS.has(id) ? id : null;
}

/** ESPN ids are not NBA.com ids: when no NBA.com id can be matched they are namespaced so they never collide. */
export const espnGameId = (eventId: string) => `espn-${eventId}`;
export const espnPlayerId = (athleteId: string) => `espn-${athleteId}`;

/** NBA.com game id: 10 digits, "00" + type (1 pre, 2 regular, 3 all-star, 4 playoffs, 5 play-in, 6 cup) + … */
export const NBA_GAME_ID = /^00\d{8}$/;
export const ESPN_GAME_ID = /^espn-\d{1,12}$/;

/** Game types the routes report: regular season, playoffs, play-in, NBA Cup final (not preseason or All-Star). */
export const countedNbaGame = (gameId: string) => /^00[2456]/.test(gameId);
/** ESPN season types: 2 regular, 3 postseason, 5 play-in (1 preseason, 4 all-star are left out). */
export const countedEspnSeasonType = (type: number | undefined) => type === undefined || type === 2 || type === 3 || type === 5;

/**
 * A spelling-insensitive key for matching player names across sources ("Nikola Jokić" = "Nikola Jokic",
 * "Jaren Jackson Jr." = "Jaren Jackson"). Exported for the app, which matches espn-* players to NBA.com ones.
 */
// Name matching lives with the domain so the app (which matches ESPN players to NBA.com ids) uses the same rule.
export { nameKey } from '../../../web/src/lib/domain/names';
import { LIVE_CLOCK } from '../../../web/src/lib/sources/live/wire';
import type { Game, GameStatus } from './types';

const ET = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The US Eastern calendar date (YYYY-MM-DD) of an instant. */
export function easternDate(instant: string | Date): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const parts = Object.fromEntries(ET.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Normalises an upstream instant ("2024-01-10T00:30Z", "…:00Z", "…+00:00") to ISO 8601 UTC with milliseconds. */
export function isoUtc(instant: string): string | null {
  const t = Date.parse(instant);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/**
 * A live game's clock as the app shows it: "7:15", or seconds with tenths in a period's last minute ("45.3").
 * From the NBA CDN's "PT07M15.00S" or ESPN's displayClock ("7:15", "45.3"); null when it is neither.
 */
export function gameClockOf(value: string | undefined): string | null {
  if (!value) return null;
  const iso = /^PT(\d{1,2})M(\d{1,2})(?:\.(\d+))?S$/.exec(value);
  if (iso) {
    const [m, sec, frac = '0'] = [Number(iso[1]), Number(iso[2]), iso[3]];
    if (sec > 59) return null;
    return m > 0 ? `${m}:${String(sec).padStart(2, '0')}` : `${sec}.${frac[0] ?? '0'}`;
  }
  return LIVE_CLOCK.test(value) ? value : null;
}

/** Period and clock for a live game (the feed's, when they make sense); nothing otherwise. */
export function liveClock(st: GameStatus, period: number | undefined, clock: string | undefined): Pick<Game, 'period' | 'clock'> {
  if (st !== 'live') return {};
  return { period: period !== undefined && period >= 1 && period <= 20 ? period : null, clock: gameClockOf(clock) };
}

/** "PT43M44.00S" (NBA CDN) → 43.73; "28" (ESPN) → 28; rounded to 2 decimals. */
export function minutesOf(value: string): number | null {
  const iso = /^PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(value);
  if (iso) return Math.round(((Number(iso[1] ?? 0)) + Number(iso[2] ?? 0) / 60) * 100) / 100;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 100) / 100;
  if (/^\d+:\d{2}$/.test(value)) {
    const [m, s] = value.split(':').map(Number);
    return Math.round((m + s / 60) * 100) / 100;
  }
  return null;
}

/** "INACTIVE_INJURY" → "Inactive - Injury"; "COACH'S DECISION" → "Coach's Decision". */
export function reasonText(code: string): string {
  const words = code.trim().replace(/_/g, ' ').toLowerCase().split(/\s+/).filter(Boolean);
  const cased = words.map((w) => (w === 'dnp' || w === 'dnd' || w === 'nwt' ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1)));
  if (cased.length > 1 && ['DNP', 'DND', 'NWT', 'Inactive'].includes(cased[0])) return `${cased[0]} - ${cased.slice(1).join(' ')}`;
  return cased.join(' ');
}
