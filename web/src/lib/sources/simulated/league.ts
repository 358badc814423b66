// The simulated league: rosters, schedule and box scores, all derived from a seed.
// Determinism rules: rosters and team strengths are a function of (seed, season); the schedule of a
// season is built day by day from its start (and cached); a box score is a function of (seed, game id)
// only. Nothing depends on the order in which days are requested.
import { addDays, seasonOf, seasonStart, toEpochDay } from '../../domain/dates';
import { TEAMS } from '../../domain/teams';
import type { Game, IsoDate, Player, PlayerGameLog } from '../../domain/types';
import { FIRST_NAMES, LAST_NAMES } from './names';
import {
  GAMES_PER_DAY,
  HOME_COURT,
  INJURY_SHARE,
  INJURY_SPELL_DAYS,
  MINUTES_SD,
  OVERTIME_POINTS,
  POINTS_SD,
  ROLES,
  FORM_BLOCK_DAYS,
  FORM_SD,
  ROSTER_ROLES,
  SHARE_NOISE_SCALE,
  SLOTS,
  TEAM_POINTS,
  TEAM_STRENGTH,
  type Role,
} from './params';
import { rngFor } from './random';

/** A game lasts this long on the simulated clock: live from tip-off, final after. */
export const GAME_DURATION_MS = 150 * 60_000;
const REGULATION_MINUTES = 240;
/** The longest run of schedule days built without a pause by buildScheduleInSteps (well under a 50 ms long task). */
const SCHEDULE_SLICE_MS = 8;
const OVERTIME_MINUTES = 25;

export interface SimPlayer extends Player {
  slot: number;
  role: Role;
  meanMinutes: number;
  pointsPerMinute: number;
  appearance: number;
  rebPerMin: number;
  astPerMin: number;
  threeShare: number;
  /** Log-normal SD of the player's per-game scoring share, set so points SD ≈ POINTS_SD line. */
  shareSigma: number;
  /** Offset (days) of the player's injury-spell grid, so spells don't all start on the same day. */
  spellOffset: number;
}

export interface SimSeason {
  season: string;
  rosters: Map<string, SimPlayer[]>;
  /** Points scored above average (offense) and allowed above average (defense, + is worse). */
  strength: Map<string, { offense: number; defense: number }>;
  schedule: SeasonSchedule;
}

/** A season's schedule, built day by day from its start (who rested decides who plays), as far as asked for. */
export interface SeasonSchedule {
  /** The games of a date of the season (without status or scores); undefined outside the season. */
  games(date: IsoDate): Game[] | undefined;
  /** Builds the next day not built yet, if it is `date` or before; false once `date` is built (or outside the season). */
  buildStep(date: IsoDate): boolean;
}

export interface BoxScore {
  homeScore: number;
  awayScore: number;
  overtimes: number;
  logs: PlayerGameLog[];
}

const seasonYear = (season: string) => season.slice(0, 4);

export function minutesSd(mean: number): number {
  return Math.max(2, MINUTES_SD.a + MINUTES_SD.b * mean);
}

// ---------------------------------------------------------------- rosters

function buildRosters(seed: string, season: string): Map<string, SimPlayer[]> {
  const rosters = new Map<string, SimPlayer[]>();
  const usedNames = new Set<string>();
  for (const team of TEAMS) {
    const r = rngFor(seed, 'roster', season, team.id);
    const roles = r.shuffle(ROSTER_ROLES);
    const players: SimPlayer[] = SLOTS.map((slot, i) => {
      const p = rngFor(seed, 'player', season, team.id, i);
      let name = '';
      for (let attempt = 0; attempt < 50 && (name === '' || usedNames.has(name)); attempt++) {
        name = `${p.pick(FIRST_NAMES)} ${p.pick(LAST_NAMES)}`;
      }
      usedNames.add(name);
      const role = roles[i];
      const rates = ROLES[role];
      return {
        id: `sim-${seasonYear(season)}-${team.id}-${String(i + 1).padStart(2, '0')}`,
        name,
        teamId: team.id,
        position: role,
        slot: i + 1,
        role,
        meanMinutes: Math.min(38, Math.max(8, p.normal(slot.meanMinutes, slot.minutesSpread * 0.5))),
        pointsPerMinute: slot.pointsPerMinute * Math.exp(p.normal(0, slot.logPpmSd)),
        appearance: slot.appearance,
        rebPerMin: rates.rebPerMin * Math.exp(p.normal(0, 0.2)),
        astPerMin: rates.astPerMin * Math.exp(p.normal(0, 0.25)),
        threeShare: Math.min(0.75, rates.threeShareOfPoints * Math.exp(p.normal(0, 0.3))),
        shareSigma: 0,
        spellOffset: p.int(0, INJURY_SPELL_DAYS - 1),
      };
    });
    setShareSigmas(players);
    rosters.set(team.id, players);
  }
  return rosters;
}

