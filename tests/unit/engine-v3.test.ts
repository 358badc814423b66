// Engine v3's new factors, each by hand: a star ruled out (his minutes go to teammates), a player back from an
// absence, the level calibration, the lineup adjustment of the game model, and the shared availability rule.
import { describe, expect, it } from 'vitest';
import {
  expectedAvailability,
  forecastGame,
  lineupChange,
  lineupMarginAdjustment,
  PATTERN_CHANCE,
  playedShares,
  playerValue,
  recentChance,
  PROJECTION_PARAMS,
  projectPlayer,
  projectTeam,
  STATUS_CHANCE,
  type LeagueContext,
  type ProjectionParams,
  type ProjectionRequest,
} from '../../web/src/lib/engine/index';
import { EMPTY_LEAGUE as EMPTY, playerLog as log } from './helpers';
import type { PlayerGameLog } from '../../web/src/lib/domain/types';

const dnp = (date: string, playerId = 'p1') => log(date, 0, { playerId, played: false, minutes: 0, dnpReason: 'Injury' });
const req = (history: PlayerGameLog[], over: Partial<ProjectionRequest> = {}): ProjectionRequest => ({
  playerId: 'p1', playerName: 'Test Player', teamId: 'BOS', opponentId: 'NYK', home: true,
  gameId: 'g-2025-11-11', gameDate: '2025-11-11', history, league: EMPTY, ...over,
});
/** Every fallback and adjustment off (as in engine.test.ts), so a factor can be checked alone. */
const PLAIN: ProjectionParams = {
  ...PROJECTION_PARAMS,
  minutesDecay: 0.5, minutesSlowWeight: 0, rateDecay: 0.5, priorSeasonScale: 0.5,
  typicalMinutesGames: 0, typicalRateMinutes: 0, minutesPull: 0, ratePull: 0, dnpMinutesPenalty: 0,
  returnMinutesFactor: 1, returnRateFactor: 1, defenceWeight: 1, paceWeight: 0.5, teamShrinkGames: 10, calibration: 1,
  homeFactor: 1, awayFactor: 1, backToBackFactor: 1, vsOppWeight: 0, levelSlope: 0, levelLowSlope: 0,
  rebalanceMinutesPower: 1, // the v2.1–v3.1 share, minutes × room (v3.2's 0.25 is tested below)
  pastAbsenceWeight: 0, // v3.2's past-absence step has its own tests (engine-v3.test.ts)
};
const FIVE = [log('2025-11-01', 10), log('2025-11-03', 12), log('2025-11-05', 14), log('2025-11-07', 16), log('2025-11-09', 18)];

