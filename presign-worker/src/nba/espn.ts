// ESPN site API upstream (fallback): scoreboard?dates=YYYYMMDD and summary?event=<id>.
// Team codes go through the crosswalk (GS→GSW, …). Game ids become NBA.com ids when the NBA schedule lists a game
// on the same Eastern date between the same two teams; otherwise `espn-<eventId>`. Athlete ids are always
// `espn-<athleteId>` (ESPN has no NBA.com person id): the app matches them to NBA.com players by name (nameKey).
import { z } from 'zod';
import { countedEspnSeasonType, easternDate, espnGameId, espnPlayerId, isoUtc, liveClock, minutesOf, NBA_GAME_ID, reasonText, teamId } from './crosswalk';
import { fetchJson, takeBoxScoreFetches, UpstreamError } from './http';
import type { Game, GameStatus, Player, PlayerGameLog, Slate } from './types';
import type { NbaUpstream, UpstreamContext } from './upstream';

export const ESPN_PATHS = {
  scoreboard: (date: string) => `/apis/site/v2/sports/basketball/nba/scoreboard?dates=${date.replaceAll('-', '')}`,
  summary: (eventId: string) => `/apis/site/v2/sports/basketball/nba/summary?event=${eventId}`,
};

/** ESPN's error body, e.g. {"code":404,"message":"Error invoking GET: …"} (sometimes with HTTP 200). */
export function espnErrorBody(json: unknown): string | null {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (typeof o.code === 'number' && typeof o.message === 'string' && !('events' in o) && !('header' in o)) return `error ${o.code}`;
  }
  return null;
}

// ---- upstream shapes (only the fields used) ----

const Status = z.object({
  period: z.number().int().optional(),
  displayClock: z.string().max(20).optional(),
  type: z.object({ name: z.string(), state: z.enum(['pre', 'in', 'post']), completed: z.boolean() }),
});
const Competitor = z.object({
  homeAway: z.enum(['home', 'away']),
  team: z.object({ abbreviation: z.string().min(1) }),
  score: z.union([z.string(), z.number()]).optional(),
});
const Competition = z.object({
  date: z.string().optional(),
  competitors: z.array(Competitor).length(2),
  status: Status.optional(),
});
const EventIn = z.object({
  id: z.string().regex(/^\d{1,12}$/),
  date: z.string(),
  season: z.object({ type: z.number().int() }).optional(),
  competitions: z.array(Competition).min(1),
  status: Status.optional(),
});
const ScoreboardIn = z.object({ events: z.array(EventIn) });

const AthleteLine = z.object({
  athlete: z.object({
    id: z.string().regex(/^\d{1,12}$/),
    displayName: z.string().min(1),
    position: z.object({ abbreviation: z.string() }).optional(),
  }),
  starter: z.boolean().default(false),
  didNotPlay: z.boolean().default(false),
  reason: z.string().optional(),
  stats: z.array(z.string()),
});
const TeamBox = z.object({
  team: z.object({ abbreviation: z.string().min(1) }),
  statistics: z.array(z.object({
    keys: z.array(z.string()).optional(),
    labels: z.array(z.string()).optional(),
    athletes: z.array(AthleteLine),
  })),
});
const SummaryIn = z.object({
  header: z.object({
    id: z.string().regex(/^\d{1,12}$/),
    season: z.object({ type: z.number().int() }).optional(),
    competitions: z.array(Competition.extend({ date: z.string(), status: Status })).min(1),
  }),
  boxscore: z.object({ players: z.array(TeamBox).optional() }).optional(),
});
type Summary = z.output<typeof SummaryIn>;

// ---- mapping ----

function status(t: z.output<typeof Status>['type']): GameStatus {
  if (/POSTPONED|CANCEL|SUSPENDED|FORFEIT/i.test(t.name)) return 'postponed';
  if (t.state === 'pre') return 'scheduled';
  if (t.state === 'in') return 'live';
  return t.completed ? 'final' : 'postponed';
}

function team(eventId: string, code: string): string {
  const t = teamId(code);
  if (!t) throw new UpstreamError('espn', `event ${eventId}: unknown team code "${code}"`);
  return t;
}

function score(eventId: string, v: string | number | undefined): number {
  const n = typeof v === 'number' ? v : /^\d{1,3}$/.test(v ?? '') ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new UpstreamError('espn', `event ${eventId}: bad score "${v}"`);
  return n;
}