/**
 * A player's points vary with the team total, his minutes and his share of the shots. Given the
 * first two, pick the share noise that makes the total SD follow the fitted sd = a + b·mean line.
 */
function setShareSigmas(players: SimPlayer[]): void {
  const raw = players.map((p) => p.meanMinutes * p.pointsPerMinute);
  const expectedTotal = players.reduce((sum, p, i) => sum + p.appearance * raw[i], 0);
  const cvTeam = TEAM_POINTS.sd / TEAM_POINTS.mean;
  players.forEach((p, i) => {
    const mean = (raw[i] * TEAM_POINTS.mean) / expectedTotal;
    const cv = (POINTS_SD.a + POINTS_SD.b * mean) / mean;
    const cvMinutes = minutesSd(p.meanMinutes) / p.meanMinutes;
    const shareVar = Math.max(0.02, cv * cv - cvMinutes * cvMinutes - cvTeam * cvTeam);
    p.shareSigma = Math.sqrt(Math.log(1 + shareVar)) * SHARE_NOISE_SCALE;
  });
}

// ---------------------------------------------------------------- schedule

/** US Eastern UTC offset in hours for a date (DST: 2nd Sunday of March to 1st Sunday of November). */
export function easternOffsetHours(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  const nthSunday = (month: number, n: number) => {
    const firstDow = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    const day = 1 + ((7 - firstDow) % 7) + 7 * (n - 1);
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  };
  return date >= nthSunday(3, 2) && date < nthSunday(11, 1) ? -4 : -5;
}

/**
 * Round-robin matchings (circle method): round r pairs every team once, and each pair appears in
 * exactly one of the 29 rounds. Day d draws its games from round (d mod 29), so two consecutive days
 * never share a pairing, across season boundaries too.
 */
function roundRobin(seed: string): [string, string][][] {
  const order = rngFor(seed, 'round-robin').shuffle(TEAMS.map((t) => t.id));
  const fixed = order[29];
  const ring = order.slice(0, 29);
  const rounds: [string, string][][] = [];
  for (let r = 0; r < 29; r++) {
    const pairs: [string, string][] = [[fixed, ring[r]]];
    for (let i = 1; i <= 14; i++) pairs.push([ring[(r + i) % 29], ring[(r - i + 29) % 29]]);
    rounds.push(pairs);
  }
  return rounds;
}

/** Eagerness to play after `gap` days (1 = played yesterday): favours one rest day, allows back-to-backs. */
function restScore(gap: number): number {
  if (gap <= 1) return 0;
  if (gap === 2) return 2;
  if (gap === 3) return 3.2;
  return 5;
}

function gamesPerDay(u: number): number {
  let acc = 0;
  for (const [n, w] of GAMES_PER_DAY) {
    acc += w;
    if (u < acc) return n;
  }
  return GAMES_PER_DAY[GAMES_PER_DAY.length - 1][0];
}

const EAST_TIPS = ['19:00', '19:00', '19:30', '19:30', '20:00'];
const WEST_TIPS = ['20:00', '21:00', '22:00', '22:00', '22:30'];

/**
 * Orders strings by code unit: the order SQLite's ORDER BY gives the stored games, whatever the device's locale
 * (localeCompare gave it in English only: cs, sk and lt sort a few team codes otherwise), without a collator's cost.
 */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The season's schedule, built day by day from its start (who rested decides who plays), as far as the latest date
 * asked for: a first visit asks for the first weeks only, not for the whole season up front.
 */
