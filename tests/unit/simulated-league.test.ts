import { describe, expect, it } from 'vitest';
import { addDays, seasonOf, toEpochDay } from '../../web/src/lib/domain/dates';
import { TEAMS, teamById } from '../../web/src/lib/domain/teams';
import type { Game, PlayerGameLog } from '../../web/src/lib/domain/types';
import { createSimulatedSource, simulatedDay } from '../../web/src/lib/sources/simulated/index';
import { SimulatedLeague, apportion, easternOffsetHours } from '../../web/src/lib/sources/simulated/league';
import { hashString, rngFor } from '../../web/src/lib/sources/simulated/random';

const LATER = new Date('2030-01-01T00:00:00Z'); // every game in the tests is final by then
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

/** 60 consecutive final days of the default league, generated once for the realism checks. */
const league = new SimulatedLeague('nba-daily');
const DAYS = Array.from({ length: 60 }, (_, i) => simulatedDay(league, addDays('2025-11-01', i), LATER));

describe('teams', () => {
  it('has the 30 NBA teams, 15 per conference', () => {
    expect(TEAMS).toHaveLength(30);
    expect(new Set(TEAMS.map((t) => t.id)).size).toBe(30);
    expect(TEAMS.filter((t) => t.conference === 'East')).toHaveLength(15);
    expect(teamById('GSW')).toMatchObject({ city: 'Golden State', name: 'Warriors', conference: 'West' });
    expect(teamById('XXX')).toBeUndefined();
  });
});

describe('random', () => {
  it('is keyed, not sequential', () => {
    expect(rngFor('s', 'a', 1).next()).toBe(rngFor('s', 'a', 1).next());
    expect(rngFor('s', 'a', 1).next()).not.toBe(rngFor('s', 'a', 2).next());
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });

  it('apportions an integer total exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(7, [0.5, 0.25, 0.25]).reduce((a, b) => a + b, 0)).toBe(7);
  });
});

