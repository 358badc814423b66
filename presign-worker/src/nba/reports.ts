// Tonight's availability (injuries, inactives) and the betting market, for the /v1/nba/injuries and
// /v1/nba/odds routes. Untrusted upstream JSON: only the fields used are read (zod), every list is bounded,
// every id is mapped to the app's NBA.com ids or namespaced (espn-<id>), and the result is checked once more.
//  - Availability: the NBA CDN box score's inactive list (official; published before tip-off) first, then ESPN's
//    league-wide injuries feed, then (if that feed fails) each game's ESPN summary `injuries`. ESPN athletes are
//    matched by team and name (nameKey) to the box score's NBA.com person ids when the box score is published;
//    otherwise they keep espn-<id> and the app matches them by name, as it does for ESPN box scores.
//  - Market: ESPN's scoreboard competitions[0].odds, else the game summary's pickcenter.
import { z } from 'zod';
import { TEAMS } from '../../../web/src/lib/domain/teams';
import { nameKey } from '../../../web/src/lib/domain/names';
import { easternDate, espnPlayerId, isoUtc, NBA_GAME_ID, teamId } from './crosswalk';
import { ESPN_PATHS, espnErrorBody } from './espn';
import { fetchJson, UpstreamError } from './http';
import { CDN_HEADERS, CDN_PATHS, scheduleLookup } from './nba-cdn';
import type { NbaConfig, ScheduledGame } from './upstream';
import { AvailabilityWire, MarketLineWire, validRows, type AvailabilityEntry, type MarketLine } from '../../../web/src/lib/sources/live/wire';

export type { AvailabilityEntry, MarketLine };

export const REPORT_PATHS = { injuries: '/apis/site/v2/sports/basketball/nba/injuries' };

/** Statuses the app understands (engine/availability.ts). */
export type ReportStatus = AvailabilityEntry['status'];

/** ESPN's status words → the app's. "Day-To-Day" is ESPN's questionable; suspensions are outs. */
export function statusOf(raw: string): ReportStatus | null {
  const s = raw.trim().toLowerCase();
  if (s === 'out' || s.startsWith('out ') || s === 'suspension' || s === 'suspended' || s === 'inactive') return 'out';
  if (s === 'doubtful') return 'doubtful';
  if (s === 'questionable' || s === 'day-to-day' || s === 'game time decision' || s === 'gtd') return 'questionable';
  if (s === 'probable') return 'probable';
  if (s === 'active' || s === 'available') return 'available';
  return null;
}

// ---- upstream shapes (only the fields used) ----
const MAX_TEAMS = 40;
const MAX_PER_TEAM = 40;
const Athlete = z.object({ id: z.string().regex(/^\d{1,12}$/), displayName: z.string().min(1).max(80) });
const InjuryIn = z.object({
  status: z.string().max(40),
  shortComment: z.string().max(500).optional(),
  athlete: Athlete,
  details: z.object({ type: z.string().max(60).optional(), returnDate: z.string().max(30).optional() }).optional(),
});
const InjuriesIn = z.object({
  injuries: z.array(z.object({ displayName: z.string().max(60), injuries: z.array(InjuryIn).max(MAX_PER_TEAM) })).max(MAX_TEAMS),
});
const SummaryInjuriesIn = z.object({
  header: z.object({ id: z.string().regex(/^\d{1,12}$/) }),
  injuries: z.array(z.object({ team: z.object({ abbreviation: z.string().max(6) }), injuries: z.array(InjuryIn).max(MAX_PER_TEAM) })).max(2).optional(),
  pickcenter: z.array(z.unknown()).max(20).optional(),
});
const BoxPlayerIn = z.object({ personId: z.number().int().positive(), name: z.string().min(1).max(80), status: z.string().max(20).optional(), notPlayingReason: z.string().max(60).optional(), notPlayingDescription: z.string().max(200).optional() });
const BoxIn = z.object({
  game: z.object({
    gameId: z.string().regex(NBA_GAME_ID),
    homeTeam: z.object({ teamTricode: z.string(), players: z.array(BoxPlayerIn).max(30) }),
    awayTeam: z.object({ teamTricode: z.string(), players: z.array(BoxPlayerIn).max(30) }),
  }),
});
const MoneyLine = z.number().int().refine((n) => Math.abs(n) >= 100 && Math.abs(n) <= 100_000, 'American odds are ±100 or beyond');
const TeamOdds = z.object({ favorite: z.boolean().optional(), moneyLine: MoneyLine.optional() }).optional();
const OddsIn = z.object({
  provider: z.object({ name: z.string().max(60) }).optional(),
  details: z.string().max(40).optional(),
  overUnder: z.number().min(100).max(400).optional(),
  spread: z.number().min(-60).max(60).optional(),
  homeTeamOdds: TeamOdds,
  awayTeamOdds: TeamOdds,
});
const ScoreboardIn = z.object({
  events: z.array(z.object({
    id: z.string().regex(/^\d{1,12}$/),
    date: z.string(),
    season: z.object({ type: z.number().int() }).optional(),
    status: z.object({ type: z.object({ state: z.enum(['pre', 'in', 'post']) }) }).optional(),
    competitions: z.array(z.object({
      competitors: z.array(z.object({ homeAway: z.enum(['home', 'away']), team: z.object({ abbreviation: z.string().max(6) }) })).length(2),
      // each line is checked on its own (lineOf): a malformed one is dropped, never the whole day
      odds: z.unknown().optional(),
    })).min(1),
  })).max(40),
});