describe('engine v3: a star ruled out', () => {
  const TEAM: ProjectionParams = { ...PLAIN, teamMinutes: 70, unknownPlayerMinutes: 10, minutesRebalance: 1, maxMinutes: 48, usageWeight: 0 };
  const one = (id: string, minutes: number, points: number) => [log('2025-11-09', points, { playerId: id, gameId: 'g-old', minutes })];
  const H: Record<string, PlayerGameLog[]> = { star: one('star', 36, 27), p2: one('p2', 30, 12), p3: one('p3', 20, 6) };
  const team = () => Object.keys(H).map((id) => req(H[id], { playerId: id, params: TEAM }));

  it('his minutes go to the teammates, in proportion to minutes × room; he gets no adjusted projection', () => {
    const [star, b, c] = projectTeam(team(), { active: new Map([['star', 0], ['p2', 1], ['p3', 1]]) });
    // Expected: 30 + 20 = 50 minutes against the team's 70: 20 vacated. Weights m(48 − m): 30·18 = 540, 20·28 = 560.
    // p2: 30 + 20·540/1100 = 39.818182 min × 0.4 = 15.927; p3: 20 + 20·560/1100 = 30.181818 min × 0.3 = 9.055.
    expect([b!.detail.projectedMinutes, c!.detail.projectedMinutes]).toEqual([39.8, 30.2]);
    expect([b!.projectedPoints, c!.projectedPoints]).toEqual([15.9, 9.1]);
    expect(b!.detail.team).toMatchObject({ ownMinutes: 30, rosterMinutes: 50, vacatedMinutes: 20, minutesFactor: 1.327 });
    expect(star!.detail.team).toBeUndefined(); // projected alone, as "if he played"
  });

  it('v3.3: a doubtful star\'s own projection is "if he plays": he counts in full in his own team step', () => {
    const half = new Map([['star', 0.5], ['p2', 1], ['p3', 1]]);
    const [star, b] = projectTeam(team(), { active: half });
    // Teammates: the star counts at 0.5: 18 + 30 + 20 = 68 minutes, +2 to share; weights 0.5·36·12 = 216, 540, 560
    // (1316). p2: 30 + 2·540/1316 = 30.820669 min.
    expect(b!.detail.projectedMinutes).toBe(30.8);
    expect(b!.detail.team!.rosterMinutes).toBe(68);
    // His own step: 36 + 30 + 20 = 86 against 70: −16; weights 432, 540, 560 (1532): 36 − 16·432/1532 = 31.488251 min
    // × 27/36 = 23.616 points. In v3.2 (at his 0.5 in the total, as for the teammates): his share of the +2 is his
    // full weight, 36 + 2·432/1316 = 36.656535 min, 27.492 points: his own doubt raised his own projection.
    expect([star!.detail.projectedMinutes, star!.projectedPoints, star!.detail.team!.rosterMinutes]).toEqual([31.5, 23.6, 86]);
    const [v32] = projectTeam(team().map((r) => ({ ...r, params: { ...TEAM, ownChanceAsPlaying: 0 } })), { active: half });
    expect([v32!.detail.projectedMinutes, v32!.projectedPoints]).toEqual([36.7, 27.5]);
    expect(PROJECTION_PARAMS.ownChanceAsPlaying).toBe(1);
  });

  it('with him playing, the others give minutes back instead', () => {
    const [, b] = projectTeam(team(), { active: new Map([['star', 1], ['p2', 1], ['p3', 1]]) });
    // 36 + 30 + 20 = 86 against 70: −16; weights 36·12 = 432, 540, 560 (1532). p2: 30 − 16·540/1532 = 24.360313.
    expect(b!.detail.projectedMinutes).toBe(24.4);
    expect(b!.detail.team!.vacatedMinutes).toBe(-16);
  });

  it('usage: his shots go to the players on the floor (usage factor > 1 when the lineup rate is below the team rate)', () => {
    const P = { ...TEAM, usageWeight: 1, usageMin: 0.5, usageMax: 2 };
    const league: LeagueContext = { leaguePointsPerTeamGame: 35, teams: new Map([['BOS', { games: 10, pointsFor: 350, pointsAgainst: 350 }]]) };
    const out = projectTeam(Object.keys(H).map((id) => req(H[id], { playerId: id, params: P, league })), { active: new Map([['star', 0], ['p2', 1], ['p3', 1]]) });
    // Team rate 35 / 70 = 0.5 a minute; lineup 15.927 + 9.055 = 24.982 over 70 min = 0.356883 → usage 0.5 / 0.356883 = 1.401.
    expect(out[1]!.detail.team!.usageFactor).toBe(1.401);
    expect(out[1]!.projectedPoints).toBe(22.3); // 15.927273 × 1.401024
  });
});