/** A Game from an ESPN competition; the id is ESPN's until the crosswalk replaces it. */
function gameOf(eventId: string, date: string, c: z.output<typeof Competition>, st: z.output<typeof Status> | undefined): Game {
  const s = st ?? c.status;
  if (!s) throw new UpstreamError('espn', `event ${eventId}: no status`);
  const tip = isoUtc(date);
  if (!tip) throw new UpstreamError('espn', `event ${eventId}: bad date "${date}"`);
  const home = c.competitors.find((x) => x.homeAway === 'home');
  const away = c.competitors.find((x) => x.homeAway === 'away');
  if (!home || !away) throw new UpstreamError('espn', `event ${eventId}: no home/away`);
  const gs = status(s.type);
  const scored = gs === 'live' || gs === 'final';
  return {
    id: espnGameId(eventId),
    date: easternDate(tip),
    tipoff: tip,
    homeTeamId: team(eventId, home.team.abbreviation),
    awayTeamId: team(eventId, away.team.abbreviation),
    status: gs,
    homeScore: scored ? score(eventId, home.score) : null,
    awayScore: scored ? score(eventId, away.score) : null,
    ...liveClock(gs, s.period, s.displayClock),
  };
}

/** Replaces espn-<id> with the NBA.com game id when the NBA schedule has the same date and teams. */
async function crosswalk(g: Game, ctx: UpstreamContext): Promise<Game> {
  const day = await ctx.scheduleDay(g.date);
  const nba = day?.find((s) => s.homeTeamId === g.homeTeamId && s.awayTeamId === g.awayTeamId);
  return nba ? { ...g, id: nba.id } : g;
}

const STAT_KEYS = {
  minutes: ['minutes', 'MIN'],
  points: ['points', 'PTS'],
  rebounds: ['rebounds', 'REB'],
  assists: ['assists', 'AST'],
  threes: ['threePointFieldGoalsMade-threePointFieldGoalsAttempted', '3PT'],
} as const;

/** Box-score lines of a final game from an ESPN summary. */
function linesOf(sum: Summary, game: Game): { players: Player[]; logs: PlayerGameLog[] } {
  const ev = sum.header.id;
  const teams = sum.boxscore?.players ?? [];
  if (teams.length !== 2) throw new UpstreamError('espn', `event ${ev}: final without a two-team box score`);
  const players: Player[] = [];
  const logs: PlayerGameLog[] = [];
  for (const t of teams) {
    const tid = team(ev, t.team.abbreviation);
    if (tid !== game.homeTeamId && tid !== game.awayTeamId) throw new UpstreamError('espn', `event ${ev}: box score team ${tid} not in the game`);
    const home = tid === game.homeTeamId;
    for (const group of t.statistics) {
      const names = group.keys?.length ? group.keys : (group.labels ?? []);
      const at = (k: keyof typeof STAT_KEYS) => {
        const i = names.findIndex((n) => (STAT_KEYS[k] as readonly string[]).includes(n));
        if (i < 0) throw new UpstreamError('espn', `event ${ev}: box score has no ${k} column`);
        return i;
      };
      if (group.athletes.length === 0) continue;
      const col = { minutes: at('minutes'), points: at('points'), rebounds: at('rebounds'), assists: at('assists'), threes: at('threes') };
      for (const a of group.athletes) {
        const played = !a.didNotPlay && a.stats.length > 0;
        const num = (k: keyof typeof col) => {
          const raw = a.stats[col[k]] ?? '';
          const v = raw === '--' || raw === '' ? 0 : k === 'minutes' ? minutesOf(raw) : k === 'threes' ? Number(/^(\d+)-\d+$/.exec(raw)?.[1] ?? NaN) : /^\d+$/.test(raw) ? Number(raw) : NaN;
          if (v === null || !Number.isFinite(v)) throw new UpstreamError('espn', `event ${ev}: bad ${k} "${raw}" for athlete ${a.athlete.id}`);
          return v;
        };
        const id = espnPlayerId(a.athlete.id);
        players.push({ id, name: a.athlete.displayName, teamId: tid, position: a.athlete.position?.abbreviation ?? '' });
        logs.push({
          gameId: game.id,
          playerId: id,
          teamId: tid,
          opponentId: home ? game.awayTeamId : game.homeTeamId,
          date: game.date,
          home,
          played,
          starter: a.starter,
          minutes: played ? num('minutes') : 0,
          points: played ? num('points') : 0,
          rebounds: played ? num('rebounds') : 0,
          assists: played ? num('assists') : 0,
          threesMade: played ? num('threes') : 0,
          dnpReason: played ? null : (a.reason ? `DNP - ${reasonText(a.reason)}` : 'DNP').slice(0, 120),
        });
      }
    }
  }
  return { players, logs };
}

