// NBA CDN upstream: the season schedule (trimmed to an index), today's liveData scoreboard and liveData box scores.
// Ids are NBA.com's already. The CDN answers 403 without an nba.com Referer, which the worker sends.
import { z } from 'zod';
import { addDays, countedNbaGame, easternDate, isoUtc, liveClock, minutesOf, NBA_GAME_ID, reasonText, teamId } from './crosswalk';
import { cacheGet, cacheKey, cachePut } from './cache';
import { fetchJson, takeBoxScoreFetches, UpstreamError } from './http';
import type { Game, GameStatus, Player, PlayerGameLog, Slate } from './types';
import type { NbaConfig, NbaUpstream, ScheduledGame, UpstreamContext } from './upstream';

export const CDN_PATHS = {
  schedule: '/static/json/staticData/scheduleLeagueV2.json',
  scoreboard: '/static/json/liveData/scoreboard/todaysScoreboard_00.json',
  boxscore: (gameId: string) => `/static/json/liveData/boxscore/boxscore_${gameId}.json`,
};

export const CDN_HEADERS = { referer: 'https://www.nba.com/', origin: 'https://www.nba.com' };

const int = z.number().int();
const tricode = z.string();

// ---- upstream shapes (only the fields used; zod drops the rest) ----

const ScheduleTeam = z.object({ teamTricode: tricode, score: int.nullable().optional() });
const ScheduleGameIn = z.object({
  gameId: z.string().regex(NBA_GAME_ID),
  gameStatus: int,
  gameStatusText: z.string().default(''),
  gameDateTimeUTC: z.string(),
  postponedStatus: z.string().optional(),
  homeTeam: ScheduleTeam,
  awayTeam: ScheduleTeam,
});
export const ScheduleIn = z.object({
  leagueSchedule: z.object({
    seasonYear: z.string(),
    gameDates: z.array(z.object({ gameDate: z.string().regex(/^\d{2}\/\d{2}\/\d{4}/), games: z.array(ScheduleGameIn) })),
  }),
});

const ScoreboardTeam = z.object({ teamTricode: tricode, score: int.nullable().optional() });
const ScoreboardIn = z.object({
  scoreboard: z.object({
    gameDate: z.iso.date(),
    games: z.array(z.object({
      gameId: z.string().regex(NBA_GAME_ID),
      gameStatus: int,
      gameStatusText: z.string().default(''),
      gameTimeUTC: z.string(),
      period: int.optional(),
      gameClock: z.string().max(20).optional(),
      homeTeam: ScoreboardTeam,
      awayTeam: ScoreboardTeam,
    })),
  }),
});

const BoxStats = z.object({
  minutes: z.string(),
  points: int,
  reboundsTotal: int,
  assists: int,
  threePointersMade: int,
});
const BoxPlayer = z.object({
  personId: int.positive(),
  name: z.string().min(1),
  position: z.string().optional(),
  starter: z.enum(['0', '1']).default('0'),
  played: z.enum(['0', '1']),
  status: z.string().optional(),
  notPlayingReason: z.string().optional(),
  notPlayingDescription: z.string().optional(),
  statistics: BoxStats.optional(),
});
const BoxTeam = z.object({ teamTricode: tricode, score: int.nullable().optional(), players: z.array(BoxPlayer) });
const BoxscoreIn = z.object({
  game: z.object({
    gameId: z.string().regex(NBA_GAME_ID),
    gameStatus: int,
    gameStatusText: z.string().default(''),
    gameTimeUTC: z.string(),
    gameEt: z.string().optional(),
    homeTeam: BoxTeam,
    awayTeam: BoxTeam,
  }),
});
type Boxscore = z.output<typeof BoxscoreIn>;

// ---- mapping ----

function status(id: string, gameStatus: number, text: string, postponed?: string): GameStatus {
  if (postponed === 'P' || /\b(ppd|postponed|cancel+ed)\b/i.test(text)) return 'postponed';
  if (gameStatus === 1) return 'scheduled';
  if (gameStatus === 2) return 'live';
  if (gameStatus === 3) return 'final';
  throw new UpstreamError('nba-cdn', `game ${id}: unknown gameStatus ${gameStatus}`);
}

