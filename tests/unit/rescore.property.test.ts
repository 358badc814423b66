// Applying a changeset rescores only the games its written rows belong to (db/changes.ts). Property: over
// random local and remote facts (games in any status, box-score lines played or not, predictions and game
// picks in any scoring state), a database that was fully scored before the apply needs nothing more from a
// full rescoring afterwards — the incremental result equals the full one — and every scored prediction agrees
// with its box-score line.
import fc from 'fast-check';
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyRows, changedRows, rescoreFromFacts, setNode, setWall } from '../../web/src/lib/db/changes';
import { upsertGameLogs, upsertGames } from '../../web/src/lib/db/league-repo';
import { saveGamePredictions, savePredictions } from '../../web/src/lib/db/predictions-repo';
import { TABLES } from '../../web/src/lib/db/tables';
import type { Game, GamePrediction, PlayerGameLog } from '../../web/src/lib/domain/types';
import { freshDb, loadSql, prediction } from './helpers';

const GAMES = ['g1', 'g2', 'g3', 'g4'];
const PLAYERS = ['p1', 'p2', 'p3'];

const facts = fc.record({
  games: fc.array(
    fc.record({
      game: fc.constantFrom(...GAMES),
      status: fc.constantFrom<Game['status']>('scheduled', 'live', 'final', 'postponed'),
      home: fc.option(fc.integer({ min: 80, max: 130 })),
      away: fc.option(fc.integer({ min: 80, max: 130 })),
    }),
    { maxLength: 4 },
  ),
  lines: fc.array(fc.record({ game: fc.constantFrom(...GAMES), player: fc.constantFrom(...PLAYERS), played: fc.boolean(), points: fc.integer({ min: 0, max: 50 }) }), { maxLength: 8 }),
  predictions: fc.array(fc.record({ game: fc.constantFrom(...GAMES), player: fc.constantFrom(...PLAYERS), points: fc.integer({ min: 5, max: 35 }), at: fc.integer({ min: 0, max: 5 }) }), { maxLength: 8 }),
  picks: fc.array(fc.record({ game: fc.constantFrom(...GAMES), prob: fc.double({ min: 0.1, max: 0.9, noNaN: true }) }), { maxLength: 4 }),
});
type Facts = typeof facts extends fc.Arbitrary<infer T> ? T : never;

function write(db: Database, f: Facts): void {
  upsertGames(
    db,
    f.games.map((g) => ({ id: g.game, date: '2026-11-20', tipoff: '2026-11-21T00:30:00Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status: g.status, homeScore: g.home, awayScore: g.away })),
    'simulated',
  );
  upsertGameLogs(
    db,
    f.lines.map(
      (l): PlayerGameLog => ({
        gameId: l.game, playerId: l.player, teamId: 'BOS', opponentId: 'NYK', date: '2026-11-20', home: true, played: l.played, starter: false,
        minutes: l.played ? 30 : 0, points: l.played ? l.points : 0, rebounds: 1, assists: 1, threesMade: 0, dnpReason: l.played ? null : 'DNP',
      }),
    ),
  );
  savePredictions(db, f.predictions.map((p) => prediction({ playerId: p.player, gameId: p.game, projectedPoints: p.points, updatedAt: 1_700_000_000_000 + p.at })));
  saveGamePredictions(
    db,
    f.picks.map(
      (p): GamePrediction => ({
        gameId: p.game, gameDate: '2026-11-20', predictionDate: '2026-11-20', homeTeamId: 'BOS', awayTeamId: 'NYK', homeWinProb: p.prob, projectedMargin: 1,
        modelVersion: 'v1.0.0', homeScore: null, awayScore: null, homeWon: null, updatedAt: 1_700_000_000_000, deviceId: 'device-a', deleted: false,
        marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null,
      }),
    ),
  );
}

let SQL: SqlJsStatic;
let template: Uint8Array;
beforeAll(async () => {
  SQL = await loadSql();
  const db = await freshDb(); // migrating once, cloning per run, keeps 150 runs fast
  template = db.export();
  db.close();
});

function db(node: string, wall: number): Database {
  const d = new SQL.Database(template);
  setNode(d, node);
  setWall(d, wall);
  return d;
}

const dump = (db: Database) => TABLES.map((t) => db.exec(`SELECT ${t.columns.join(', ')} FROM ${t.name} ORDER BY ${t.key.join(', ')}`)[0]?.values ?? []);

describe('incremental rescoring after an apply', { timeout: 120_000 }, () => {
  it('equals full rescoring over random facts', async () => {
    await fc.assert(
      fc.asyncProperty(facts, facts, async (localFacts, remoteFacts) => {
        const local = db('a', 1_700_000_000_000);
        const remote = db('b', 1_700_000_000_500);
        try {
          write(local, localFacts);
          rescoreFromFacts(local); // the state every write path leaves: scored
          write(remote, remoteFacts);
          rescoreFromFacts(remote);
          applyRows(local, changedRows(remote, 0).rows);
          const incremental = dump(local);
          expect(rescoreFromFacts(local)).toBe(false); // a full rescoring finds nothing left to do
          expect(dump(local)).toEqual(incremental);
          // and what is scored agrees with the box score
          const wrong = local.exec(
            `SELECT p.player_id FROM predictions p JOIN player_game_logs l ON l.game_id = p.game_id AND l.player_id = p.player_id
             JOIN games g ON g.id = p.game_id WHERE g.status = 'final' AND l.played = 1 AND (p.did_play IS NOT 1 OR p.actual_points IS NOT l.points)`,
          );
          expect(wrong).toEqual([]);
        } finally {
          local.close();
          remote.close();
        }
      }),
      {
        numRuns: 100,
        examples: [
          // A box-score correction (0 → 1 point) for a prediction already scored: found at merge, once missed.
          [
            { games: [{ game: 'g3', status: 'final', home: null, away: null }], lines: [{ game: 'g3', player: 'p2', played: true, points: 0 }], predictions: [{ game: 'g3', player: 'p2', points: 5, at: 0 }], picks: [] },
            { games: [], lines: [{ game: 'g3', player: 'p2', played: true, points: 1 }], predictions: [], picks: [] },
          ],
        ],
      },
    );
  });
});