function seasonSchedule(seed: string, season: string): SeasonSchedule {
  const rounds = roundRobin(seed);
  const start = seasonStart(season);
  const end = `${Number(seasonYear(season)) + 1}${start.slice(4)}`; // next season's start
  const init = rngFor(seed, 'schedule-start', season);
  // A season opens with every team rested 1-3 days (no chaining into the previous season).
  const lastPlayed = new Map(TEAMS.map((t) => [t.id, toEpochDay(start) - init.int(2, 4)]));
  const conference = new Map(TEAMS.map((t) => [t.id, t.conference]));
  const schedule = new Map<IsoDate, Game[]>();
  /** The first date not built yet. */
  let next = start;
  const buildDay = (date: IsoDate) => {
    const day = toEpochDay(date);
    const r = rngFor(seed, 'day', date);
    const n = gamesPerDay(r.next());
    const pairs = rounds[((day % 29) + 29) % 29]
      .map((pair) => ({
        pair,
        priority: restScore(day - lastPlayed.get(pair[0])!) + restScore(day - lastPlayed.get(pair[1])!) + r.next() * 2,
      }))
      .sort((a, b) => b.priority - a.priority)
      .slice(0, n);
    const offset = easternOffsetHours(date);
    const games = pairs.map(({ pair }) => {
      const [home, away] = r.next() < 0.5 ? pair : [pair[1], pair[0]];
      lastPlayed.set(home, day);
      lastPlayed.set(away, day);
      const tip = r.pick(conference.get(home) === 'West' ? WEST_TIPS : EAST_TIPS);
      const [hh, mm] = tip.split(':').map(Number);
      const tipoff = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), hh - offset, mm));
      const game: Game = {
        id: `sim-${date}-${away}-${home}`,
        date,
        tipoff: tipoff.toISOString(),
        homeTeamId: home,
        awayTeamId: away,
        status: 'scheduled',
        homeScore: null,
        awayScore: null,
      };
      return game;
    });
    games.sort((a, b) => byCodeUnit(a.tipoff, b.tipoff) || byCodeUnit(a.id, b.id));
    schedule.set(date, games);
  };
  const inSeason = (date: IsoDate) => date >= start && date < end;
  const buildStep = (date: IsoDate) => {
    if (!inSeason(date) || next > date) return false;
    buildDay(next);
    next = addDays(next, 1);
    return true;
  };
  return {
    buildStep,
    games: (date) => {
      if (!inSeason(date)) return undefined;
      while (buildStep(date));
      return schedule.get(date);
    },
  };
}

// ---------------------------------------------------------------- box scores

/** Splits an integer total into integer parts proportional to weights (largest remainder). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k].i]++;
  return parts;
}

/**
 * Slow form swings: a log-normal scoring multiplier drawn per player per FORM_BLOCK_DAYS block and
 * interpolated linearly between blocks, so recent games say a little more than the season average.
 */
export function formMultiplier(seed: string, playerId: string, dayIndex: number): number {
  const block = Math.floor(dayIndex / FORM_BLOCK_DAYS);
  const t = dayIndex / FORM_BLOCK_DAYS - block;
  const at = (b: number) => rngFor(seed, 'form', playerId, b).normal(0, FORM_SD);
  return Math.exp((1 - t) * at(block) + t * at(block + 1) - FORM_SD ** 2 / 2);
}

interface Availability {
  played: boolean;
  reason: string | null;
}

function availability(seed: string, season: string, game: Game, roster: SimPlayer[]): Availability[] {
  const dayIndex = toEpochDay(game.date) - toEpochDay(seasonStart(season));
  const out = roster.map((p): Availability => {
    const absent = 1 - p.appearance;
    const injuryRate = absent * (p.slot <= 8 ? INJURY_SHARE.rotation : INJURY_SHARE.bench);
    // An injury spell covers a whole block of days, so the same draw repeats for each game in it.
    const spell = Math.floor((dayIndex + p.spellOffset) / INJURY_SPELL_DAYS);
    if (rngFor(seed, 'injury', p.id, spell).next() < injuryRate) return { played: false, reason: 'Injury' };
    const benchRate = 1 - p.appearance / (1 - injuryRate);
    if (rngFor(seed, 'dnp', game.id, p.id).next() < benchRate) return { played: false, reason: "Coach's decision" };
    return { played: true, reason: null };
  });
  // A team always dresses at least eight: recall healthy scratches, best first.
  for (let i = 0; out.filter((a) => a.played).length < 8 && i < out.length; i++) {
    if (out[i].reason === "Coach's decision") out[i] = { played: true, reason: null };
  }
  return out;
}

function teamLines(
  seed: string,
  season: string,
  game: Game,
  teamId: string,
  roster: SimPlayer[],
  teamPoints: number,
  overtimes: number,
): PlayerGameLog[] {
  const r = rngFor(seed, 'box', game.id, teamId);
  const avail = availability(seed, season, game, roster);
  const active = roster.filter((_, i) => avail[i].played);
  const rawMinutes = active.map((p) => Math.min(42, Math.max(1, r.normal(p.meanMinutes, minutesSd(p.meanMinutes)))));
  const minutes = apportion(REGULATION_MINUTES + OVERTIME_MINUTES * overtimes, rawMinutes);
  const dayIndex = toEpochDay(game.date) - toEpochDay(seasonStart(season));
  const weights = active.map(
    (p, i) =>
      minutes[i] *
      p.pointsPerMinute *
      formMultiplier(seed, p.id, dayIndex) *
      Math.exp(r.normal(-(p.shareSigma ** 2) / 2, p.shareSigma)),
  );
  const points = apportion(teamPoints, weights);
  const home = teamId === game.homeTeamId;
  const base = {
    gameId: game.id,
    teamId,
    opponentId: home ? game.awayTeamId : game.homeTeamId,
    date: game.date,
    home,
  };
  let k = 0;
  return roster.map((p, i): PlayerGameLog => {
    if (!avail[i].played) {
      return { ...base, playerId: p.id, played: false, starter: false, minutes: 0, points: 0, rebounds: 0, assists: 0, threesMade: 0, dnpReason: avail[i].reason };
    }
    const j = k++;
    const pts = points[j];
    return {
      ...base,
      playerId: p.id,
      played: true,
      starter: j < 5,
      minutes: minutes[j],
      points: pts,
      rebounds: r.poisson(minutes[j] * p.rebPerMin),
      assists: r.poisson(minutes[j] * p.astPerMin),
      threesMade: Math.min(Math.floor(pts / 3), r.poisson((pts * p.threeShare) / 3)),
      dnpReason: null,
    };
  });
}