describe('simulated source', () => {
  it('describes itself', async () => {
    const s = createSimulatedSource();
    expect([s.id, s.label, s.simulated]).toEqual(['simulated', 'Simulated league', true]);
    expect(await s.teams()).toHaveLength(30);
  });

  it('is deterministic: same seed, same day; call order does not matter', async () => {
    const a = createSimulatedSource('x');
    const b = createSimulatedSource('x');
    const d1 = await a.day('2026-01-10', LATER);
    await b.day('2026-03-01', LATER); // b asks other days first
    await b.day('2025-12-01', LATER);
    expect(await b.day('2026-01-10', LATER)).toEqual(d1);
    const c = await createSimulatedSource('y').day('2026-01-10', LATER);
    expect(c.games.map((g) => g.id)).not.toEqual(d1.games.map((g) => g.id));
  });

  it('gives the same box score whichever day or game is generated first', () => {
    const one = new SimulatedLeague('order');
    const two = new SimulatedLeague('order');
    const g = one.schedule('2026-02-02')[3];
    const first = one.boxScore(g);
    for (const x of two.schedule('2026-02-01')) two.boxScore(x);
    expect(two.boxScore(two.schedule('2026-02-02')[3])).toEqual(first);
  });

  it('builds a season only as far as asked, with the same schedule in whatever order dates are asked', () => {
    const dates = Array.from({ length: 400 }, (_, i) => addDays('2025-09-20', i));
    const inOrder = new SimulatedLeague('order');
    const expected = dates.map((d) => inOrder.schedule(d));
    const lateFirst = new SimulatedLeague('order');
    lateFirst.schedule('2026-03-15');
    expect([...dates].reverse().map((d) => lateFirst.schedule(d)).reverse()).toEqual(expected);
    // The dates span two seasons, each built from its own start.
    expect(new Set(dates.map(seasonOf)).size).toBe(2);
  });

  it('builds a schedule in steps with a pause between them, the same schedule as built at once', async () => {
    const atOnce = new SimulatedLeague('steps');
    const stepped = new SimulatedLeague('steps');
    let pauses = 0;
    const pause = async () => {
      pauses++;
    };
    // A slice of 0 ms: a pause after every day built, from the season's start (2025-08-01) to the date.
    await stepped.buildScheduleInSteps('2025-08-31', pause, 0);
    expect(pauses).toBe(31);
    // Built already: no more steps, no pause.
    await stepped.buildScheduleInSteps('2025-08-20', pause, 0);
    expect(pauses).toBe(31);
    const dates = Array.from({ length: 60 }, (_, i) => addDays('2025-08-01', i));
    expect(dates.map((d) => stepped.schedule(d))).toEqual(dates.map((d) => atOnce.schedule(d)));
  });

  it('builds in steps alongside a whole build of later days (a backfill asking while today is built)', async () => {
    const expected = new SimulatedLeague('steps').schedule('2026-01-15');
    const league = new SimulatedLeague('steps');
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const building = league.buildScheduleInSteps('2026-01-15', () => (first ? ((first = false), paused) : Promise.resolve()), 0);
    // While the stepped build waits at its first pause, a direct ask builds the rest of the way and further.
    const later = league.schedule('2026-02-01');
    release();
    await building;
    expect(league.schedule('2026-01-15')).toEqual(expected);
    expect(later).toEqual(new SimulatedLeague('steps').schedule('2026-02-01'));
  });

  it('gives the same day through a source that pauses while it builds the schedule', async () => {
    const pausing = createSimulatedSource('x', () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(await pausing.day('2026-06-30', LATER)).toEqual(await createSimulatedSource('x').day('2026-06-30', LATER));
  });

  it('plays every day, 5-9 games, no team twice, no pairing on consecutive days', () => {
    let yesterday = new Set<string>();
    for (const d of DAYS) {
      expect(d.games.length).toBeGreaterThanOrEqual(5);
      expect(d.games.length).toBeLessThanOrEqual(9);
      const teams = d.games.flatMap((g) => [g.homeTeamId, g.awayTeamId]);
      expect(new Set(teams).size).toBe(teams.length);
      const pairs = new Set(d.games.map((g) => [g.homeTeamId, g.awayTeamId].sort().join('-')));
      for (const p of pairs) expect(yesterday.has(p)).toBe(false);
      yesterday = pairs;
    }
    // Summer too: the league is perpetual.
    expect(league.schedule('2026-07-15').length).toBeGreaterThanOrEqual(5);
  });

  it('has realistic rest: mostly one day off, some back-to-backs, some longer rests', () => {
    const last = new Map<string, number>();
    const gaps: number[] = [];
    for (const d of DAYS) {
      for (const g of d.games) {
        for (const t of [g.homeTeamId, g.awayTeamId]) {
          const prev = last.get(t);
          if (prev !== undefined) gaps.push(toEpochDay(d.date) - prev);
          last.set(t, toEpochDay(d.date));
        }
      }
    }
    const share = (k: number) => gaps.filter((g) => g === k).length / gaps.length;
    expect(share(1)).toBeGreaterThan(0.05); // back-to-backs
    expect(share(1)).toBeLessThan(0.3);
    expect(share(2)).toBeGreaterThan(0.5);
    expect(share(3) + share(4)).toBeGreaterThan(0.05);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(6);
  });

  it('uses stable ids and Eastern evening tip-offs stored in UTC', () => {
    for (const g of DAYS[0].games) {
      expect(g.id).toBe(`sim-${g.date}-${g.awayTeamId}-${g.homeTeamId}`);
      const t = new Date(g.tipoff);
      expect(g.tipoff).toMatch(/Z$/);
      const eastern = new Date(t.getTime() + easternOffsetHours(g.date) * 3_600_000);
      expect(eastern.toISOString().slice(0, 10)).toBe(g.date);
      const minutes = eastern.getUTCHours() * 60 + eastern.getUTCMinutes();
      expect(minutes).toBeGreaterThanOrEqual(19 * 60);
      expect(minutes).toBeLessThanOrEqual(22 * 60 + 30);
    }
    expect(easternOffsetHours('2026-01-15')).toBe(-5);
    expect(easternOffsetHours('2026-07-15')).toBe(-4);
    expect(easternOffsetHours('2026-03-08')).toBe(-4); // DST starts on the 2nd Sunday of March
    expect(easternOffsetHours('2026-11-01')).toBe(-5); // and ends on the 1st Sunday of November
  });

  it('keeps player ids stable across a season and lists the rosters of teams playing', () => {
    const d = DAYS[0];
    const playing = new Set(d.games.flatMap((g) => [g.homeTeamId, g.awayTeamId]));
    expect(d.players).toHaveLength(playing.size * 13);
    expect(d.players.every((p) => playing.has(p.teamId) && ['G', 'F', 'C'].includes(p.position))).toBe(true);
    const bos = league.players('2025-10-25', ['BOS']);
    expect(league.players('2026-04-10', ['BOS'])).toEqual(bos);
    expect(bos[0].id).toBe('sim-2025-BOS-01');
    expect(new Set(bos.map((p) => p.name)).size).toBe(13);
  });

  it('status follows the clock: scheduled, live with partial score, final', () => {
    const date = '2026-01-20';
    const g = league.schedule(date)[0];
    const tip = Date.parse(g.tipoff);
    const at = (ms: number) => simulatedDay(league, date, new Date(tip + ms));
    const before = at(-60_000);
    expect(before.games[0]).toMatchObject({ status: 'scheduled', homeScore: null, awayScore: null });
    expect(before.logs.filter((l) => l.gameId === g.id)).toHaveLength(0);
    const live = at(75 * 60_000).games[0];
    const final = at(150 * 60_000).games[0];
    expect(live.status).toBe('live');
    expect(final.status).toBe('final');
    // Halfway through: about half the final score.
    expect(live.homeScore!).toBe(Math.floor(final.homeScore! / 2));
    expect(live.awayScore!).toBe(Math.floor(final.awayScore! / 2));
    expect(at(150 * 60_000 - 1).games[0].status).toBe('live');
    expect(at(150 * 60_000).logs.filter((l) => l.gameId === g.id)).toHaveLength(26);
  });

  it('box scores add up: team points = sum of player points, full rosters, DNPs zeroed, no ties', () => {
    for (const d of DAYS.slice(0, 10)) {
      for (const g of d.games) {
        expect(g.homeScore).not.toBe(g.awayScore);
        const lines = d.logs.filter((l) => l.gameId === g.id);
        expect(lines).toHaveLength(26);
        for (const [team, score] of [[g.homeTeamId, g.homeScore], [g.awayTeamId, g.awayScore]] as const) {
          const mine = lines.filter((l) => l.teamId === team);
          expect(mine.reduce((a, l) => a + l.points, 0)).toBe(score);
          expect(mine.filter((l) => l.starter)).toHaveLength(5);
          const minutes = mine.reduce((a, l) => a + l.minutes, 0);
          expect((minutes - 240) % 25).toBe(0);
          for (const l of mine.filter((x) => !x.played)) {
            expect([l.minutes, l.points, l.rebounds, l.assists, l.threesMade]).toEqual([0, 0, 0, 0, 0]);
            expect(["Coach's decision", 'Injury']).toContain(l.dnpReason);
          }
          for (const l of mine.filter((x) => x.played)) expect(l.threesMade * 3).toBeLessThanOrEqual(l.points);
        }
      }
    }
  });

  it('historyStart is the later of the season start and 60 days back', () => {
    const s = createSimulatedSource();
    expect(s.historyStart('2026-11-28')).toBe('2026-09-29');
    expect(s.historyStart('2026-08-20')).toBe('2026-08-01');
    expect(s.historyStart('2027-03-01')).toBe('2026-12-31');
  });
});

describe('simulated league realism (60 days, fixed seed)', () => {
  const games: Game[] = DAYS.flatMap((d) => d.games);
  const logs: PlayerGameLog[] = DAYS.flatMap((d) => d.logs);

  it('team points mean and spread match the real league (114.5 ± 12.4)', () => {
    const pts = games.flatMap((g) => [g.homeScore!, g.awayScore!]);
    expect(mean(pts)).toBeGreaterThan(111);
    expect(mean(pts)).toBeLessThan(118);
    expect(sd(pts)).toBeGreaterThan(10.5);
    expect(sd(pts)).toBeLessThan(14.5);
  });

  it('home teams win about 56% (real 2022-24: 56.2%)', () => {
    const rate = games.filter((g) => g.homeScore! > g.awayScore!).length / games.length;
    expect(rate).toBeGreaterThan(0.5);
    expect(rate).toBeLessThan(0.64);
  });

  it('about 10-11 players play per team game', () => {
    const perTeamGame = logs.filter((l) => l.played).length / (games.length * 2);
    expect(perTeamGame).toBeGreaterThan(9.8);
    expect(perTeamGame).toBeLessThan(11.5);
  });

  it('player points SD grows with the mean like the real league (sd ≈ 3.4 + 0.21·mean)', () => {
    const byPlayer = new Map<string, number[]>();
    for (const l of logs) if (l.played) byPlayer.set(l.playerId, [...(byPlayer.get(l.playerId) ?? []), l.points]);
    const regular = [...byPlayer.values()].filter((xs) => xs.length >= 15);
    const ms = regular.map(mean);
    const ss = regular.map(sd);
    const mx = mean(ms);
    const b = ms.reduce((a, x, i) => a + (x - mx) * (ss[i] - mean(ss)), 0) / ms.reduce((a, x) => a + (x - mx) ** 2, 0);
    const a = mean(ss) - b * mx;
    expect(b).toBeGreaterThan(0.12);
    expect(b).toBeLessThan(0.3);
    expect(a).toBeGreaterThan(2.2);
    expect(a).toBeLessThan(4.8);
  });

  it('a running season average predicts points with MAE in the real range (4-5.5)', () => {
    const seen = new Map<string, number[]>();
    let err = 0;
    let n = 0;
    for (const l of logs) {
      if (!l.played) continue;
      const prev = seen.get(l.playerId) ?? [];
      if (prev.length >= 5) {
        err += Math.abs(l.points - mean(prev));
        n++;
      }
      seen.set(l.playerId, [...prev, l.points]);
    }
    expect(err / n).toBeGreaterThan(4);
    expect(err / n).toBeLessThan(5.5);
  });
});