describe('engine v3.2: the reserves take more of a missing star\'s minutes (rebalanceMinutesPower)', () => {
  const one = (id: string, minutes: number, points: number) => [log('2025-11-09', points, { playerId: id, gameId: 'g-old', minutes })];
  const H: Record<string, PlayerGameLog[]> = { star: one('star', 36, 27), p2: one('p2', 30, 12), p3: one('p3', 20, 6) };
  const out = new Map([['star', 0], ['p2', 1], ['p3', 1]]);
  const TEAM = (power: number): ProjectionParams => ({ ...PLAIN, teamMinutes: 70, unknownPlayerMinutes: 10, minutesRebalance: 1, maxMinutes: 48, usageWeight: 0, rebalanceMinutesPower: power });
  const run = (power: number) => projectTeam(Object.keys(H).map((id) => req(H[id], { playerId: id, params: TEAM(power) })), { active: out });

  it('at 0.25 the 20 vacated minutes are shared by minutes^0.25 × room', () => {
    const [star, b, c] = run(0.25);
    // Weights: 30^0.25 · 18 = 2.340347 · 18 = 42.126252; 20^0.25 · 28 = 2.114743 · 28 = 59.212791 (sum 101.339043).
    // p2: 30 + 20 · 42.126252 / 101.339043 = 38.313923 min × 0.4 = 15.326; p3: 20 + 20 · 59.212791 / 101.339043
    // = 31.686077 min × 0.3 = 9.506 (at power 1 the split was 39.8 / 30.2).
    expect([b!.detail.projectedMinutes, c!.detail.projectedMinutes]).toEqual([38.3, 31.7]);
    expect([b!.projectedPoints, c!.projectedPoints]).toEqual([15.3, 9.5]);
    expect([b!.detail.team!.minutesFactor, c!.detail.team!.minutesFactor]).toEqual([1.277, 1.584]);
    expect(b!.detail.team!.vacatedMinutes).toBe(20);
    expect(star!.detail.team).toBeUndefined();
  });

  it('the shipped value is 0.25, and it moves minutes from the starter to the reserve (the total is the same)', () => {
    expect(PROJECTION_PARAMS.rebalanceMinutesPower).toBe(0.25);
    const [, b1, c1] = run(1);
    const [, b, c] = run(PROJECTION_PARAMS.rebalanceMinutesPower);
    expect(b!.detail.projectedMinutes).toBeLessThan(b1!.detail.projectedMinutes);
    expect(c!.detail.projectedMinutes).toBeGreaterThan(c1!.detail.projectedMinutes);
    expect(b!.detail.projectedMinutes + c!.detail.projectedMinutes).toBeCloseTo(70, 0);
  });
});

describe('engine v3.2: minutes that regulars left open in past games are not counted twice (pastAbsenceWeight)', () => {
  // g1: all three play (star 36, p2 30, p3 20 minutes); g2: the star sits (DNP), p2 plays 40 and p3 26.
  const g = (id: string, date: string, minutes: number, points: number) => log(date, points, { playerId: id, gameId: `g-${date}`, minutes });
  const H: Record<string, PlayerGameLog[]> = {
    star: [g('star', '2025-11-07', 36, 27), dnp('2025-11-09', 'star')],
    p2: [g('p2', '2025-11-07', 30, 12), g('p2', '2025-11-09', 40, 20)],
    p3: [g('p3', '2025-11-07', 20, 6), g('p3', '2025-11-09', 26, 8)],
  };
  // Team step on, but no rebalance and a usage factor pinned at 1, so the step shows alone in the minutes.
  const P = (weight: number): ProjectionParams => ({
    ...PLAIN, minutesRebalance: 0, usageWeight: 1, usageMin: 1, usageMax: 1, maxMinutes: 48, rebalanceMinutesPower: 0.25,
    pastAbsenceWeight: weight, pastAbsenceMinMinutes: 20,
  });
  const run = (weight: number) => projectTeam(Object.keys(H).map((id) => req(H[id], { playerId: id, params: P(weight) })));

  it('hand-computed: the star\'s 36 minutes of g2 come off p2 and p3 by minutes^0.25 × room, × 0.6', () => {
    const [, b, c] = run(0.6);
    // First pass (decay 0.5): p2 (40 + 0.5·30) / 1.5 = 36.666667, p3 (26 + 0.5·20) / 1.5 = 24.
    // g2's shares: 36.666667^0.25 · 11.333333 = 27.888523, 24^0.25 · 24 = 53.120732 (sum 81.009255);
    // off: 0.6 · 36 · 27.888523 / 81.009255 = 7.436090 (p2), 14.163910 (p3).
    // Second pass: p2 (40 − 7.436090 + 15) / 1.5 = 31.709273, p3 (26 − 14.163910 + 10) / 1.5 = 14.557393.
    expect([b!.detail.projectedMinutes, c!.detail.projectedMinutes]).toEqual([31.7, 14.6]);
    expect([b!.detail.team!.pastAbsenceMinutes, c!.detail.team!.pastAbsenceMinutes]).toEqual([5, 9.4]);
    // Points per minute keep the real minutes: p2 (20 + 0.5·12) / (40 + 0.5·30) = 0.472727.
    expect(b!.detail.pointsPerMinute).toBe(0.473);
  });

  it('off (0), and for teammates below pastAbsenceMinMinutes, the averages are the plain ones', () => {
    const [star, b, c] = run(0);
    expect([b!.detail.projectedMinutes, c!.detail.projectedMinutes]).toEqual([36.7, 24]);
    expect(b!.detail.team!.pastAbsenceMinutes).toBe(0);
    expect(star!.detail.team!.pastAbsenceMinutes).toBe(0); // he sat g2 himself: nothing to take off
    const P40 = { ...P(0.6), pastAbsenceMinMinutes: 40 }; // the star (36) no longer counts as a regular
    const [, b40] = projectTeam(Object.keys(H).map((id) => req(H[id], { playerId: id, params: P40 })));
    expect(b40!.detail.projectedMinutes).toBe(36.7);
  });

  it('the shipped values: 0.6 of the share, regulars from 20 minutes', () => {
    expect([PROJECTION_PARAMS.pastAbsenceWeight, PROJECTION_PARAMS.pastAbsenceMinMinutes]).toEqual([0.6, 20]);
  });
});

