import { describe, expect, it } from 'vitest';
import { buildLeagueContext, MODEL_VERSION, projectPlayer, type LeagueContext, type ProjectionRequest } from '../../web/src/lib/engine/index';
import { DEFAULT_POINTS_PER_TEAM_GAME } from '../../web/src/lib/engine/league-context';
import type { Game, PlayerGameLog } from '../../web/src/lib/domain/types';

const EMPTY: LeagueContext = { leaguePointsPerTeamGame: 115, teams: new Map() };

function log(date: string, points: number, over: Partial<PlayerGameLog> = {}): PlayerGameLog {
  return {
    gameId: `g-${date}`, playerId: 'p1', teamId: 'BOS', opponentId: 'ATL', date, home: true, played: true,
    starter: true, minutes: 30, points, rebounds: 5, assists: 3, threesMade: 1, dnpReason: null, ...over,
  };
}

/** Five games this season, every other day: 10, 12, 14, 16, 18. */
const FIVE = [log('2025-11-01', 10), log('2025-11-03', 12), log('2025-11-05', 14), log('2025-11-07', 16), log('2025-11-09', 18)];

function req(history: PlayerGameLog[], over: Partial<ProjectionRequest> = {}): ProjectionRequest {
  return {
    playerId: 'p1', playerName: 'Test Player', teamId: 'BOS', opponentId: 'NYK', home: true,
    gameId: 'g-2025-11-11', gameDate: '2025-11-11', history, league: EMPTY, ...over,
  };
}

describe('projectPlayer: hand-computed cases', () => {
  it('blends season average and recent form, shrinks toward a typical player, adds home edge', () => {
    const p = projectPlayer(req(FIVE))!;
    // form = 0.65*14 + 0.2*14 (last 5) + 0.15*16 (last 3) = 14.3
    // base = (5*14.3 + 1*10.8) / 6 = 13.716667; home x1.01 = 13.853833
    expect(p.projectedPoints).toBe(13.9);
    expect(p.factors).toEqual({
      gamesPlayed: 5, seasonAvg: 14, last3Avg: 16, last5Avg: 14, vsOppAvg: null, vsOppGames: 0,
      oppDefFactor: 1, paceFactor: 1, home: true, restDays: 1,
    });
    // prior sd = 3.4 + 0.21*13.853833 = 6.309305; var = (40 + 5*6.309305²) / (4 + 5) = 26.559627
    // sd = 5.153603; z*sd = 6.604858 -> floor 7.248975, ceiling 20.458691
    expect(p.floor).toBe(7.2);
    expect(p.ceiling).toBe(20.5);
    // confidence = 5/13 * 1/(1 + 5.153603/13.853833) = 0.2803
    expect(p.confidence).toBe(0.28);
    expect(p.modelVersion).toBe(MODEL_VERSION);
    expect(MODEL_VERSION).toBe('v1.0.0');
  });

  it('uses last season as a prior worth 5 games; away and back-to-back lower the projection', () => {
    const prior = Array.from({ length: 10 }, (_, i) => log(`2025-03-${String(i + 10).padStart(2, '0')}`, i % 2 === 0 ? 10 : 20));
    const current = [log('2025-11-01', 20), log('2025-11-03', 30)];
    const p = projectPlayer(req([...prior, ...current], { home: false, gameDate: '2025-11-04' }))!;
    // form = season avg 25 (fewer than 3 games); base = (2*25 + 5*15) / 7 = 17.857143
    // away x0.99, back-to-back x0.97 -> 17.148214
    expect(p.projectedPoints).toBe(17.1);
    expect(p.factors.restDays).toBe(0);
    expect(p.factors.gamesPlayed).toBe(2);
    expect(p.factors.last3Avg).toBeNull();
  });

  it('applies opponent defence and pace, shrunk by games played', () => {
    const league: LeagueContext = {
      leaguePointsPerTeamGame: 115,
      teams: new Map([['NYK', { games: 10, pointsFor: 1265, pointsAgainst: 1200 }]]),
    };
    const p = projectPlayer(req(FIVE, { league }))!;
    // defence: 1 + (120/115 - 1) * 10/20 = 1.0217391; pace: 1 + (126.5/115 - 1) * 0.5 * 10/20 = 1.025
    // 13.716667 * 1.0217391 * 1.025 * 1.01 = 14.508878
    expect(p.factors.oppDefFactor).toBe(1.022);
    expect(p.factors.paceFactor).toBe(1.025);
    expect(p.projectedPoints).toBe(14.5);
  });

  it('uses the vs-opponent average only from two meetings', () => {
    const two = FIVE.map((r, i) => (i < 2 ? { ...r, opponentId: 'NYK' } : r));
    const p = projectPlayer(req(two))!;
    // vs NYK: 10, 12 -> 11; form = 0.9*14.3 + 0.1*11 = 13.97; base = (5*13.97 + 10.8)/6 = 13.441667; x1.01
    expect(p.factors.vsOppAvg).toBe(11);
    expect(p.factors.vsOppGames).toBe(2);
    expect(p.projectedPoints).toBe(13.6);
    const one = FIVE.map((r, i) => (i === 0 ? { ...r, opponentId: 'NYK' } : r));
    const q = projectPlayer(req(one))!;
    expect(q.factors.vsOppGames).toBe(1);
    expect(q.projectedPoints).toBe(13.9); // unchanged from the base case
  });

  it('counts a DNP as a team game for rest but not in averages', () => {
    const withDnp = [...FIVE, log('2025-11-10', 0, { played: false, minutes: 0, dnpReason: 'Injury' })];
    const p = projectPlayer(req(withDnp))!;
    expect(p.factors.restDays).toBe(0);
    expect(p.factors.gamesPlayed).toBe(5);
    // 13.716667 * 1.01 * 0.97 = 13.438170
    expect(p.projectedPoints).toBe(13.4);
  });
});

describe('projectPlayer: guards', () => {
  it('never looks at the game itself or later games (leakage)', () => {
    const base = projectPlayer(req(FIVE))!;
    for (const pts of [0, 25, 80]) {
      const own = log('2025-11-11', pts, { gameId: 'g-2025-11-11', opponentId: 'NYK' });
      const later = log('2025-11-13', pts * 2, { opponentId: 'NYK' });
      expect(projectPlayer(req([...FIVE, own, later]))).toEqual(base);
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
      [log('2025-11-01', 0), log('2025-11-03', 0), log('2025-11-05', 1)],
      [log('2025-11-01', 50), log('2025-11-03', 2), log('2025-11-05', 41), log('2025-11-07', 0)],
      Array.from({ length: 40 }, (_, i) => log(`2025-${i < 20 ? '11' : '12'}-${String((i % 20) + 1).padStart(2, '0')}`, 20 + (i % 7))),
    ];
    for (const history of cases) {
      const p = projectPlayer(req(history, { gameDate: '2026-01-05' }))!;
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
      Array.from({ length: 40 }, (_, i) => log(`2025-${i < 20 ? '11' : '12'}-${String((i % 20) + 1).padStart(2, '0')}`, (k + i) % 30, { playerId: `p${k}` })),
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

  it('falls back to a typical league average before any finals', () => {
    const ctx = buildLeagueContext([], '2025-10-20');
    expect(ctx.leaguePointsPerTeamGame).toBe(DEFAULT_POINTS_PER_TEAM_GAME);
    expect(ctx.teams.size).toBe(0);
  });
});