// ---- what the routes return (rows: the shared wire schemas) ----
export interface AvailabilityResult {
  date: string;
  fetchedAt: string;
  /** Games whose NBA CDN box score (with the inactive list) was published. */
  published: string[];
  /**
   * Which ESPN source answered: the league-wide feed, the per-game summaries, or none. ESPN's report is the current
   * one, so it is applied only to games ESPN lists as not started; a game under way or over keeps the inactive list.
   */
  espn: 'injuries' | 'summary' | 'failed';
  players: AvailabilityEntry[];
}
export interface OddsResult { date: string; fetchedAt: string; games: MarketLine[] }

const TEAM_BY_NICKNAME = TEAMS.map((t) => ({ id: t.id, name: t.name.toLowerCase() }));
/** ESPN's team display name ("LA Clippers", "Los Angeles Lakers") → tricode, by the unique nickname. */
export function teamOfDisplayName(displayName: string): string | null {
  const d = displayName.trim().toLowerCase();
  return TEAM_BY_NICKNAME.find((t) => d.endsWith(` ${t.name}`) || d === t.name)?.id ?? null;
}

interface DayGame { id: string; espnEventId: string | null; espnState: 'pre' | 'in' | 'post' | null; homeTeamId: string; awayTeamId: string; odds: unknown[] }

/** The date's games: NBA.com schedule ids, joined with ESPN's scoreboard (event ids, odds). */
async function dayGames(cfg: NbaConfig, date: string): Promise<DayGame[]> {
  const [sched, espn] = await Promise.all([
    scheduleLookup(cfg).then((s) => s.day(date)).catch(() => null as ScheduledGame[] | null),
    fetchJson('espn', cfg.espnBase + ESPN_PATHS.scoreboard(date), ScoreboardIn, { timeoutMs: cfg.timeoutMs, errorBody: espnErrorBody }).catch((e) => e as UpstreamError),
  ]);
  const events = espn instanceof Error ? [] : espn.events
    .filter((e) => e.season?.type === undefined || e.season.type === 2 || e.season.type === 3 || e.season.type === 5)
    .flatMap((e) => {
      const c = e.competitions[0];
      const tip = isoUtc(e.date);
      const home = teamId(c.competitors.find((x) => x.homeAway === 'home')?.team.abbreviation ?? '');
      const away = teamId(c.competitors.find((x) => x.homeAway === 'away')?.team.abbreviation ?? '');
      if (!tip || !home || !away || easternDate(tip) !== date) return [];
      const odds = Array.isArray(c.odds) ? c.odds.slice(0, 20) : [];
      return [{ eventId: e.id, home, away, state: e.status?.type.state ?? null, odds }];
    });
  if (!sched && espn instanceof Error) throw new UpstreamError('espn', `no schedule for ${date} (NBA schedule unavailable; ${espn.reason})`);
  const games: DayGame[] = (sched ?? []).map((s) => {
    const ev = events.find((e) => e.home === s.homeTeamId && e.away === s.awayTeamId);
    return { id: s.id, espnEventId: ev?.eventId ?? null, espnState: ev?.state ?? null, homeTeamId: s.homeTeamId, awayTeamId: s.awayTeamId, odds: ev?.odds ?? [] };
  });
  for (const e of events) {
    if (!games.some((g) => g.homeTeamId === e.home && g.awayTeamId === e.away)) {
      games.push({ id: `espn-${e.eventId}`, espnEventId: e.eventId, espnState: e.state, homeTeamId: e.home, awayTeamId: e.away, odds: e.odds });
    }
  }
  return games;
}