describe('engine: the rows a projection reads (one pass over the player\'s past)', () => {
  it('the season starts on August 1 (a date comparison): a July row is last season\'s, at priorSeasonScale', () => {
    const h = [log('2025-07-31', 10, { minutes: 20 }), log('2025-08-01', 20, { minutes: 30 })];
    const p = projectPlayer(req(h, { params: PLAIN }))!;
    // Weights newest first: 08-01 (this season) 1; 07-31 0.5 decay × 0.5 prior season = 0.25.
    // Minutes (30 + 0.25·20) / 1.25 = 28; rate (20 + 0.25·10) / (30 + 0.25·20) = 0.642857; 28 × 0.642857 = 18.
    expect([p.detail.projectedMinutes, p.detail.pointsPerMinute, p.projectedPoints]).toEqual([28, 0.643, 18]);
    expect([p.factors.gamesPlayed, p.detail.priorSeasonAvg, p.factors.restDays]).toEqual([1, 10, 101]);
  });

  it('rows in any order, other players\' rows and rows from the game date on give the same projection', () => {
    const own = [...FIVE, dnp('2025-11-10')];
    const ordered = projectPlayer(req(own, { params: PLAIN }))!;
    const noise = [log('2025-11-11', 40), log('2025-11-12', 40), log('2025-11-08', 40, { playerId: 'p2' })];
    const shuffled = [own[3], noise[0], own[5], own[0], noise[2], own[4], own[2], noise[1], own[1]];
    expect(projectPlayer(req(shuffled, { params: PLAIN }))).toEqual(ordered);
    // Same day, two games (the id breaks the tie), given in reverse: sorted by date, then game id.
    const twice = [log('2025-11-09', 30, { gameId: 'g-b', minutes: 20 }), log('2025-11-09', 10, { gameId: 'g-a' })];
    const a = projectPlayer(req(twice, { params: PLAIN }))!;
    // Newest first g-b (1), then g-a (0.5): minutes (20 + 15) / 1.5 = 23.333; rate (30 + 5) / (20 + 15) = 1.
    expect([a.detail.projectedMinutes, a.detail.pointsPerMinute]).toEqual([23.3, 1]);
    expect(projectPlayer(req([...twice].reverse(), { params: PLAIN }))).toEqual(a);
  });
});

describe('engine v3.2: games for another team count less (otherTeamScale)', () => {
  // g1 for ATL (30 minutes, 9 points), then g2 for BOS (20 minutes, 10 points); tonight for BOS.
  const h = [log('2025-11-07', 9, { teamId: 'ATL', minutes: 30 }), log('2025-11-09', 10, { minutes: 20 })];

  it('hand-computed: the ATL game weighs decay × 0.5 in the minutes and the rate', () => {
    const p = projectPlayer(req(h, { params: { ...PLAIN, otherTeamScale: 0.5 } }))!;
    // Weights: g2 1, g1 0.5 · 0.5 = 0.25. Minutes (20 + 0.25·30) / 1.25 = 22; rate (10 + 0.25·9) / (20 + 0.25·30)
    // = 0.445455; 22 · 0.445455 = 9.8.
    expect([p.detail.projectedMinutes, p.detail.pointsPerMinute, p.projectedPoints]).toEqual([22, 0.445, 9.8]);
    expect(p.detail.otherTeamGames).toBe(1); // logged
    // At 1 (v3.1): minutes (20 + 15) / 1.5 = 23.333, rate 14.5 / 35 = 0.414286, 9.667.
    const same = projectPlayer(req(h, { params: { ...PLAIN, otherTeamScale: 1 } }))!;
    expect([same.detail.projectedMinutes, same.detail.pointsPerMinute, same.projectedPoints]).toEqual([23.3, 0.414, 9.7]);
  });

  it('the shipped value is 0.5', () => {
    expect(PROJECTION_PARAMS.otherTeamScale).toBe(0.5);
  });
});