function team(id: string, code: string): string {
  const t = teamId(code);
  if (!t) throw new UpstreamError('nba-cdn', `game ${id}: unknown team code "${code}"`);
  return t;
}

function scores(id: string, st: GameStatus, home?: number | null, away?: number | null) {
  if (st !== 'live' && st !== 'final') return { homeScore: null, awayScore: null };
  if (typeof home !== 'number' || typeof away !== 'number') throw new UpstreamError('nba-cdn', `game ${id}: ${st} without scores`);
  return { homeScore: home, awayScore: away };
}

function tipoff(id: string, instant: string): string {
  const t = isoUtc(instant);
  if (!t) throw new UpstreamError('nba-cdn', `game ${id}: bad tip-off time "${instant}"`);
  return t;
}

/** The schedule trimmed to what the routes need, indexed by Eastern date and by id. */
export interface ScheduleIndex {
  season: string;
  first: string;
  last: string;
  byDate: Map<string, Game[]>;
  byId: Map<string, Game>;
  /** dates with a game that could not be mapped (unknown team, bad time): asking for them is an upstream error */
  broken: Map<string, string>;
}

export function indexSchedule(raw: z.output<typeof ScheduleIn>): ScheduleIndex {
  const byDate = new Map<string, Game[]>();
  const byId = new Map<string, Game>();
  const broken = new Map<string, string>();
  let first = '9999-12-31';
  let last = '0000-01-01';
  for (const d of raw.leagueSchedule.gameDates) {
    const [mm, dd, yyyy] = d.gameDate.slice(0, 10).split('/');
    const date = `${yyyy}-${mm}-${dd}`;
    if (date < first) first = date;
    if (date > last) last = date;
    for (const g of d.games) {
      if (!countedNbaGame(g.gameId)) continue;
      if (!g.homeTeam.teamTricode || !g.awayTeam.teamTricode) continue; // playoff slots whose teams are not known yet
      try {
        const st = status(g.gameId, g.gameStatus, g.gameStatusText, g.postponedStatus);
        const game: Game = {
          id: g.gameId,
          date,
          tipoff: tipoff(g.gameId, g.gameDateTimeUTC),
          homeTeamId: team(g.gameId, g.homeTeam.teamTricode),
          awayTeamId: team(g.gameId, g.awayTeam.teamTricode),
          status: st,
          ...scores(g.gameId, st, g.homeTeam.score, g.awayTeam.score),
        };
        byDate.set(date, [...(byDate.get(date) ?? []), game]);
        byId.set(game.id, game);
      } catch (e) {
        broken.set(date, e instanceof UpstreamError ? e.reason : String(e));
      }
    }
  }
  return { season: raw.leagueSchedule.seasonYear, first, last, byDate, byId, broken };
}

const SCHEDULE_TTL_MS = 5 * 60_000;
const schedules = new Map<string, { at: number; index: Promise<ScheduleIndex> }>();

/** The trimmed index as stored in the edge cache (~50 bytes a game instead of ~3 KB). */
interface StoredIndex { season: string; first: string; last: string; games: Game[]; broken: [string, string][] }

function fromStored(s: StoredIndex): ScheduleIndex {
  const byDate = new Map<string, Game[]>();
  for (const g of s.games) byDate.set(g.date, [...(byDate.get(g.date) ?? []), g]);
  return { season: s.season, first: s.first, last: s.last, byDate, byId: new Map(s.games.map((g) => [g.id, g])), broken: new Map(s.broken) };
}

