// Engine v2 (minutes × points per minute). v1's blend-weight cases were replaced deliberately: the
// model changed, so each factor now has its own hand-computed case below.
import { describe, expect, it } from 'vitest';
import {
  buildLeagueContext,
  MODEL_VERSION,
  opponentDefenceFactor,
  paceFactor,
  PROJECTION_PARAMS,
  projectPlayer,
  projectTeam,
  type LeagueContext,
  type ProjectionParams,
  type ProjectionRequest,
} from '../../web/src/lib/engine/index';
import { EMPTY_LEAGUE as EMPTY, playerLog as log } from './helpers';
import { addGameToTeams, DEFAULT_POINTS_PER_TEAM_GAME, leagueContextFromTeams } from '../../web/src/lib/engine/league-context';
import type { Game, PlayerGameLog } from '../../web/src/lib/domain/types';

const dnp = (date: string) => log(date, 0, { played: false, minutes: 0, dnpReason: 'Injury' });

/** Five games this season, every other day: 10, 12, 14, 16, 18 points in 30 minutes each. */
const FIVE = [log('2025-11-01', 10), log('2025-11-03', 12), log('2025-11-05', 14), log('2025-11-07', 16), log('2025-11-09', 18)];

/** Parameters that switch off every fallback and adjustment, so each factor can be checked alone. */
const PLAIN: ProjectionParams = {
  ...PROJECTION_PARAMS,
  minutesDecay: 0.5, minutesSlowWeight: 0, rateDecay: 0.5, priorSeasonScale: 0.5,
  typicalMinutesGames: 0, typicalRateMinutes: 0, minutesPull: 0, ratePull: 0, dnpMinutesPenalty: 0,
  returnMinutesFactor: 1, defenceWeight: 1, paceWeight: 0.5, teamShrinkGames: 10, calibration: 1,
  homeFactor: 1, awayFactor: 1, backToBackFactor: 1, vsOppWeight: 0, levelSlope: 0, levelLowSlope: 0, returnMinGames: 3, returnRateFactor: 1,
  rebalanceMinutesPower: 1, // the v2.1–v3.1 share, minutes × room (v3.2's 0.25 has its own test)
  pastAbsenceWeight: 0, // v3.2's past-absence step has its own tests (engine-v3.test.ts)
};

function req(history: PlayerGameLog[], over: Partial<ProjectionRequest> = {}): ProjectionRequest {
  return {
    playerId: 'p1', playerName: 'Test Player', teamId: 'BOS', opponentId: 'NYK', home: true,
    gameId: 'g-2025-11-11', gameDate: '2025-11-11', history, league: EMPTY, ...over,
  };
}

describe('projectPlayer v2 with the shipped parameters', () => {
  it('a full hand-computed case: minutes × points per minute, band and confidence', () => {
    const p = projectPlayer(req(FIVE))!;
    // Minutes: fast average (decay 0.7): weights 1, .7, .49, .343, .2401 (sum 2.7731) over 30 each, plus
    // 14 min worth 0.05 games -> (83.193 + 0.7) / 2.8231 = 29.716624; slow (decay 1): (150 + 0.7) / 5.05
    // = 29.841584; blend 0.55 / 0.45 -> 29.772856. No DNP streak.
    // Rate (decay 0.96, newest first 18, 16, 14, 12, 10): points 65.372698 + 0.36 * 20 over minutes
    // 138.470477 + 20 -> 0.457957. 29.772856 * 0.457957 = 13.634694 (home x1, no matchup adjustments).
    // Level (v3.1, below the 15-point pivot): 1 + 0.006 * (13.634694 - 15) = 0.991808;
    // x calibration 0.99 -> 13.634694 * 0.991808 * 0.99 = 13.387771.
    expect(p.projectedPoints).toBe(13.4);
    expect(p.detail.projectedMinutes).toBe(29.8);
    expect(p.detail.pointsPerMinute).toBe(0.458);
    expect(p.factors).toEqual({
      gamesPlayed: 5, seasonAvg: 14, last3Avg: 16, last5Avg: 14, vsOppAvg: null, vsOppGames: 0,
      oppDefFactor: 1, paceFactor: 1, home: true, restDays: 1,
    });
    // Spread: prior sd = 3.2 + 0.21 * 13.387771 = 6.011432; var = (40 + 5 * 6.011432²) / (4 + 5) = 24.520730;
    // sd = 4.951841; ±1.2816 sd -> 7.041, 19.734.
    expect(p.floor).toBe(7);
    expect(p.ceiling).toBe(19.7);
    expect(p.detail.levelFactor).toBe(0.992);
    // confidence = 5/13 * 1 / (1 + 4.951841 / 13.387771) = 0.2808
    expect(p.confidence).toBe(0.28);
    expect(p.detail.team).toBeUndefined(); // projectPlayer alone: no team step
    expect(p.modelVersion).toBe(MODEL_VERSION);
    expect(MODEL_VERSION).toBe('v3.3.0');
  });

  it('away games carry the away factor (0.99), home games none', () => {
    const home = projectPlayer(req(FIVE))!;
    const away = projectPlayer(req(FIVE, { home: false }))!;
    expect(away.detail.homeFactor).toBe(0.99);
    expect(away.projectedPoints).toBe(13.3); // 13.387771 * 0.99 = 13.253893
    expect(home.detail.homeFactor).toBe(1);
  });
});

