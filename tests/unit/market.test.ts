// The market beside the engine (vig removal, margin), reports mapped onto stored players, and the slate with a
// report: out players get no projection, their team-mates take the minutes, status and market are logged.
import { describe, expect, it } from 'vitest';
import { engineVsMarket, impliedProbability, marketView, noVigHomeWinProb } from '../../web/src/lib/market';
import type { GamePrediction, PlayerGameLog } from '../../web/src/lib/domain/types';
import { freshDb } from './helpers';

describe('market', () => {
  it('implied probabilities and the vig removed, by hand', () => {
    expect(impliedProbability(-250)).toBeCloseTo(250 / 350, 12); // 0.714286
    expect(impliedProbability(205)).toBeCloseTo(100 / 305, 12); // 0.327869 (sum 1.042155: the vig)
    expect(noVigHomeWinProb(-250, 205)).toBeCloseTo(0.714286 / 1.042155, 5); // 0.685394
    expect(noVigHomeWinProb(-110, -110)).toBeCloseTo(0.5, 12);
    expect(marketView({ provider: 'X', homeSpread: -6.5, overUnder: 228.5, homeMoneyline: null, awayMoneyline: null }))
      .toEqual({ homeWinProb: null, homeMargin: 6.5, homeSpread: -6.5, total: 228.5, provider: 'X' });
  });
  it('engine vs market on the same finished games', () => {
    const g = (homeWinProb: number, market: number | null, homeWon: boolean | null): GamePrediction => ({
      gameId: `g${Math.random()}`, gameDate: '2026-11-01', predictionDate: '2026-11-01', homeTeamId: 'BOS', awayTeamId: 'NYK',
      homeWinProb, projectedMargin: 0, modelVersion: 'v3', homeScore: null, awayScore: null, homeWon, updatedAt: 1, deviceId: 'd', deleted: false,
      marketHomeWinProb: market, marketHomeMargin: null, marketSpread: null, marketTotal: null,
    });
    const r = engineVsMarket([g(0.6, 0.7, true), g(0.6, 0.4, false), g(0.5, null, true), g(0.9, 0.9, null)]);
    expect(r.n).toBe(2);
    expect(r.engine.accuracy).toBe(0.5); // 0.6 won, 0.6 lost
    expect(r.market.accuracy).toBe(1);
    expect(r.engine.brier).toBeCloseTo((0.16 + 0.36) / 2, 12);
    expect(r.market.brier).toBeCloseTo((0.09 + 0.16) / 2, 12);
  });
});