/** The CDN box score of a game, or null while it is not published (the CDN answers 403/404 until then). */
async function boxOf(cfg: NbaConfig, gameId: string) {
  if (!NBA_GAME_ID.test(gameId)) return null;
  try {
    return await fetchJson('nba-cdn', cfg.cdnBase + CDN_PATHS.boxscore(gameId), BoxIn, { timeoutMs: cfg.timeoutMs, headers: CDN_HEADERS });
  } catch (e) {
    if (e instanceof UpstreamError && e.notFound) return null;
    throw e;
  }
}

const detailOf = (i: z.output<typeof InjuryIn>) => (i.shortComment ?? i.details?.type ?? null)?.slice(0, 160) ?? null;

export async function availability(cfg: NbaConfig, date: string, now = new Date()): Promise<AvailabilityResult> {
  const games = await dayGames(cfg, date);
  const gameOfTeam = new Map<string, DayGame>();
  for (const g of games) gameOfTeam.set(g.homeTeamId, g).set(g.awayTeamId, g);

  // 1. The official inactive lists, where published.
  const boxes = await Promise.all(games.map((g) => boxOf(cfg, g.id).catch(() => null)));
  const byKey = new Map<string, AvailabilityEntry>();
  const rosterIds = new Map<string, string>(); // team|nameKey → NBA.com id
  const published: string[] = [];
  boxes.forEach((box, i) => {
    if (!box) return;
    published.push(games[i].id);
    for (const side of [box.game.homeTeam, box.game.awayTeam]) {
      const tid = teamId(side.teamTricode);
      if (!tid) continue;
      for (const p of side.players) {
        rosterIds.set(`${tid}|${nameKey(p.name)}`, String(p.personId));
        if (p.status !== 'INACTIVE') continue;
        const detail = p.notPlayingDescription ?? p.notPlayingReason ?? null;
        byKey.set(String(p.personId), { playerId: String(p.personId), name: p.name, teamId: tid, gameId: games[i].id, status: 'out', detail: detail?.slice(0, 160) ?? null, source: 'nba-cdn' });
      }
    }
  });

  // 2. ESPN: the league-wide feed, else each game's summary.
  const reported: { teamId: string; injury: z.output<typeof InjuryIn> }[] = [];
  let espn: AvailabilityResult['espn'] = 'injuries';
  try {
    const feed = await fetchJson('espn', cfg.espnBase + REPORT_PATHS.injuries, InjuriesIn, { timeoutMs: cfg.timeoutMs, errorBody: espnErrorBody });
    for (const t of feed.injuries) {
      const tid = teamOfDisplayName(t.displayName);
      if (tid) for (const injury of t.injuries) reported.push({ teamId: tid, injury });
    }
  } catch (e) {
    if (!(e instanceof UpstreamError)) throw e;
    espn = 'summary';
    const sums = await Promise.all(games.filter((g) => g.espnEventId).map((g) =>
      fetchJson('espn', cfg.espnBase + ESPN_PATHS.summary(g.espnEventId!), SummaryInjuriesIn, { timeoutMs: cfg.timeoutMs, errorBody: espnErrorBody }).catch(() => null)));
    if (!sums.some((s) => s !== null)) espn = 'failed';
    for (const s of sums) for (const t of s?.injuries ?? []) {
      const tid = teamId(t.team.abbreviation);
      if (tid) for (const injury of t.injuries) reported.push({ teamId: tid, injury });
    }
  }
  for (const { teamId: tid, injury } of reported) {
    const g = gameOfTeam.get(tid);
    const status = statusOf(injury.status);
    // a team not playing that day, a game already started, or a status word we do not know
    if (!g || g.espnState !== 'pre' || !status) continue;
    const nbaId = rosterIds.get(`${tid}|${nameKey(injury.athlete.displayName)}`);
    const playerId = nbaId ?? espnPlayerId(injury.athlete.id);
    if (byKey.get(playerId)?.source === 'nba-cdn') continue; // the official list wins
    byKey.set(playerId, { playerId, name: injury.athlete.displayName, teamId: tid, gameId: g.id, status, detail: detailOf(injury), source: 'espn' });
  }
  const players = validRows(AvailabilityWire, [...byKey.values()]);
  return { date, fetchedAt: now.toISOString(), published, espn, players };
}

