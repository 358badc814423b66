// What Today's Games shows for one date: the games with their projections (the engine's slate), the
// results once games are final, and one flat row per projected player for the slate-wide table.
// Pure over a database (no browser APIs), so Node tests and benchmarks run the same code.
import type { Database } from 'sql.js';
import { addDays, daysBetween } from '../../domain/dates';
import type { AvailabilityStatus, Game, IsoDate, MarketView, PlayerGameLog, Team } from '../../domain/types';
import { all } from '../../db/sql';
import { gamesOn, listTeams } from '../../db/league-repo';
import { countPredictions } from '../../db/predictions-repo';
import { calibratedConfidence } from '../../metrics/confidence';
import { runSteps, slateSteps, type Slate, type SlateGame, type SlateReports, type SlateSide } from '../slate';

/** Logging opens this many days before the games: further ahead, form and rosters are guesses. */
export const MAX_LOG_DAYS_AHEAD = 3;

/** The injury report's statuses as the card's badges and the table's column show them. */
export const AVAILABILITY_LABELS: Readonly<Record<AvailabilityStatus, string>> = {
  out: 'Out',
  doubtful: 'Doubtful',
  questionable: 'Questionable',
  probable: 'Probable',
  available: 'Available',
};

/** Hit when the actual falls inside floor–ceiling (the 80% band); DNP when he did not play. */
export type PlayerResult = 'hit' | 'miss' | 'dnp';

export interface SlatePlayerRow {
  playerId: string;
  playerName: string;
  teamId: string;
  opponentId: string;
  home: boolean;
  gameId: string;
  /** "NYK @ BOS", the game's own label in the game filter. */
  matchup: string;
  projectedPoints: number;
  floor: number;
  ceiling: number;
  /** Chance the actual lands within 5 points (metrics/confidence.ts). */
  confidence: number;
  projectedMinutes: number;
  /**
   * Injury-report status (out, doubtful, questionable, probable, available), or null while the app has
   * no report entry for him (then who plays is guessed from recent games, engine/availability.ts).
   */
  availability: AvailabilityStatus | null;
  actualPoints: number | null;
  result: PlayerResult | null;
}

export interface SlateSideView {
  teamId: string;
  teamName: string;
  rows: SlatePlayerRow[];
  /** Players the report rules out: no projection, listed so the reader sees why they are missing. */
  out: SlateSide['out'];
}

export interface SlateGameView {
  game: Game & { period?: number | null; clock?: string | null };
  title: string;
  homeWinProb: number;
  projectedMargin: number;
  favouriteId: string;
  /** The betting market for the game when the feeds carry it, shown beside the engine's pick (never blended). */
  market: MarketView | null;
  away: SlateSideView;
  home: SlateSideView;
  loggable: boolean;
  /** Once final: whether the favourite won (null before, or for a tie/postponed game). */
  pickCorrect: boolean | null;
  /** Once final: how many players' actuals fell inside their band, out of those who played. */
  hits: { hit: number; played: number } | null;
}

export interface SlateView {
  date: IsoDate;
  /** The store generation the slate was built from: "Log predictions" stores it unless data changed since. */
  generation: number;
  slate: Slate;
  games: SlateGameView[];
  players: SlatePlayerRow[];
  loggableGames: number;
  /** Why nothing can be logged for this date, in a sentence, or null when something can. */
  logRefusal: string | null;
  loggedCount: number;
  /**
   * True for scheduleView's games-only view (a first visit's history still loading): no projections, nothing to
   * log, replaced by the full slate once the history is in.
   */
  provisional?: boolean;
}

/** Box-score lines of the date's games (played or not), by game then player. */
function resultsOf(db: Database, gameIds: string[]): Map<string, Map<string, Pick<PlayerGameLog, 'played' | 'points'>>> {
  const byGame = new Map<string, Map<string, Pick<PlayerGameLog, 'played' | 'points'>>>();
  if (gameIds.length === 0) return byGame;
  const rows = all(db, `SELECT game_id, player_id, played, points FROM player_game_logs WHERE game_id IN (${gameIds.map(() => '?').join(',')})`, gameIds);
  for (const r of rows) {
    const game = byGame.get(String(r.game_id)) ?? new Map();
    game.set(String(r.player_id), { played: Number(r.played) === 1, points: Number(r.points) });
    byGame.set(String(r.game_id), game);
  }
  return byGame;
}

