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
  type LeagueContext,
  type ProjectionParams,
  type ProjectionRequest,
} from '../../web/src/lib/engine/index';
import { addGameToTeams, DEFAULT_POINTS_PER_TEAM_GAME, leagueContextFromTeams } from '../../web/src/lib/engine/league-context';
import type { Game, PlayerGameLog } from '../../web/src/lib/domain/types';

const EMPTY: LeagueContext = { leaguePointsPerTeamGame: 115, teams: new Map() };

function log(date: string, points: number, over: Partial<PlayerGameLog> = {}): PlayerGameLog {
  return {
    gameId: `g-${date}`, playerId: 'p1', teamId: 'BOS', opponentId: 'ATL', date, home: true, played: true,
    starter: true, minutes: 30, points, rebounds: 5, assists: 3, threesMade: 1, dnpReason: null, ...over,
  };
}
const dnp = (date: string) => log(date, 0, { played: false, minutes: 0, dnpReason: 'Injury' });

/** Five games this season, every other day: 10, 12, 14, 16, 18 points in 30 minutes each. */
const FIVE = [log('2025-11-01', 10), log('2025-11-03', 12), log('2025-11-05', 14), log('2025-11-07', 16), log('2025-11-09', 18)];

/** Parameters that switch off every fallback and adjustment, so each factor can be checked alone. */
const PLAIN: ProjectionParams = {
  ...PROJECTION_PARAMS,
  minutesDecay: 0.5, minutesSlowWeight: 0, rateDecay: 0.5, priorSeasonScale: 0.5,
  typicalMinutesGames: 0, typicalRateMinutes: 0, minutesPull: 0, ratePull: 0, dnpMinutesPenalty: 0,
  returnMinutesFactor: 1, defenceWeight: 1, paceWeight: 0.5, teamShrinkGames: 10, calibration: 1,
  homeFactor: 1, awayFactor: 1, backToBackFactor: 1, vsOppWeight: 0,
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
    // Minutes: fast average (decay 0.6): weights 1, .6, .36, .216, .1296 (sum 2.3056) over 30 each, plus
    // 14 min worth 0.05 games -> (69.168 + 0.7) / 2.3556 = 29.660384; slow (decay 1): (150 + 0.7) / 5.05
    // = 29.841584; blend 0.65 / 0.35 -> 29.723804. No DNP streak.
    // Rate (decay 0.95, newest first 18, 16, 14, 12, 10): points 64.268563 + 0.36 * 20 over minutes
    // 135.731437 + 20 -> 0.458922. Projection 29.723804 * 0.458922 = 13.640904 (home x1, no adjustments).
    expect(p.projectedPoints).toBe(13.6);
    expect(p.detail.projectedMinutes).toBe(29.7);
    expect(p.detail.pointsPerMinute).toBe(0.459);
    expect(p.factors).toEqual({
      gamesPlayed: 5, seasonAvg: 14, last3Avg: 16, last5Avg: 14, vsOppAvg: null, vsOppGames: 0,
      oppDefFactor: 1, paceFactor: 1, home: true, restDays: 1,
    });
    // Spread: prior sd = 3.4 + 0.21 * 13.640904 = 6.264590; var = (40 + 5 * 6.264590²) / (4 + 5) = 26.247269;
    // sd = 5.123209; ±1.2816 sd -> 7.075, 20.207.
    expect(p.floor).toBe(7.1);
    expect(p.ceiling).toBe(20.2);
    // confidence = 5/13 * 1 / (1 + 5.123209 / 13.640904) = 0.2796
    expect(p.confidence).toBe(0.28);
    expect(p.modelVersion).toBe(MODEL_VERSION);
    expect(MODEL_VERSION).toBe('v2.0.0');
  });

  it('away games carry the away factor (0.98), home games none', () => {
    const home = projectPlayer(req(FIVE))!;
    const away = projectPlayer(req(FIVE, { home: false }))!;
    expect(away.detail.homeFactor).toBe(0.98);
    expect(away.projectedPoints).toBe(13.4); // 13.640904 * 0.98 = 13.368086
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

  it('projects a 10-game slate of 260 players well under 50 ms', () => {
    const histories = Array.from({ length: 260 }, (_, k) =>
      Array.from({ length: 120 }, (_, i) =>
        log(`${i < 60 ? '2024-12' : '2025-11'}-${String((i % 30) + 1).padStart(2, '0')}`, (k + i) % 30, { playerId: `p${k}`, played: i % 9 !== 0 }),
      ),
    );
    const run = () => histories.map((h, k) => projectPlayer(req(h, { playerId: `p${k}`, gameDate: '2026-01-05' })));
    run(); // warm-up (JIT)
    const t0 = performance.now();
    const out = run();
    const ms = performance.now() - t0;
    expect(out.every((p) => p !== null)).toBe(true);
    expect(ms).toBeLessThan(50);
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