describe('projectPlayer v2: each factor by hand (fallbacks off)', () => {
  it('minutes and points per minute are separate decayed averages', () => {
    const h = [log('2025-11-01', 10, { minutes: 20 }), log('2025-11-03', 18, { minutes: 30 })];
    const p = projectPlayer(req(h, { params: PLAIN }))!;
    // minutes (decay 0.5): (30 + 0.5 * 20) / 1.5 = 26.666667; rate: (18 + 0.5 * 10) / (30 + 0.5 * 20) = 0.575
    // 26.666667 * 0.575 = 15.333333
    expect(p.detail.projectedMinutes).toBe(26.7);
    expect(p.detail.pointsPerMinute).toBe(0.575);
    expect(p.projectedPoints).toBe(15.3);
  });

  it('the slow minutes average is blended in with its weight', () => {
    const h = [log('2025-11-01', 10, { minutes: 20 }), log('2025-11-03', 18, { minutes: 30 })];
    const p = projectPlayer(req(h, { params: { ...PLAIN, minutesSlowDecay: 1, minutesSlowWeight: 0.5 } }))!;
    // fast 26.666667, slow 25 -> 25.833333; x 0.575 = 14.854167
    expect(p.projectedPoints).toBe(14.9);
  });

  it('last season counts at priorSeasonScale weight, in the same decayed averages', () => {
    const h = [log('2025-03-01', 30, { minutes: 36 }), log('2025-11-01', 10, { minutes: 20 })];
    const p = projectPlayer(req(h, { params: PLAIN }))!;
    // newest 20 min / 10 pts weight 1; last season 36 / 30 at 0.5 * 0.5 = 0.25
    // minutes (20 + 0.25 * 36) / 1.25 = 23.2; rate (10 + 0.25 * 30) / (20 + 0.25 * 36) = 17.5 / 29 = 0.603448
    // 23.2 * 0.603448 = 14.0
    expect(p.projectedPoints).toBe(14);
    expect(p.detail.priorSeasonAvg).toBe(30);
    expect(p.factors.gamesPlayed).toBe(1);
    expect(p.factors.restDays).toBe(9);
  });

  it('with no game this season, last season alone gives the projection', () => {
    const h = [log('2025-03-01', 12, { minutes: 24 }), log('2025-03-03', 12, { minutes: 24 })];
    const p = projectPlayer(req(h, { params: PLAIN, gameDate: '2025-10-22' }))!;
    expect(p.projectedPoints).toBe(12);
    expect(p.factors.gamesPlayed).toBe(0);
    expect(p.factors.seasonAvg).toBeNull();
    expect(p.factors.restDays).toBeNull(); // rest only counts within a season
  });

  it('a fallback player (typical minutes and rate) pulls a one-game sample', () => {
    const h = [log('2025-11-01', 30, { minutes: 40 })];
    const p = projectPlayer(req(h, { params: { ...PLAIN, typicalMinutes: 10, typicalMinutesGames: 1, typicalRate: 0.4, typicalRateMinutes: 40 } }))!;
    // minutes (40 + 10) / 2 = 25; rate (30 + 16) / (40 + 40) = 0.575 -> 14.375
    expect(p.projectedPoints).toBe(14.4);
  });

  it('back from 3+ straight DNPs, minutes get the return factor; DNPs never enter the averages', () => {
    const h = [...FIVE, dnp('2025-11-10'), dnp('2025-11-12'), dnp('2025-11-14')];
    const p = projectPlayer(req(h, { params: { ...PLAIN, returnMinutesFactor: 0.8 }, gameDate: '2025-11-16' }))!;
    // minutes 30 * 0.8 = 24; rate (decay 0.5): (18 + 8 + 3.5 + 1.5 + 0.625) / (30 * 1.9375) = 0.544086 -> 13.058
    expect(p.detail.projectedMinutes).toBe(24);
    expect(p.projectedPoints).toBe(13.1);
    expect(p.detail.dnpShare).toBe(0.38); // 3 of the last 8 team games
    const two = projectPlayer(req(h.slice(0, -1), { params: { ...PLAIN, returnMinutesFactor: 0.8 }, gameDate: '2025-11-16' }))!;
    expect(two.detail.projectedMinutes).toBe(30); // two DNPs: no return factor
  });

  it('the DNP-share penalty scales minutes by 1 - penalty * share', () => {
    const h = [...FIVE.slice(0, 3), dnp('2025-11-06'), log('2025-11-08', 14)];
    const p = projectPlayer(req(h, { params: { ...PLAIN, dnpMinutesPenalty: 0.5 } }))!;
    // share 1/5 -> minutes 30 * 0.9 = 27
    expect(p.detail.projectedMinutes).toBe(27);
  });

  it('applies opponent defence and pace, shrunk by games played', () => {
    const league: LeagueContext = {
      leaguePointsPerTeamGame: 115,
      teams: new Map([['NYK', { games: 10, pointsFor: 1265, pointsAgainst: 1200 }]]),
    };
    // defence: 1 + (120/115 - 1) * 10/20 = 1.0217391; pace: 1 + (126.5/115 - 1) * 0.5 * 10/20 = 1.025
    expect(opponentDefenceFactor('NYK', league, PLAIN)).toBeCloseTo(1.0217391, 6);
    expect(paceFactor('NYK', league, PLAIN)).toBeCloseTo(1.025, 6);
    // Shipped parameters: defence weight 1, shrink 20 games -> 1 + 0.0434783 * 10/30; pace weight 0 -> 1.
    expect(opponentDefenceFactor('NYK', league)).toBeCloseTo(1.0144928, 6);
    expect(paceFactor('NYK', league)).toBe(1);
    const p = projectPlayer(req(FIVE, { league, params: PLAIN }))!;
    // base (decay 0.5) = 30 * (18 + 8 + 3.5 + 1.5 + 0.625) / (30 * 1.9375) = 16.322581; x 1.0217391 x 1.025
    expect(p.factors.oppDefFactor).toBe(1.022);
    expect(p.factors.paceFactor).toBe(1.025);
    expect(p.projectedPoints).toBe(17.1); // 17.094
    expect(opponentDefenceFactor('XXX', league)).toBe(1);
  });

  it('back-to-back factor applies at zero rest days (a DNP counts as a team game)', () => {
    const h = [...FIVE, dnp('2025-11-10')];
    const p = projectPlayer(req(h, { params: { ...PLAIN, backToBackFactor: 0.9 } }))!;
    expect(p.factors.restDays).toBe(0);
    expect(p.detail.restFactor).toBe(0.9);
    expect(p.projectedPoints).toBe(14.7); // 16.322581 * 0.9 = 14.690
  });

  it('the vs-opponent average is reported always and blended in from two meetings', () => {
    const two = FIVE.map((r, i) => (i < 2 ? { ...r, opponentId: 'NYK' } : r));
    const p = projectPlayer(req(two, { params: { ...PLAIN, vsOppWeight: 0.5 } }))!;
    // vs NYK 10, 12 -> 11; 0.5 * 16.322581 + 0.5 * 11 = 13.661290
    expect(p.factors.vsOppAvg).toBe(11);
    expect(p.factors.vsOppGames).toBe(2);
    expect(p.projectedPoints).toBe(13.7);
    const one = FIVE.map((r, i) => (i === 0 ? { ...r, opponentId: 'NYK' } : r));
    expect(projectPlayer(req(one, { params: { ...PLAIN, vsOppWeight: 0.5 } }))!.projectedPoints).toBe(16.3);
  });

  it('calibration and home/away factors multiply the projection', () => {
    const p = projectPlayer(req(FIVE, { home: false, params: { ...PLAIN, calibration: 1.1, awayFactor: 0.95 } }))!;
    expect(p.projectedPoints).toBe(17.1); // 16.322581 * 1.1 * 0.95 = 17.057
  });
});

