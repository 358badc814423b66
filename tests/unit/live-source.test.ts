// The app's reading of the worker's /v1/nba answers goes through the shared wire schemas (sources/live/wire.ts):
// unknown keys are dropped, bounds and invariants hold, and a bad answer is an error that stores nothing.
import { describe, expect, it } from 'vitest';
import { createLiveSource, LiveSourceError } from '../../web/src/lib/sources/live';
import { WIRE_LIMITS } from '../../web/src/lib/sources/live/wire';

const DATE = '2024-01-10';
const game = { id: '0022300500', date: DATE, tipoff: '2024-01-11T00:30:00Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'final', homeScore: 110, awayScore: 101 };
const player = { id: '1628369', name: 'Jayson Tatum', teamId: 'BOS', position: 'F' };
const log = { gameId: game.id, playerId: player.id, teamId: 'BOS', opponentId: 'NYK', date: DATE, home: true, played: true, starter: true, minutes: 36, points: 30, rebounds: 8, assists: 5, threesMade: 3, dnpReason: null };
const line = { gameId: game.id, homeTeamId: 'BOS', awayTeamId: 'NYK', provider: 'Book', homeSpread: -6.5, overUnder: 228.5, homeMoneyline: -250, awayMoneyline: 205, source: 'scoreboard' };

/** A live source whose worker answers each path with the given JSON body. */
function sourceAnswering(bodies: Record<string, unknown>) {
  const fetchImpl = (async (input: URL | RequestInfo) => {
    const path = new URL(String(input)).pathname.replace(/^\//, '');
    return path in bodies ? Response.json(bodies[path]) : new Response('{}', { status: 404 });
  }) as typeof fetch;
  return createLiveSource(() => ({ workerUrl: 'https://worker.test', token: 't' }), fetchImpl);
}

describe('live source: the worker answers are read through the wire schemas', () => {
  it('a good day answer is returned with unknown keys dropped', async () => {
    const source = sourceAnswering({ [`v1/nba/day/${DATE}`]: { date: DATE, source: 'nba-cdn', fetchedAt: 'x', games: [{ ...game, extra: 1 }], players: [player], logs: [{ ...log, secret: 's' }] } });
    const day = await source.day(DATE, new Date());
    expect(day.games).toEqual([game]);
    expect(day.logs).toEqual([log]);
  });

  it.each([
    ['more box-score lines than the bound', { logs: Array.from({ length: WIRE_LIMITS.logs + 1 }, () => log) }],
    ['a final game without a score', { games: [{ ...game, homeScore: null }] }],
    ['a DNP line with points', { logs: [{ ...log, played: false, dnpReason: 'Rest' }] }],
    ['an answer for another date', { date: '2024-01-11' }],
  ])('%s is refused as a whole: nothing is returned to store', async (_what, patch) => {
    const source = sourceAnswering({ [`v1/nba/day/${DATE}`]: { date: DATE, games: [game], players: [player], logs: [log], ...patch } });
    await expect(source.day(DATE, new Date())).rejects.toThrow(LiveSourceError);
  });

  it('reports: a bad odds answer leaves the market out and says why; injuries still arrive', async () => {
    const injury = { playerId: player.id, name: player.name, teamId: 'BOS', gameId: game.id, status: 'out', detail: null, source: 'nba-cdn' };
    const source = sourceAnswering({
      [`v1/nba/injuries/${DATE}`]: { date: DATE, players: [injury] },
      [`v1/nba/odds/${DATE}`]: { date: DATE, games: [{ ...line, homeMoneyline: 50 }] },
    });
    const reports = await source.reports!(DATE);
    expect(reports.availability).toEqual([injury]);
    expect(reports.market).toEqual([]);
    expect(reports.errors).toEqual([`v1/nba/odds/${DATE}: unexpected shape`]);
  });
});