async function fetchIndex(cfg: NbaConfig): Promise<ScheduleIndex> {
  // the raw schedule is several MB (tens of ms of CPU to parse): other isolates of the colo share the trimmed index
  const key = await cacheKey('/schedule-index', { cdn: cfg.cdnBase });
  const hit = await cacheGet(key);
  if (hit) {
    try {
      return fromStored(JSON.parse(hit.body) as StoredIndex);
    } catch {
      /* refetch */
    }
  }
  const index = indexSchedule(await fetchJson('nba-cdn', cfg.cdnBase + CDN_PATHS.schedule, ScheduleIn, { timeoutMs: cfg.timeoutMs, headers: CDN_HEADERS }));
  const stored: StoredIndex = { season: index.season, first: index.first, last: index.last, games: [...index.byId.values()], broken: [...index.broken] };
  await cachePut(key, JSON.stringify(stored), SCHEDULE_TTL_MS / 1000);
  return index;
}

/** The season schedule, fetched at most every 5 minutes per isolate (and colo) and kept only as the trimmed index. */
export function loadSchedule(cfg: NbaConfig, now = Date.now()): Promise<ScheduleIndex> {
  const hit = schedules.get(cfg.cdnBase);
  if (hit && now - hit.at < SCHEDULE_TTL_MS) return hit.index;
  const index = fetchIndex(cfg);
  schedules.set(cfg.cdnBase, { at: now, index });
  index.catch(() => {
    if (schedules.get(cfg.cdnBase)?.index === index) schedules.delete(cfg.cdnBase); // never keep a failure
  });
  return index;
}

/** For tests: forget cached schedules. */
export const clearScheduleCache = () => schedules.clear();

/** The crosswalk view of the schedule (see NbaData). */
export async function scheduleLookup(cfg: NbaConfig) {
  const s = await loadSchedule(cfg);
  const slim = (g: Game): ScheduledGame => ({ id: g.id, date: g.date, homeTeamId: g.homeTeamId, awayTeamId: g.awayTeamId });
  return {
    day: (date: string) => (date < s.first ? null : (s.byDate.get(date) ?? []).map(slim)),
    game: (id: string) => {
      const g = s.byId.get(id);
      return g ? slim(g) : null;
    },
  };
}

function dnpReason(p: z.output<typeof BoxPlayer>): string {
  if (p.notPlayingReason) {
    const r = reasonText(p.notPlayingReason);
    return (p.notPlayingDescription ? `${r} (${p.notPlayingDescription})` : r).slice(0, 120);
  }
  return p.status === 'INACTIVE' ? 'Inactive' : "DNP - Coach's Decision";
}

/** Game row and (if final) box-score lines from a liveData box score. */
export function mapBoxscore(box: Boxscore, known?: Game): Slate {
  const g = box.game;
  const st = status(g.gameId, g.gameStatus, g.gameStatusText);
  const home = team(g.gameId, g.homeTeam.teamTricode);
  const away = team(g.gameId, g.awayTeam.teamTricode);
  const date = known?.date ?? (/^\d{4}-\d{2}-\d{2}T/.test(g.gameEt ?? '') ? g.gameEt!.slice(0, 10) : easternDate(tipoff(g.gameId, g.gameTimeUTC)));
  const game: Game = {
    id: g.gameId,
    date,
    tipoff: tipoff(g.gameId, g.gameTimeUTC),
    homeTeamId: home,
    awayTeamId: away,
    status: st,
    ...scores(g.gameId, st, g.homeTeam.score, g.awayTeam.score),
  };
  if (st !== 'final') return { games: [game], players: [], logs: [] };
  const players: Player[] = [];
  const logs: PlayerGameLog[] = [];
  for (const [side, teamCode, opp] of [[g.homeTeam, home, away], [g.awayTeam, away, home]] as const) {
    for (const p of side.players) {
      const played = p.played === '1';
      const s = p.statistics;
      if (played && !s) throw new UpstreamError('nba-cdn', `game ${g.gameId}: player ${p.personId} played without statistics`);
      const minutes = played ? minutesOf(s!.minutes) : 0;
      if (minutes === null) throw new UpstreamError('nba-cdn', `game ${g.gameId}: bad minutes "${s!.minutes}"`);
      const id = String(p.personId);
      players.push({ id, name: p.name, teamId: teamCode, position: p.position ?? '' });
      logs.push({
        gameId: g.gameId,
        playerId: id,
        teamId: teamCode,
        opponentId: opp,
        date,
        home: teamCode === home,
        played,
        starter: p.starter === '1',
        minutes,
        points: played ? s!.points : 0,
        rebounds: played ? s!.reboundsTotal : 0,
        assists: played ? s!.assists : 0,
        threesMade: played ? s!.threePointersMade : 0,
        dnpReason: played ? null : dnpReason(p),
      });
    }
  }
  return { games: [game], players, logs };
}