describe('engine v3: back from an absence', () => {
  it('after returnMinGames straight DNPs, minutes × returnMinutesFactor and rate × returnRateFactor', () => {
    const h = [...FIVE, dnp('2025-11-12'), dnp('2025-11-14')];
    const P = { ...PLAIN, returnMinGames: 2, returnMinutesFactor: 0.8, returnRateFactor: 1.1 };
    const p = projectPlayer(req(h, { params: P, gameDate: '2025-11-16' }))!;
    // Minutes 30 (every game 30) × 0.8 = 24. Rate (decay 0.5, newest first 18, 16, 14, 12, 10 in 30 min each):
    // 31.625 / 58.125 = 0.544086 × 1.1 = 0.598495. 24 × 0.598495 = 14.364.
    expect(p.detail.absenceGames).toBe(2);
    expect(p.detail.projectedMinutes).toBe(24);
    expect(p.detail.pointsPerMinute).toBe(0.598);
    expect(p.projectedPoints).toBe(14.4);
    expect([p.detail.returnMinutesFactor, p.detail.returnRateFactor]).toEqual([0.8, 1.1]);
    // One DNP is not a return.
    const once = projectPlayer(req([...FIVE, dnp('2025-11-12')], { params: P, gameDate: '2025-11-16' }))!;
    expect([once.detail.absenceGames, once.detail.returnMinutesFactor, once.detail.projectedMinutes]).toEqual([1, 1, 30]);
  });

  it('a returning player takes his minutes back from the teammates who filled in (team step)', () => {
    const TEAM: ProjectionParams = { ...PLAIN, teamMinutes: 70, minutesRebalance: 1, maxMinutes: 48, usageWeight: 0 };
    // p2 played 40 minutes in the last two games while p1 was out; p1 is back tonight.
    const h1 = [log('2025-11-01', 20, { minutes: 30 }), dnp('2025-11-03'), dnp('2025-11-05')];
    const h2 = [log('2025-11-01', 10, { playerId: 'p2', minutes: 30 }), log('2025-11-03', 14, { playerId: 'p2', minutes: 40 }), log('2025-11-05', 14, { playerId: 'p2', minutes: 40 })];
    const [a, b] = projectTeam([req(h1, { params: TEAM, gameDate: '2025-11-07' }), req(h2, { playerId: 'p2', params: TEAM, gameDate: '2025-11-07' })]);
    // p2's average (decay 0.5): (40 + 20 + 7.5) / 1.75 = 38.571; p1 30 (returning, factor 1 here). 68.571 < 70: +1.429 shared.
    expect(a!.detail.absenceGames).toBe(2);
    expect(b!.detail.team!.rosterMinutes).toBe(68.6);
    // v3.2 (past-absence step at 0.6): p1's 30 minutes were open in both games p2 filled in; p2 alone played
    // them, so 0.6 · 30 = 18 come off each: (22 + 0.5·22 + 0.25·30) / 1.75 = 23.142857 of his own; then 53.143 < 70
    // and the gap goes back out by minutes × room (this TEAM keeps the v3.1 share), to both.
    const step = { ...TEAM, pastAbsenceWeight: 0.6, pastAbsenceMinMinutes: 20 };
    const [, b2] = projectTeam([req(h1, { params: step, gameDate: '2025-11-07' }), req(h2, { playerId: 'p2', params: step, gameDate: '2025-11-07' })]);
    expect(b2!.detail.team).toMatchObject({ ownMinutes: 23.1, rosterMinutes: 53.1, pastAbsenceMinutes: 15.4 });
  });
});