export function logRefusalFor(date: IsoDate, today: IsoDate, games: { loggable: boolean }[]): string | null {
  const ahead = daysBetween(today, date);
  if (ahead > MAX_LOG_DAYS_AHEAD) {
    return `Logging opens ${MAX_LOG_DAYS_AHEAD} days before the games (on ${addDays(date, -MAX_LOG_DAYS_AHEAD)}): this far ahead, recent form and rosters would be guesses.`;
  }
  if (games.length === 0) return null;
  if (!games.some((g) => g.loggable)) return 'All games have started; predictions can only be logged before tip-off.';
  return null;
}

export type SlateViewInput = { date: IsoDate; today: IsoDate; now: Date; sourceId: string; generation: number; reports?: SlateReports };

export function slateView(db: Database, input: SlateViewInput): SlateView {
  return runSteps(slateViewSteps(db, input));
}

/** slateView as steps (the slate's, slate.ts slateSteps, then the view's own reads). */
export function* slateViewSteps(db: Database, input: SlateViewInput): Generator<void, SlateView, void> {
  const slate = yield* slateSteps(db, input.date, input.now, input.sourceId, input.reports);
  yield;
  const results = resultsOf(db, slate.games.filter((g) => g.game.status === 'final').map((g) => g.game.id));
  const refusal = logRefusalFor(input.date, input.today, slate.games);
  const games = slate.games.map((item) => gameView(item, results.get(item.game.id) ?? null, refusal === null));
  return {
    date: input.date,
    generation: input.generation,
    slate,
    games,
    players: games.flatMap((g) => [...g.away.rows, ...g.home.rows]),
    loggableGames: refusal === null ? games.filter((g) => g.loggable).length : 0,
    logRefusal: refusal,
    loggedCount: countPredictions(db, { from: input.date, to: input.date, sourceId: input.sourceId }),
  };
}

/**
 * The date's games without projections, for while a first visit's history streams in: every write of it would move
 * the projections (the reader is told they are provisional), so the engine does not run on each one. Teams,
 * statuses and scores as stored; labelled provisional; nothing can be logged from it.
 */
export function scheduleView(db: Database, input: { date: IsoDate; today: IsoDate; sourceId: string; generation: number }): SlateView {
  return scheduleViewOf(gamesOn(db, input.date, input.sourceId), listTeams(db), {
    ...input,
    loggedCount: countPredictions(db, { from: input.date, to: input.date, sourceId: input.sourceId }),
  });
}

/**
 * scheduleView over games and teams given, not read: a first visit shows tonight's games from the fetched day while
 * SQLite still loads. `games` as gamesOn gives them (see gamesAsStored for a fetched day's).
 */
export function scheduleViewOf(
  games: readonly Game[],
  teamList: readonly Team[],
  input: { date: IsoDate; today: IsoDate; generation: number; loggedCount: number },
): SlateView {
  const teams = new Map(teamList.map((t) => [t.id, t]));
  const side = (teamId: string): SlateSideView => {
    const team = teams.get(teamId);
    return { teamId, teamName: team ? `${team.city} ${team.name}`.trim() : teamId, rows: [], out: [] };
  };
  const views = games.map((game): SlateGameView => {
    const away = side(game.awayTeamId);
    const home = side(game.homeTeamId);
    return {
      game, title: `${away.teamName} at ${home.teamName}`, homeWinProb: 0.5, projectedMargin: 0, favouriteId: game.homeTeamId,
      market: null, away, home, loggable: false, pickCorrect: null, hits: null,
    };
  });
  return {
    date: input.date,
    generation: input.generation,
    slate: { date: input.date, games: [] },
    games: views,
    players: [],
    loggableGames: 0,
    logRefusal: logRefusalFor(input.date, input.today, []),
    loggedCount: input.loggedCount,
    provisional: true,
  };
}