describe('slate with a report', () => {
  const log = (gameId: string, date: string, playerId: string, minutes: number, points: number): PlayerGameLog => ({
    gameId, playerId, teamId: 'BOS', opponentId: 'NYK', date, home: true, played: true, starter: false, minutes, points,
    rebounds: 0, assists: 0, threesMade: 0, dnpReason: null,
  });
  async function setUp() {
    const db = await freshDb();
    const { upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } = await import('../../web/src/lib/db/league-repo');
    upsertTeams(db, [{ id: 'BOS', city: 'Boston', name: 'Celtics', conference: 'East' }, { id: 'NYK', city: 'New York', name: 'Knicks', conference: 'East' }]);
    const regulars = ['b2', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'];
    upsertPlayers(db, [['star', 'Star Player'], ['b3', 'Bench Three'], ...regulars.map((id) => [id, id === 'b2' ? 'Bench Two' : `Regular ${id}`])].map(([id, name]) => ({ id, name, teamId: 'BOS', position: 'G' })), 'nba');
    const dates = ['2025-11-01', '2025-11-03', '2025-11-05'];
    upsertGames(db, [
      ...dates.map((d, i) => ({ id: `g${i}`, date: d, tipoff: `${d}T23:30:00.000Z`, homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'final' as const, homeScore: 110, awayScore: 100 })),
      { id: 'today', date: '2025-11-09', tipoff: '2025-11-09T23:30:00.000Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'scheduled', homeScore: null, awayScore: null },
    ], 'nba');
    // 36 + 7 × 28 + 16 = 248 minutes of regulars: more than a team plays, until the star sits
    upsertGameLogs(db, dates.flatMap((d, i) => [log(`g${i}`, d, 'star', 36, 28), ...regulars.map((id) => log(`g${i}`, d, id, 28, 10)), log(`g${i}`, d, 'b3', 16, 6)]));
    return db;
  }

  it('an out player gets no projection and his minutes go to the team-mates; statuses and the market are logged', async () => {
    const db = await setUp();
    const { buildSlate, predictionsToLog } = await import('../../web/src/lib/app/slate');
    const { slateReportsOf } = await import('../../web/src/lib/app/ingest');
    const now = new Date('2025-11-09T12:00:00Z');
    const base = buildSlate(db, '2025-11-09', now, 'nba');
    const reports = slateReportsOf(db, {
      availability: [
        { playerId: 'espn-77', name: 'Star Player', teamId: 'BOS', status: 'out' }, // matched by team and name
        { playerId: 'b3', name: 'Bench Three', teamId: 'BOS', status: 'questionable' },
        { playerId: 'espn-99', name: 'Nobody Stored', teamId: 'BOS', status: 'out' }, // dropped: no such player
      ],
      market: [{ gameId: 'today', homeTeamId: 'BOS', awayTeamId: 'NYK', provider: 'Book', homeSpread: -6.5, overUnder: 228.5, homeMoneyline: -250, awayMoneyline: 205, source: 'scoreboard' }],
      errors: [],
    }, 'nba');
    expect([...reports.availability!]).toEqual([['star', 'out'], ['b3', 'questionable']]);
    const slate = buildSlate(db, '2025-11-09', now, 'nba', reports);
    const home = slate.games[0].home;
    expect(home.projections.map((p) => p.playerId).sort()).toEqual(['b2', 'b3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(home.out).toEqual([{ playerId: 'star', playerName: 'Star Player', status: 'out' }]);
    const before = new Map(base.games[0].home.projections.map((p) => [p.playerId, p]));
    const b2 = home.projections.find((p) => p.playerId === 'b2')!;
    expect(b2.detail.projectedMinutes).toBeGreaterThan(before.get('b2')!.detail.projectedMinutes); // the star's minutes
    expect(b2.availability).toEqual({ status: null, source: 'recent', chance: 0.94 }); // played all of the last 3 (engine v3.3's PATTERN_CHANCE)
    expect(home.projections.find((p) => p.playerId === 'b3')!.availability.status).toBe('questionable');
    // the game model knows the star is out: the home side is weaker than without the report
    expect(slate.games[0].forecast.homeWinProb).toBeLessThan(base.games[0].forecast.homeWinProb);
    expect(slate.games[0].forecast.lineupAdjustment).toBeLessThan(0);
    expect(slate.games[0].market).toMatchObject({ homeMargin: 6.5, total: 228.5 });

    const logged = predictionsToLog(slate, { today: '2025-11-09', now: now.getTime(), deviceId: 'd' });
    expect(logged.players.find((p) => p.playerId === 'b3')!.availabilityStatus).toBe('questionable');
    expect(logged.players.some((p) => p.playerId === 'star')).toBe(false);
    expect(logged.games[0]).toMatchObject({ marketHomeMargin: 6.5, marketSpread: -6.5, marketTotal: 228.5 });
    expect(logged.games[0].marketHomeWinProb).toBeCloseTo(noVigHomeWinProb(-250, 205), 12);
    expect(logged.games[0].homeWinProb).toBe(slate.games[0].forecast.homeWinProb); // the engine's own, never blended

    const { saveGamePredictions, savePredictions, listGamePredictions, getPrediction } = await import('../../web/src/lib/db/predictions-repo');
    savePredictions(db, logged.players);
    saveGamePredictions(db, logged.games);
    expect(getPrediction(db, 'b3', '2025-11-09')!.availabilityStatus).toBe('questionable');
    expect(listGamePredictions(db)[0]).toMatchObject({ marketSpread: -6.5, marketTotal: 228.5 });
  });

  it('the slate read model carries the report: status per row (table column too), out players, the market', async () => {
    const db = await setUp();
    const { slateView } = await import('../../web/src/lib/app/read-models');
    const { slateTableRows } = await import('../../web/src/lib/app/read-models/slate-table');
    const { slateReportsOf } = await import('../../web/src/lib/app/ingest');
    const now = new Date('2025-11-09T12:00:00Z');
    const reports = slateReportsOf(db, {
      availability: [
        { playerId: 'star', name: 'Star Player', teamId: 'BOS', status: 'out' },
        { playerId: 'b3', name: 'Bench Three', teamId: 'BOS', status: 'questionable' },
        { playerId: 'b2', name: 'Bench Two', teamId: 'BOS', status: 'probable' },
      ],
      market: [{ gameId: 'today', homeTeamId: 'BOS', awayTeamId: 'NYK', provider: 'Book', homeSpread: -6.5, overUnder: 228.5, homeMoneyline: -250, awayMoneyline: 205, source: 'scoreboard' }],
      errors: [],
    }, 'nba');
    const input = { date: '2025-11-09', today: '2025-11-09', now, sourceId: 'nba', generation: 1 };
    const without = slateView(db, input);
    expect(without.players.every((r) => r.availability === null)).toBe(true);
    expect(without.games[0].market).toBeNull();
    expect(without.games[0].home.out).toEqual([]);

    const view = slateView(db, { ...input, reports });
    const game = view.games[0];
    expect(game.home.out).toEqual([{ playerId: 'star', playerName: 'Star Player', status: 'out' }]);
    expect(view.players.some((r) => r.playerId === 'star')).toBe(false);
    const status = new Map(view.players.map((r) => [r.playerId, r.availability]));
    expect(status.get('b3')).toBe('questionable');
    expect(status.get('b2')).toBe('probable');
    expect(status.get('r4')).toBeNull(); // not on the report: guessed from recent games, no status shown
    expect(game.market).toMatchObject({ homeMargin: 6.5, homeSpread: -6.5, total: 228.5, provider: 'Book' });
    // the table sorts by how likely he plays: questionable before probable, players without a status last
    const sorted = slateTableRows(view.players, { sort: { id: 'availability', desc: false }, search: '', team: 'BOS', game: '' });
    expect(sorted.slice(0, 2).map((r) => r.playerId)).toEqual(['b3', 'b2']);
    expect(sorted.at(-1)!.availability).toBeNull();
  });
});