describe('engine v3: level calibration', () => {
  it('multiplies by 1 + slope × clamp(baseline − pivot, 0, span)', () => {
    const one = [log('2025-11-09', 25)]; // 30 min, 25 points: baseline 25
    const P = { ...PLAIN, levelPivot: 15, levelSlope: 0.004, levelSpan: 20 };
    const p = projectPlayer(req(one, { params: P }))!;
    expect(p.detail.levelFactor).toBe(1.04); // 1 + 0.004 × 10
    expect(p.projectedPoints).toBe(26);
    const low = projectPlayer(req([log('2025-11-09', 9)], { params: P }))!;
    expect([low.detail.levelFactor, low.projectedPoints]).toEqual([1, 9]);
    const capped = projectPlayer(req([log('2025-11-09', 60, { minutes: 40 })], { params: { ...P, levelSpan: 5 } }))!;
    expect(capped.detail.levelFactor).toBe(1.02);
  });
  it('the shipped parameters raise a 25-point baseline and leave a 10-point one alone', () => {
    expect(PROJECTION_PARAMS.levelSlope).toBeGreaterThan(0);
    const hi = projectPlayer(req([log('2025-11-09', 25)], { params: { ...PLAIN, levelPivot: PROJECTION_PARAMS.levelPivot, levelSlope: PROJECTION_PARAMS.levelSlope, levelSpan: PROJECTION_PARAMS.levelSpan } }))!;
    expect(hi.detail.levelFactor).toBeGreaterThan(1);
  });
  it('v3.1 below the pivot: 1 + lowSlope × (baseline − pivot), by hand', () => {
    const P = { ...PLAIN, levelPivot: 15, levelSlope: 0.0025, levelSpan: 12, levelLowSlope: 0.006 };
    const p10 = projectPlayer(req([log('2025-11-09', 10)], { params: P }))!;
    expect(p10.detail.levelFactor).toBe(0.97); // 1 + 0.006 × (10 − 15)
    expect(p10.projectedPoints).toBe(9.7);
    const p20 = projectPlayer(req([log('2025-11-09', 20)], { params: P }))!;
    expect(p20.detail.levelFactor).toBe(1.013); // 1 + 0.0025 × 5 = 1.0125; the low term is 0 above the pivot
  });
  it('v3.1 shipped level parameters by hand: 1 + 0.0025 × 10 for a 25-point baseline, capped at 12 points above 15', () => {
    const shipped = { ...PLAIN, levelPivot: PROJECTION_PARAMS.levelPivot, levelSlope: PROJECTION_PARAMS.levelSlope, levelSpan: PROJECTION_PARAMS.levelSpan, levelLowSlope: PROJECTION_PARAMS.levelLowSlope };
    const p25 = projectPlayer(req([log('2025-11-09', 25)], { params: shipped }))!;
    expect(p25.detail.levelFactor).toBe(1.025);
    expect(p25.projectedPoints).toBe(25.6); // 25 × 1.025 = 25.625
    const p36 = projectPlayer(req([log('2025-11-09', 36, { minutes: 36 })], { params: shipped }))!;
    expect(p36.detail.levelFactor).toBe(1.03); // 36 − 15 = 21, capped at 12
    expect(p36.projectedPoints).toBe(37.1); // 36 × 1.03 = 37.08
    const p5 = projectPlayer(req([log('2025-11-09', 5)], { params: shipped }))!;
    expect(p5.detail.levelFactor).toBe(0.94); // 1 + 0.006 × (5 − 15)
    expect(p5.projectedPoints).toBe(4.7); // 5 × 0.94
  });
});