/**
 * A fetched day's games on `date` as gamesOn reads them back once stored in a new database (ingest.ts storeDay):
 * in tip-off order, the period and clock only while live. Pure, so the first visit's games-only slate shown before
 * SQLite has loaded is the one the database then gives (read-models.test.ts checks they are equal).
 */
export function gamesAsStored(games: readonly Game[], date: IsoDate): Game[] {
  return games
    .filter((g) => g.date === date)
    .map((g) => ({
      id: g.id, date: g.date, tipoff: g.tipoff, homeTeamId: g.homeTeamId, awayTeamId: g.awayTeamId, status: g.status,
      homeScore: g.homeScore, awayScore: g.awayScore,
      period: g.status === 'live' ? (g.period ?? null) : null,
      clock: g.status === 'live' ? (g.clock ?? null) : null,
    }))
    .sort((a, b) => (a.tipoff < b.tipoff ? -1 : a.tipoff > b.tipoff ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The view as of `now`: a game that has tipped off since the view was built is no longer loggable (the only part
 * of a slate view that depends on the clock rather than on the database). The same object when nothing changed.
 */
export function viewAsOf(view: SlateView, now: number, today: IsoDate): SlateView {
  const started = (g: { loggable: boolean; game: { tipoff: string } }) => g.loggable && Date.parse(g.game.tipoff) <= now;
  if (!view.slate.games.some(started) && !view.games.some(started)) return view;
  const slateGames = view.slate.games.map((g) => (started(g) ? { ...g, loggable: false } : g));
  const refusal = logRefusalFor(view.date, today, slateGames);
  const games = view.games.map((g, i) => ({ ...g, loggable: slateGames[i]?.loggable === true && refusal === null }));
  return { ...view, slate: { ...view.slate, games: slateGames }, games, loggableGames: games.filter((g) => g.loggable).length, logRefusal: refusal };
}

function gameView(item: SlateGame, results: Map<string, Pick<PlayerGameLog, 'played' | 'points'>> | null, logOpen: boolean): SlateGameView {
  const { game, forecast } = item;
  const matchup = `${game.awayTeamId} @ ${game.homeTeamId}`;
  const side = (s: SlateGame['home'], home: boolean): SlateSideView => ({
    teamId: s.team.id,
    teamName: `${s.team.city} ${s.team.name}`.trim(),
    rows: s.projections.map((p) => {
      const line = results?.get(p.playerId);
      // A final game with box scores: no line at all means he did not dress (scored as DNP too).
      const result: PlayerResult | null = !results ? null : !line || !line.played ? 'dnp' : line.points >= p.floor && line.points <= p.ceiling ? 'hit' : 'miss';
      return {
        playerId: p.playerId,
        playerName: p.playerName,
        teamId: p.teamId,
        opponentId: p.opponentId,
        home,
        gameId: p.gameId,
        matchup,
        projectedPoints: p.projectedPoints,
        floor: p.floor,
        ceiling: p.ceiling,
        confidence: calibratedConfidence(p),
        projectedMinutes: Math.round(p.detail.projectedMinutes * 10) / 10,
        availability: p.availability.status,
        actualPoints: line?.played ? line.points : null,
        result,
      };
    }),
    out: s.out,
  });
  const away = side(item.away, false);
  const home = side(item.home, true);
  const favouriteHome = forecast.projectedMargin >= 0;
  const final = game.status === 'final' && game.homeScore !== null && game.awayScore !== null && game.homeScore !== game.awayScore;
  const played = [...away.rows, ...home.rows].filter((r) => r.result === 'hit' || r.result === 'miss');
  return {
    game,
    title: `${away.teamName} at ${home.teamName}`,
    homeWinProb: forecast.homeWinProb,
    projectedMargin: forecast.projectedMargin,
    favouriteId: favouriteHome ? game.homeTeamId : game.awayTeamId,
    market: item.market,
    away,
    home,
    loggable: item.loggable && logOpen,
    pickCorrect: final ? (game.homeScore! > game.awayScore!) === favouriteHome : null,
    hits: results && played.length ? { hit: played.filter((r) => r.result === 'hit').length, played: played.length } : null,
  };
}