// ---------------------------------------------------------------- the league

export class SimulatedLeague {
  private readonly seasons = new Map<string, SimSeason>();

  constructor(readonly seed: string) {}

  season(season: string): SimSeason {
    let s = this.seasons.get(season);
    if (!s) {
      const str = new Map(
        TEAMS.map((t) => {
          const r = rngFor(this.seed, 'strength', season, t.id);
          return [t.id, { offense: r.normal(0, TEAM_STRENGTH.offenseSd), defense: r.normal(0, TEAM_STRENGTH.defenseSd) }];
        }),
      );
      s = { season, rosters: buildRosters(this.seed, season), strength: str, schedule: seasonSchedule(this.seed, season) };
      this.seasons.set(season, s);
    }
    return s;
  }

  /** The day's games, unplayed (status 'scheduled', no scores). */
  schedule(date: IsoDate): Game[] {
    return (this.season(seasonOf(date)).schedule.games(date) ?? []).map((g) => ({ ...g }));
  }

  /**
   * Builds the schedule as far as `date` (what schedule(date) would build at once: late in a season, months of
   * days), calling `pause` whenever a step of days has taken `sliceMs`, so that no step is a long task on the UI
   * thread. The schedule built is the same however it is split.
   */
  async buildScheduleInSteps(date: IsoDate, pause: () => Promise<void>, sliceMs = SCHEDULE_SLICE_MS): Promise<void> {
    let sliceStart = performance.now();
    const season = this.season(seasonOf(date));
    while (season.schedule.buildStep(date)) {
      if (performance.now() - sliceStart < sliceMs) continue;
      await pause();
      sliceStart = performance.now();
    }
  }

  /** Full result of a game; a function of (seed, game) only. */
  boxScore(game: Game): BoxScore {
    const s = this.season(seasonOf(game.date));
    const r = rngFor(this.seed, 'score', game.id);
    const home = s.strength.get(game.homeTeamId)!;
    const away = s.strength.get(game.awayTeamId)!;
    // Game noise beyond team strengths: a shared pace part (the only source of the home/away points
    // covariance, so its variance is corr·sd²) and a per-team part taking the rest of the variance.
    const paceVar = TEAM_POINTS.paceCorrelation * TEAM_POINTS.sd ** 2;
    const ownVar = TEAM_POINTS.sd ** 2 - TEAM_STRENGTH.offenseSd ** 2 - TEAM_STRENGTH.defenseSd ** 2 - paceVar;
    const pace = r.normal(0, Math.sqrt(paceVar));
    const own = Math.sqrt(ownVar);
    let homeScore = Math.round(TEAM_POINTS.mean + HOME_COURT.margin / 2 + home.offense + away.defense + pace + r.normal(0, own));
    let awayScore = Math.round(TEAM_POINTS.mean - HOME_COURT.margin / 2 + away.offense + home.defense + pace + r.normal(0, own));
    let overtimes = 0;
    // No ties: play overtime periods until someone wins.
    while (homeScore === awayScore) {
      overtimes++;
      homeScore += Math.max(2, Math.round(r.normal(OVERTIME_POINTS.mean, OVERTIME_POINTS.sd)));
      awayScore += Math.max(2, Math.round(r.normal(OVERTIME_POINTS.mean, OVERTIME_POINTS.sd)));
      if (overtimes >= 5 && homeScore === awayScore) homeScore++;
    }
    const logs = [
      ...teamLines(this.seed, s.season, game, game.homeTeamId, s.rosters.get(game.homeTeamId)!, homeScore, overtimes),
      ...teamLines(this.seed, s.season, game, game.awayTeamId, s.rosters.get(game.awayTeamId)!, awayScore, overtimes),
    ];
    return { homeScore, awayScore, overtimes, logs };
  }

  /** Rosters (public Player fields only) of the given teams for the season of `date`. */
  players(date: IsoDate, teamIds: string[]): Player[] {
    const s = this.season(seasonOf(date));
    return teamIds.flatMap((id) =>
      s.rosters.get(id)!.map(({ id: pid, name, teamId, position }) => ({ id: pid, name, teamId, position })),
    );
  }
}
