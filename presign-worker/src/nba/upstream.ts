// The one interface every NBA data upstream implements, and the fallback chain the routes use.
import { addDays, easternDate, ESPN_GAME_ID } from './crosswalk';
import { excerpt, firstIssue, MAX_REASON_CHARS, UpstreamError, type UpstreamName } from './http';
import { type BoxResult, type DayResult, type Game, type Slate, SlateWire } from './types';

export interface NbaConfig {
  cdnBase: string;
  espnBase: string;
  timeoutMs: number;
  /** box scores / summaries a day request may fetch per minute (per isolate); default 300 */
  boxScoresPerMinute?: number;
}

/** A game as the NBA.com season schedule lists it (used for the ESPN crosswalk and game lookups). */
export interface ScheduledGame {
  id: string;
  date: string;
  homeTeamId: string;
  awayTeamId: string;
}

/** What an upstream may use besides its own feeds: config, clock and the NBA.com schedule for the crosswalk. */
export interface UpstreamContext {
  cfg: NbaConfig;
  now: Date;
  /** The NBA.com schedule games of an Eastern date, or null if the schedule is unavailable/does not cover it. */
  scheduleDay(date: string): Promise<ScheduledGame[] | null>;
  /** An NBA.com game id's schedule entry, or null. */
  scheduledGame(gameId: string): Promise<ScheduledGame | null>;
}

export interface NbaUpstream {
  readonly name: UpstreamName;
  /** Can this upstream look up a game by this id (NBA.com `00…` or `espn-<id>`)? */
  servesGame(gameId: string): boolean;
  /** Games of one Eastern date (status, scores) with box-score lines for the final ones. */
  day(date: string, ctx: UpstreamContext): Promise<Slate>;
  /** One game (games has exactly one entry); box-score lines only if it is final. */
  game(gameId: string, ctx: UpstreamContext): Promise<Slate>;
}

/** Both upstreams failed (or the only one that can serve the request did). */
export class UpstreamFailure extends Error {
  constructor(
    readonly upstream: UpstreamName,
    readonly reason: string,
  ) {
    const clean = excerpt(reason, 2 * MAX_REASON_CHARS + 10);
    super(clean);
    this.reason = clean;
  }
}

const asUpstreamError = (name: UpstreamName, e: unknown) =>
  e instanceof UpstreamError ? e : new UpstreamError(name, `unexpected failure (${(e as Error)?.message ?? String(e)})`);

/** Re-checks an upstream's mapped output; anything off makes the whole answer of that upstream a failure. */
function checked(name: UpstreamName, slate: Slate): Slate {
  const r = SlateWire.safeParse(slate);
  if (!r.success) throw new UpstreamError(name, `mapped data failed validation (${firstIssue(r.error)})`);
  // From here on the parsed rows: only checked fields leave the worker.
  const checkedSlate: Slate = r.data;
  const finals = new Set(checkedSlate.games.filter((g) => g.status === 'final').map((g) => g.id));
  const logs = checkedSlate.logs.filter((l) => finals.has(l.gameId));
  const players = new Map(checkedSlate.players.map((p) => [p.id, p]));
  for (const l of logs) if (!players.has(l.playerId)) throw new UpstreamError(name, `log for unknown player ${l.playerId}`);
  const used = new Set(logs.map((l) => l.playerId));
  return { games: checkedSlate.games, players: [...players.values()].filter((p) => used.has(p.id)), logs };
}

async function firstThatWorks<T>(chain: NbaUpstream[], run: (u: NbaUpstream) => Promise<T>): Promise<{ value: T; source: UpstreamName }> {
  const reasons: string[] = [];
  let last: UpstreamName = chain[chain.length - 1]?.name ?? 'nba-cdn';
  for (const u of chain) {
    try {
      return { value: await run(u), source: u.name };
    } catch (e) {
      const err = asUpstreamError(u.name, e);
      if (!(e instanceof UpstreamError)) console.error(e);
      reasons.push(err.message);
      last = u.name;
    }
  }
  throw new UpstreamFailure(last, reasons.join('; '));
}

export class NbaData {
  constructor(
    private readonly upstreams: NbaUpstream[],
    private readonly schedule: (cfg: NbaConfig) => Promise<{ day(date: string): ScheduledGame[] | null; game(id: string): ScheduledGame | null }>,
  ) {}

  private context(cfg: NbaConfig, now: Date): UpstreamContext {
    let sched: ReturnType<typeof this.schedule> | undefined;
    const load = () => {
      sched ??= this.schedule(cfg);
      return sched.catch(() => null); // the crosswalk is best effort
    };
    return {
      cfg,
      now,
      scheduleDay: async (date) => (await load())?.day(date) ?? null,
      scheduledGame: async (id) => (await load())?.game(id) ?? null,
    };
  }

  async day(cfg: NbaConfig, date: string, now = new Date()): Promise<DayResult> {
    const ctx = this.context(cfg, now);
    const { value, source } = await firstThatWorks(this.upstreams, async (u) => checked(u.name, await u.day(date, ctx)));
    return { date, source, fetchedAt: now.toISOString(), ...value };
  }

  async game(cfg: NbaConfig, gameId: string, now = new Date()): Promise<BoxResult> {
    const ctx = this.context(cfg, now);
    const chain = this.upstreams.filter((u) => u.servesGame(gameId));
    const { value, source } = await firstThatWorks(chain, async (u) => {
      const s = checked(u.name, await u.game(gameId, ctx));
      if (s.games.length !== 1) throw new UpstreamError(u.name, `expected one game, got ${s.games.length}`);
      return s;
    });
    return { source, fetchedAt: now.toISOString(), game: value.games[0], players: value.players, logs: value.logs };
  }
}

/**
 * How long the edge may keep an answer: seconds for live games, a day once everything is final (or the day is
 * past and empty), a few minutes for future days, a minute for a day whose games have not started yet.
 */
export function cacheSeconds(date: string, games: Game[], now: Date): number {
  const today = easternDate(now);
  if (games.some((g) => g.status === 'live')) return 10;
  const done = games.every((g) => g.status === 'final' || g.status === 'postponed');
  if (done && date < today) return 86_400;
  if (done && games.length > 0) return 3600; // today, all final: late stat corrections are still possible
  if (date > addDays(today, 1)) return 600;
  return 60;
}

export const isEspnGameId = (id: string) => ESPN_GAME_ID.test(id);