export class Espn implements NbaUpstream {
  readonly name = 'espn' as const;

  servesGame(gameId: string) {
    return NBA_GAME_ID.test(gameId) || /^espn-\d{1,12}$/.test(gameId);
  }

  private get(ctx: UpstreamContext, path: string) {
    return { url: ctx.cfg.espnBase + path, o: { timeoutMs: ctx.cfg.timeoutMs, errorBody: espnErrorBody } };
  }

  private async scoreboard(date: string, ctx: UpstreamContext) {
    const { url, o } = this.get(ctx, ESPN_PATHS.scoreboard(date));
    const sb = await fetchJson('espn', url, ScoreboardIn, o);
    return sb.events
      .filter((e) => countedEspnSeasonType(e.season?.type))
      .map((e) => ({ eventId: e.id, game: gameOf(e.id, e.date, e.competitions[0], e.status ?? e.competitions[0].status) }))
      .filter((x) => x.game.date === date);
  }

  private async summary(eventId: string, ctx: UpstreamContext) {
    const { url, o } = this.get(ctx, ESPN_PATHS.summary(eventId));
    const sum = await fetchJson('espn', url, SummaryIn, o);
    if (sum.header.id !== eventId) throw new UpstreamError('espn', `summary for ${eventId} is about event ${sum.header.id}`);
    return sum;
  }

  async day(date: string, ctx: UpstreamContext): Promise<Slate> {
    const events = await this.scoreboard(date, ctx);
    const games = await Promise.all(events.map((e) => crosswalk(e.game, ctx)));
    const players: Player[] = [];
    const logs: PlayerGameLog[] = [];
    const finals = events.map((e, i) => ({ ...e, game: games[i] })).filter((e) => e.game.status === 'final');
    takeBoxScoreFetches('espn', ctx.cfg.espnBase, finals.length, ctx.cfg.boxScoresPerMinute);
    const sums = await Promise.all(finals.map((f) => this.summary(f.eventId, ctx)));
    for (const [i, sum] of sums.entries()) {
      const l = linesOf(sum, finals[i].game);
      players.push(...l.players);
      logs.push(...l.logs);
    }
    return { games, players, logs };
  }

  async game(gameId: string, ctx: UpstreamContext): Promise<Slate> {
    let eventId: string;
    let nbaId: string | null = null;
    if (NBA_GAME_ID.test(gameId)) {
      // an NBA.com id: find the ESPN event through the NBA schedule (date + teams)
      const s = await ctx.scheduledGame(gameId);
      if (!s) throw new UpstreamError('espn', `no crosswalk for ${gameId} (NBA schedule unavailable or game unknown)`);
      const ev = (await this.scoreboard(s.date, ctx)).find((e) => e.game.homeTeamId === s.homeTeamId && e.game.awayTeamId === s.awayTeamId);
      if (!ev) throw new UpstreamError('espn', `no ESPN event for ${gameId} (${s.awayTeamId} at ${s.homeTeamId} on ${s.date})`, true);
      eventId = ev.eventId;
      nbaId = gameId;
    } else {
      eventId = gameId.slice('espn-'.length);
    }
    const sum = await this.summary(eventId, ctx);
    if (!countedEspnSeasonType(sum.header.season?.type)) throw new UpstreamError('espn', `event ${eventId} is not a regular-season or playoff game`, true);
    const c = sum.header.competitions[0];
    let game = gameOf(eventId, c.date, c, c.status);
    game = nbaId ? { ...game, id: nbaId } : await crosswalk(game, ctx);
    if (game.status !== 'final') return { games: [game], players: [], logs: [] };
    return { games: [game], ...linesOf(sum, game) };
  }
}