export class NbaCdn implements NbaUpstream {
  readonly name = 'nba-cdn' as const;

  servesGame(gameId: string) {
    return NBA_GAME_ID.test(gameId);
  }

  private box(cfg: NbaConfig, gameId: string) {
    return fetchJson('nba-cdn', cfg.cdnBase + CDN_PATHS.boxscore(gameId), BoxscoreIn, { timeoutMs: cfg.timeoutMs, headers: CDN_HEADERS });
  }

  async day(date: string, ctx: UpstreamContext): Promise<Slate> {
    const { cfg, now } = ctx;
    const s = await loadSchedule(cfg);
    if (date < s.first) throw new UpstreamError('nba-cdn', `${date} is before the ${s.season} schedule (starts ${s.first})`);
    const bad = s.broken.get(date);
    if (bad) throw new UpstreamError('nba-cdn', bad);
    let games = [...(s.byDate.get(date) ?? [])];

    // today's scoreboard is fresher than the schedule: use it when it is about this date
    const today = easternDate(now);
    if (games.some((g) => g.status !== 'final' && g.status !== 'postponed') && date <= addDays(today, 1)) {
      const sb = await fetchJson('nba-cdn', cfg.cdnBase + CDN_PATHS.scoreboard, ScoreboardIn, { timeoutMs: cfg.timeoutMs, headers: CDN_HEADERS });
      if (sb.scoreboard.gameDate === date) {
        const live = new Map(sb.scoreboard.games.map((g) => [g.gameId, g]));
        games = games.map((g) => {
          const u = live.get(g.id);
          if (!u) return g;
          const st = status(u.gameId, u.gameStatus, u.gameStatusText);
          return { ...g, tipoff: tipoff(u.gameId, u.gameTimeUTC), status: st, ...scores(u.gameId, st, u.homeTeam.score, u.awayTeam.score), ...liveClock(st, u.period, u.gameClock) };
        });
      }
    }

    const finals = games.filter((g) => g.status === 'final');
    takeBoxScoreFetches('nba-cdn', cfg.cdnBase, finals.length, cfg.boxScoresPerMinute);
    const boxes = await Promise.all(finals.map((g) => this.box(cfg, g.id)));
    const players: Player[] = [];
    const logs: PlayerGameLog[] = [];
    for (const [i, box] of boxes.entries()) {
      const m = mapBoxscore(box, finals[i]);
      const bg = m.games[0];
      if (bg.status !== 'final') throw new UpstreamError('nba-cdn', `game ${bg.id}: schedule says final, box score says ${bg.status}`);
      games = games.map((g) => (g.id === bg.id ? { ...g, homeScore: bg.homeScore, awayScore: bg.awayScore } : g));
      players.push(...m.players);
      logs.push(...m.logs);
    }
    return { games, players, logs };
  }

  async game(gameId: string, ctx: UpstreamContext): Promise<Slate> {
    const { cfg } = ctx;
    let known: Game | undefined;
    try {
      known = (await loadSchedule(cfg)).byId.get(gameId);
    } catch {
      /* the box score alone is enough for a started game */
    }
    // a game that has not started has no box score yet: the schedule row is the answer
    if (known && (known.status === 'scheduled' || known.status === 'postponed')) {
      try {
        return mapBoxscore(await this.box(cfg, gameId), known);
      } catch (e) {
        if (e instanceof UpstreamError && e.notFound) return { games: [known], players: [], logs: [] };
        throw e;
      }
    }
    return mapBoxscore(await this.box(cfg, gameId), known);
  }
}