describe('engine v3: the game model adjusted for who is out', () => {
  it('value above replacement, lineup change and the home margin, by hand', () => {
    const P = { weight: 0.25, replacementRate: 0.45 };
    expect(playerValue(25, 34, P)).toBeCloseTo(9.7, 10); // 25 − 0.45 × 34
    expect(playerValue(6, 15, P)).toBe(0); // never below a replacement
    const home = lineupChange([
      { ownPoints: 25, ownMinutes: 34, tonight: 0, typical: 1 }, // the star is out tonight
      { ownPoints: 6, ownMinutes: 15, tonight: 1, typical: 0.5 },
      { ownPoints: 14, ownMinutes: 28, tonight: 1, typical: 1 }, // plays as usual: no change
    ], P);
    expect(home).toBeCloseTo(-9.7, 10);
    const adj = lineupMarginAdjustment(home, 0, P);
    expect(adj).toBeCloseTo(-2.425, 10);
    const ratings = new Map([['BOS', 1550], ['NYK', 1500]]);
    const base = forecastGame('BOS', 'NYK', ratings, { k: 20, homeAdvantage: 60, seasonRegression: 0.25 });
    const out = forecastGame('BOS', 'NYK', ratings, { k: 20, homeAdvantage: 60, seasonRegression: 0.25 }, adj);
    // Elo diff 110 → 110 − 2.425 × 28 = 42.1: margin 3.9 → 1.5, p = 1 / (1 + 10^(−0.10525)) = 1 / 1.784848 = 0.5603.
    expect(base.projectedMargin).toBe(3.9);
    expect(out.projectedMargin).toBe(1.5);
    expect(out.homeWinProb).toBeCloseTo(0.5603, 4);
    expect(out.lineupAdjustment).toBe(-2.42); // −2.425 rounded (floating −2.4249…)
  });
});

describe('the availability rule (shared by the slate and the backtest)', () => {
  const games = ['g1', 'g2', 'g3', 'g4'];
  const played: Record<string, string[]> = { a: ['g1', 'g2', 'g3', 'g4'], b: ['g1'], c: ['g4'], d: ['g2', 'g3', 'g4'], e: ['g1', 'g2', 'g3'] };
  const playedIn = (p: string, g: string) => played[p]?.includes(g) ?? false;
  it('without a report (v3.3): the chance of the pattern in the last 3 team games, or of the absence streak', () => {
    const m = expectedAvailability(['a', 'b', 'c', 'd', 'e', 'x'], games, playedIn);
    // a, d: 111 → 0.94; c: 001 → 0.62; e: 110 (missed the last) → 0.51; b: out 3 in a row → 0.25; x: never → 0.
    expect([...m].map(([id, x]) => [id, x.chance, x.source])).toEqual([
      ['a', 0.94, 'recent'], ['b', 0.25, 'recent'], ['c', 0.62, 'recent'], ['d', 0.94, 'recent'], ['e', 0.51, 'recent'], ['x', 0, 'recent'],
    ]);
    // The same share (2 of 3) is a different chance by which game he missed.
    expect([PATTERN_CHANCE['011'], PATTERN_CHANCE['101'], PATTERN_CHANCE['110']]).toEqual([0.79, 0.74, 0.51]);
    expect([...playedShares(['a', 'b'], games, playedIn)]).toEqual([['a', 1], ['b', 0.25]]);
  });
  it('the absence streak is counted over the last TYPICAL_GAMES; none in them, or before 3 games: as said', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const only = (g: string) => (_p: string, x: string) => x === g;
    expect(recentChance('p', ten, only('t5'))).toBe(0.24); // missed t6–t9: 4 in a row
    expect(recentChance('p', ten, only('t4'))).toBe(0.16); // 5
    expect(recentChance('p', ten, only('t0'))).toBe(0.12); // 9
    expect(recentChance('p', ten, () => false)).toBe(0); // none of the 10
    const twelve = Array.from({ length: 12 }, (_, i) => `t${i}`);
    expect(recentChance('p', twelve, only('t1'))).toBe(0); // his game is before the last 10
    expect(recentChance('p', ['t0', 't1'], only('t1'))).toBe(0.5); // 2 team games so far: the share
    expect(recentChance('p', [], only('t1'))).toBe(0);
  });
  it('the report decides where it has an entry', () => {
    const m = expectedAvailability(['a', 'b', 'c', 'd'], games, playedIn, new Map([['a', 'out'], ['b', 'probable'], ['d', 'questionable']] as const));
    expect(m.get('a')).toEqual({ status: 'out', source: 'report', chance: 0 });
    expect(m.get('b')!.chance).toBe(STATUS_CHANCE.probable);
    expect(m.get('d')!.chance).toBe(0.5);
    expect(m.get('c')).toEqual({ status: null, source: 'recent', chance: 0.62 });
  });
});