describe('projectPlayer: guards', () => {
  it('never looks at the game itself or later games (leakage)', () => {
    const base = projectPlayer(req(FIVE))!;
    for (const pts of [0, 25, 80]) {
      const own = log('2025-11-11', pts, { gameId: 'g-2025-11-11', opponentId: 'NYK', minutes: pts });
      const later = log('2025-11-13', pts * 2, { opponentId: 'NYK' });
      expect(projectPlayer(req([...FIVE, own, later]))).toEqual(base);
      expect(projectPlayer(req([own, ...FIVE.slice().reverse(), later]))).toEqual(base); // order-independent
    }
    // Another player's rows are ignored too.
    expect(projectPlayer(req([...FIVE, log('2025-11-10', 60, { playerId: 'p2' })]))).toEqual(base);
  });

  it('returns null without a played game before the date', () => {
    expect(projectPlayer(req([]))).toBeNull();
    expect(projectPlayer(req([log('2025-11-05', 0, { played: false, dnpReason: "Coach's decision" })]))).toBeNull();
    expect(projectPlayer(req([log('2025-11-11', 30), log('2025-11-12', 30)]))).toBeNull();
  });

  it('keeps 0 <= floor <= projection <= ceiling and confidence in [0, 1]', () => {
    const cases: PlayerGameLog[][] = [
      FIVE,
      [log('2025-11-01', 0)],
      [log('2025-11-01', 0, { minutes: 0 })],
      [log('2025-11-01', 0), log('2025-11-03', 0), log('2025-11-05', 1)],
      [log('2025-11-01', 50), log('2025-11-03', 2), log('2025-11-05', 41), log('2025-11-07', 0)],
      Array.from({ length: 40 }, (_, i) => log(`2025-${i < 20 ? '11' : '12'}-${String((i % 20) + 1).padStart(2, '0')}`, 20 + (i % 7))),
    ];
    for (const history of cases) {
      const p = projectPlayer(req(history, { gameDate: '2026-01-05' }))!;
      expect(Number.isFinite(p.projectedPoints)).toBe(true);
      expect(p.floor).toBeGreaterThanOrEqual(0);
      expect(p.floor).toBeLessThanOrEqual(p.projectedPoints);
      expect(p.projectedPoints).toBeLessThanOrEqual(p.ceiling);
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('is more confident with more, steadier games', () => {
    const few = projectPlayer(req(FIVE.slice(0, 2)))!;
    const many = projectPlayer(req(Array.from({ length: 30 }, (_, i) => log(`2025-10-${String(i + 1).padStart(2, '0')}`, 20)), { gameDate: '2025-11-01' }))!;
    expect(many.confidence).toBeGreaterThan(few.confidence);
  });
});

describe('projectTeam: the team step (minutes and usage rebalanced across who plays)', () => {
  /** Plain parameters, team step on: 100 team minutes so the numbers stay small. */
  const TEAM: ProjectionParams = { ...PLAIN, teamMinutes: 100, unknownPlayerMinutes: 10, minutesRebalance: 1, maxMinutes: 48, usageWeight: 0 };
  /** One game each: 36 min / 18 pts (0.5 a minute), 30 / 12 (0.4), 20 / 6 (0.3). */
  const one = (id: string, minutes: number, points: number) => [log('2025-11-09', points, { playerId: id, gameId: 'g-old', minutes })];
  const HIST: Record<string, PlayerGameLog[]> = { p1: one('p1', 36, 18), p2: one('p2', 30, 12), p3: one('p3', 20, 6), p4: [] };
  const team = (ids: string[], params: ProjectionParams, over: Partial<ProjectionRequest> = {}) =>
    ids.map((id) => req(HIST[id], { playerId: id, params, ...over }));

  it('hand-computed: the minutes gap is shared in proportion to minutes × room', () => {
    const [a, b, c] = projectTeam(team(['p1', 'p2', 'p3'], TEAM)) as NonNullable<ReturnType<typeof projectPlayer>>[];
    // Own minutes 36 + 30 + 20 = 86, gap to 100 = 14. Weights m(48 - m): 432, 540, 560 (sum 1532).
    // p1 36 + 14 * 432/1532 = 39.947781; p2 30 + 14 * 540/1532 = 34.934726; p3 20 + 14 * 560/1532 = 25.117493 (sum 100)
    // points x 0.5 / 0.4 / 0.3 = 19.973890, 13.973890, 7.535248
    expect([a.detail.projectedMinutes, b.detail.projectedMinutes, c.detail.projectedMinutes]).toEqual([39.9, 34.9, 25.1]);
    expect([a.projectedPoints, b.projectedPoints, c.projectedPoints]).toEqual([20, 14, 7.5]);
    expect(a.detail.team).toEqual({ ownMinutes: 36, rosterMinutes: 86, teamMinutes: 100, minutesFactor: 1.11, usageFactor: 1, vacatedMinutes: 14, pastAbsenceMinutes: 0 });
    expect(c.detail.team!.minutesFactor).toBe(1.256);
    expect(a.detail.baseline).toBe(19.97);
    // Unchanged rate; the band follows the new projection.
    expect(a.detail.pointsPerMinute).toBe(0.5);
    expect(a.ceiling).toBeGreaterThan(projectPlayer(req(HIST.p1, { playerId: 'p1', params: TEAM }))!.ceiling);
  });

  it('hand-computed: usage pulls the lineup rate toward the team rate', () => {
    const league: LeagueContext = { leaguePointsPerTeamGame: 46, teams: new Map() };
    const out = projectTeam(team(['p1', 'p2', 'p3'], { ...TEAM, usageWeight: 0.5 }, { league }));
    // Lineup: 41.483029 points in 100 minutes = 0.414830 a minute; team (league) 46 / 100 = 0.46.
    // (0.46 / 0.414830)^0.5 = 1.053037 -> 21.033, 14.715, 7.935
    expect(out.map((p) => p!.projectedPoints)).toEqual([21, 14.7, 7.9]);
    expect(out[0]!.detail.team!.usageFactor).toBe(1.053);
    expect(out[0]!.detail.pointsPerMinute).toBe(0.527); // 0.5 * 1.053037
    // Bounded by usageMax.
    const capped = projectTeam(team(['p1'], { ...TEAM, usageWeight: 1, usageMax: 1.2 }, { league: { leaguePointsPerTeamGame: 100, teams: new Map() } }));
    expect(capped[0]!.detail.team!.usageFactor).toBe(1.2);
  });

  it('a player without history gets null but still takes unknownPlayerMinutes', () => {
    const out = projectTeam(team(['p1', 'p2', 'p3', 'p4'], TEAM));
    // 36 + 30 + 20 + 10 = 96, gap 4; weights 432, 540, 560, 380 (sum 1912)
    // p1 36 + 4 * 432/1912 = 36.903766 -> 18.45; p2 31.129707 -> 12.45; p3 21.171548 -> 6.35
    expect(out[3]).toBeNull();
    expect(out.slice(0, 3).map((p) => p!.detail.projectedMinutes)).toEqual([36.9, 31.1, 21.2]);
    expect(out[0]!.detail.team!.rosterMinutes).toBe(96);
  });

  it('only the players listed as active share the minutes; nobody goes above 48', () => {
    const out = projectTeam(team(['p1', 'p2', 'p3'], TEAM), { active: new Set(['p1', 'p2']) });
    // 66 own minutes, gap 34: p1 36 + 34 * 432/972 = 51.1 and p2 48.9, both held at 48
    expect(out.map((p) => p!.detail.projectedMinutes)).toEqual([48, 48, 20]);
    expect(out.map((p) => p!.projectedPoints)).toEqual([24, 19.2, 6]);
    expect(out[2]!.detail.team).toBeUndefined(); // p3 not expected: projected alone
    expect(out[2]).toEqual(projectPlayer(req(HIST.p3, { playerId: 'p3', params: TEAM })));
    // Nobody expected (e.g. before a team's first game): no team step at all.
    const none = projectTeam(team(['p1', 'p2'], TEAM), { active: new Set() });
    expect(none).toEqual([projectPlayer(req(HIST.p1, { playerId: 'p1', params: TEAM })), projectPlayer(req(HIST.p2, { playerId: 'p2', params: TEAM }))]);
  });

  it('a chance of playing counts chance × minutes in the total (the app\'s guess before tip-off)', () => {
    const out = projectTeam(team(['p1', 'p2', 'p3'], TEAM), { active: new Map([['p1', 1], ['p2', 1], ['p3', 0.5]]) });
    // For p1 and p2: 36 + 30 + 0.5 * 20 = 76, gap 24; weights 432 + 540 + 0.5 * 560 = 1252
    // p1 36 + 24 * 432/1252 = 44.281150; p2 40.351438.
    // p3's own projection is "if he plays" (v3.3): himself in full, 86, gap 14; weights 1532: 20 + 14 * 560/1532 = 25.117493
    // (v3.2 left him at 0.5 in his own total too: 20 + 24 * 560/1252 = 30.734824, 9.2 points).
    expect(out.map((p) => p!.detail.projectedMinutes)).toEqual([44.3, 40.4, 25.1]);
    expect(out.map((p) => p!.projectedPoints)).toEqual([22.1, 16.1, 7.5]);
    expect([out[0]!.detail.team!.rosterMinutes, out[2]!.detail.team!.rosterMinutes]).toEqual([76, 86]);
    const v32 = projectTeam(team(['p1', 'p2', 'p3'], { ...TEAM, ownChanceAsPlaying: 0 }), { active: new Map([['p1', 1], ['p2', 1], ['p3', 0.5]]) });
    expect(v32.map((p) => p!.detail.projectedMinutes)).toEqual([44.3, 40.4, 30.7]);
  });

  it('with the team step off it is projectPlayer for each player', () => {
    const off = { ...TEAM, minutesRebalance: 0, usageWeight: 0 };
    expect(projectTeam(team(['p1', 'p2', 'p4'], off))).toEqual([
      projectPlayer(req(HIST.p1, { playerId: 'p1', params: off })), projectPlayer(req(HIST.p2, { playerId: 'p2', params: off })), null,
    ]);
    expect(projectTeam([])).toEqual([]);
  });

  it('leakage: the game\'s own rows (and later ones) never change the team\'s projections; who plays may', () => {
    const shipped = (ids: string[], extra: (id: string) => PlayerGameLog[]) =>
      projectTeam(ids.map((id) => req([...HIST[id], ...extra(id)], { playerId: id })));
    const base = shipped(['p1', 'p2', 'p3'], () => []);
    for (const pts of [0, 30, 70]) {
      const own = (id: string) => [
        log('2025-11-11', pts, { playerId: id, gameId: 'g-2025-11-11', opponentId: 'NYK', minutes: pts % 48 }),
        log('2025-11-12', pts, { playerId: id, minutes: 48 }),
      ];
      expect(shipped(['p1', 'p2', 'p3'], own)).toEqual(base);
    }
    // Knowing that the top scorer p1 sits out is allowed, and moves his minutes and shots to the others
    // (shipped parameters, scaled to this three-man team: 100 team minutes, 46 points a game).
    const small = { params: { ...PROJECTION_PARAMS, teamMinutes: 100 }, league: { leaguePointsPerTeamGame: 46, teams: new Map() } };
    const all3 = projectTeam(['p1', 'p2', 'p3'].map((id) => req(HIST[id], { playerId: id, ...small })));
    const without = projectTeam(['p2', 'p3'].map((id) => req(HIST[id], { playerId: id, ...small })));
    expect(without[0]!.projectedPoints).toBeGreaterThan(all3[1]!.projectedPoints);
    expect(without[0]!.detail.team!.usageFactor).toBeGreaterThan(all3[1]!.detail.team!.usageFactor);
    expect(without[0]!.detail.projectedMinutes).toBeGreaterThan(all3[1]!.detail.projectedMinutes);
  });
});

describe('buildLeagueContext', () => {
  const g = (date: string, hs: number | null, as: number | null, status: Game['status'] = 'final'): Game => ({
    id: `x-${date}-${hs}`, date, tipoff: `${date}T23:30:00.000Z`, homeTeamId: 'BOS', awayTeamId: 'NYK', status, homeScore: hs, awayScore: as,
  });

  it('counts only final games of the same season before the date', () => {
    const ctx = buildLeagueContext(
      [g('2025-11-01', 110, 100), g('2025-11-02', 120, 90), g('2025-11-03', 150, 150), g('2025-11-02', 50, 40, 'live'), g('2025-05-01', 99, 98)],
      '2025-11-03',
    );
    expect(ctx.leaguePointsPerTeamGame).toBe(105); // (110 + 100 + 120 + 90) / 4
    expect(ctx.teams.get('BOS')).toEqual({ games: 2, pointsFor: 230, pointsAgainst: 190 });
    expect(ctx.teams.get('NYK')).toEqual({ games: 2, pointsFor: 190, pointsAgainst: 230 });
  });

  it('the incremental form gives the same context', () => {
    const teams = new Map();
    addGameToTeams(teams, 'BOS', 'NYK', 110, 100);
    addGameToTeams(teams, 'BOS', 'NYK', 120, 90);
    const ctx = leagueContextFromTeams(teams);
    expect(ctx).toEqual(buildLeagueContext([g('2025-11-01', 110, 100), g('2025-11-02', 120, 90)], '2025-11-03'));
  });

  it('falls back to a typical league average before any finals', () => {
    const ctx = buildLeagueContext([], '2025-10-20');
    expect(ctx.leaguePointsPerTeamGame).toBe(DEFAULT_POINTS_PER_TEAM_GAME);
    expect(ctx.teams.size).toBe(0);
  });
});

describe('buildSlate uses the team step with the players expected to play', () => {
  it('expected by the pattern in the team\'s last 3 games (v3.3 chances); he counts in full in his own team step', async () => {
    const { freshDb } = await import('./helpers');
    const { upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } = await import('../../web/src/lib/db/league-repo');
    const { buildSlate } = await import('../../web/src/lib/app/slate');
    const db = await freshDb();
    upsertTeams(db, [{ id: 'BOS', city: 'Boston', name: 'Celtics', conference: 'East' }, { id: 'NYK', city: 'New York', name: 'Knicks', conference: 'East' }]);
    upsertPlayers(db, ['b1', 'b2', 'b3', 'b4'].map((id) => ({ id, name: id, teamId: 'BOS', position: 'G' })), 'sim');
    const dates = ['2025-11-01', '2025-11-03', '2025-11-05', '2025-11-07'];
    upsertGames(db, [
      ...dates.map((d, i) => ({ id: `g${i}`, date: d, tipoff: `${d}T23:30:00.000Z`, homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'final' as const, homeScore: 110, awayScore: 100 })),
      { id: 'today', date: '2025-11-09', tipoff: '2025-11-09T23:30:00.000Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'scheduled', homeScore: null, awayScore: null },
    ], 'sim');
    // b1, b2 play every game (111: 0.94); b3 only the oldest (out 3 in a row: 0.25); b4 the middle one of the last three (010: 0.38).
    const plays: Record<string, number[]> = { b1: [0, 1, 2, 3], b2: [0, 1, 2, 3], b3: [0], b4: [2] };
    upsertGameLogs(db, Object.entries(plays).flatMap(([pid, gs]) => gs.map((i) => log(dates[i], 15, { playerId: pid, gameId: `g${i}`, minutes: 30 }))));
    const slate = buildSlate(db, '2025-11-09', new Date('2025-11-09T12:00:00Z'), 'sim');
    const bos = new Map(slate.games[0].home.projections.map((p) => [p.playerId, p]));
    expect([...bos.keys()].sort()).toEqual(['b1', 'b2', 'b3', 'b4']); // everyone is still shown
    expect([...bos.values()].map((p) => [p.playerId, p.availability.chance])).toEqual(expect.arrayContaining([['b1', 0.94], ['b2', 0.94], ['b3', 0.25], ['b4', 0.38]]));
    // b1's own step: himself in full, the others at their chances.
    const own = (id: string) => bos.get(id)!.detail.team!.ownMinutes;
    expect(bos.get('b1')!.detail.team!.rosterMinutes).toBeCloseTo(own('b1') + 0.94 * own('b2') + 0.25 * own('b3') + 0.38 * own('b4'), 0);
    expect(bos.get('b3')!.detail.team!.rosterMinutes).toBeCloseTo(0.94 * own('b1') + 0.94 * own('b2') + own('b3') + 0.38 * own('b4'), 0);
    expect(bos.get('b1')!.detail.projectedMinutes).toBeGreaterThan(bos.get('b1')!.detail.team!.ownMinutes);
    expect(bos.get('b1')!.modelVersion).toBe('v3.3.0');
  });
});