/** A line from one ESPN odds object, or null when it carries nothing usable. */
export function lineOf(raw: unknown, g: DayGame, source: MarketLine['source']): MarketLine | null {
  const r = OddsIn.safeParse(raw);
  if (!r.success) return null;
  const o = r.data;
  let homeSpread: number | null = null;
  // "PHX -6.5": the favourite and the points; ESPN's `spread` is the home team's line.
  const m = /^([A-Z]{2,4})\s+(-?\d{1,2}(?:\.\d)?)$/.exec(o.details?.trim() ?? '');
  if (m) {
    const fav = teamId(m[1]);
    const pts = Math.abs(Number(m[2]));
    if (fav === g.homeTeamId) homeSpread = -pts;
    else if (fav === g.awayTeamId) homeSpread = pts;
  } else if (/^even$|^pk$|^pick/i.test(o.details?.trim() ?? '')) homeSpread = 0;
  if (homeSpread === null && o.spread !== undefined) homeSpread = o.spread;
  const homeMoneyline = o.homeTeamOdds?.moneyLine ?? null;
  const awayMoneyline = o.awayTeamOdds?.moneyLine ?? null;
  if (homeSpread === null && homeMoneyline === null && o.overUnder === undefined) return null;
  return {
    gameId: g.id, homeTeamId: g.homeTeamId, awayTeamId: g.awayTeamId, provider: o.provider?.name ?? 'ESPN',
    homeSpread, overUnder: o.overUnder ?? null, homeMoneyline: homeMoneyline !== null && awayMoneyline !== null ? homeMoneyline : null,
    awayMoneyline: homeMoneyline !== null && awayMoneyline !== null ? awayMoneyline : null, source,
  };
}

/** The first usable line of a list (ESPN lists its main book first; "consensus" and others follow). */
const firstLine = (list: readonly unknown[], g: DayGame, source: MarketLine['source']) => {
  for (const x of list) {
    const l = lineOf(x, g, source);
    if (l) return l;
  }
  return null;
};

export async function odds(cfg: NbaConfig, date: string, now = new Date()): Promise<OddsResult> {
  const games = await dayGames(cfg, date);
  const lines = await Promise.all(games.map(async (g) => {
    const fromBoard = firstLine(g.odds, g, 'scoreboard');
    if (fromBoard || !g.espnEventId) return fromBoard;
    const sum = await fetchJson('espn', cfg.espnBase + ESPN_PATHS.summary(g.espnEventId), SummaryInjuriesIn, { timeoutMs: cfg.timeoutMs, errorBody: espnErrorBody }).catch(() => null);
    return sum ? firstLine(sum.pickcenter ?? [], g, 'summary') : null;
  }));
  return { date, fetchedAt: now.toISOString(), games: validRows(MarketLineWire, lines.filter((l) => l !== null)) };
}
