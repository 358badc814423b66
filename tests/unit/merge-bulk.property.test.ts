// The set-based full merge (ATTACH + one statement per step, db/changes.ts applyAttached) against the
// row-by-row rule (applyRows of every remote row) over random local and remote histories: the same tables,
// the same pending marks (_v), the same report. Histories share keys, with edits stamped on either side,
// identical copies, pending and uploaded local rows, every game status, and facts written on both sides.
import fc from 'fast-check';
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRows, applyRows, setNode, setWall } from '../../web/src/lib/db/changes';
import { markSourceDay, upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from '../../web/src/lib/db/league-repo';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { TABLES } from '../../web/src/lib/db/tables';
import type { Game } from '../../web/src/lib/domain/types';
import { mergeDatabase } from '../../web/src/lib/sync/merge';
import { freshDb, loadSql, prediction } from './helpers';

let SQL: SqlJsStatic;
let template: Uint8Array;
beforeAll(async () => {
  SQL = await loadSql();
  const db = await freshDb();
  template = db.export();
  db.close();
});

const GAMES = ['g1', 'g2', 'g3'];
const PLAYERS = ['p1', 'p2', 'p3'];
const STATUSES: Game['status'][] = ['scheduled', 'live', 'final', 'postponed'];

const write = fc.oneof(
  fc.record({ kind: fc.constant('game' as const), id: fc.constantFrom(...GAMES), status: fc.constantFrom(...STATUSES), home: fc.option(fc.integer({ min: 90, max: 92 })) }),
  fc.record({ kind: fc.constant('line' as const), game: fc.constantFrom(...GAMES), player: fc.constantFrom(...PLAYERS), points: fc.integer({ min: 0, max: 2 }), played: fc.boolean() }),
  fc.record({ kind: fc.constant('player' as const), id: fc.constantFrom(...PLAYERS), team: fc.constantFrom('BOS', 'NYK') }),
  fc.record({ kind: fc.constant('team' as const), city: fc.constantFrom('Boston', 'Bastion') }),
  fc.record({ kind: fc.constant('day' as const), day: fc.integer({ min: 1, max: 2 }), complete: fc.boolean() }),
  fc.record({ kind: fc.constant('prediction' as const), game: fc.constantFrom(...GAMES), player: fc.constantFrom(...PLAYERS), points: fc.integer({ min: 10, max: 12 }) }),
);
type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;
const side = fc.array(fc.record({ w: write, tick: fc.integer({ min: 0, max: 3 }) }), { maxLength: 12 });

function apply(db: Database, w: Write, wall: number): void {
  setWall(db, wall);
  switch (w.kind) {
    case 'game':
      return upsertGames(db, [{ id: w.id, date: '2026-11-20', tipoff: '2026-11-21T00:30:00Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status: w.status, homeScore: w.home, awayScore: w.home === null ? null : 88 }], 'nba');
    case 'line':
      return upsertGameLogs(db, [{ gameId: w.game, playerId: w.player, teamId: 'BOS', opponentId: 'NYK', date: '2026-11-20', home: true, played: w.played, starter: false, minutes: w.played ? 20 : 0, points: w.played ? w.points : 0, rebounds: 1, assists: 1, threesMade: 0, dnpReason: w.played ? null : 'DNP' }]);
    case 'player':
      return upsertPlayers(db, [{ id: w.id, name: `Player ${w.id}`, teamId: w.team, position: 'G' }], 'nba');
    case 'team':
      return upsertTeams(db, [{ id: 'BOS', city: w.city, name: 'Celtics', conference: 'East' }]);
    case 'day':
      return markSourceDay(db, 'nba', `2026-11-0${w.day}`, w.complete, 1_700_000_000_000);
    case 'prediction':
      savePredictions(db, [prediction({ playerId: w.player, gameId: w.game, projectedPoints: w.points })]);
      return;
  }
}

function build(node: string, shared: { w: Write; tick: number }[], own: { w: Write; tick: number }[]): Database {
  const db = new SQL.Database(template);
  setNode(db, node);
  // shared history arrives with the same stamps on both sides (as if synced), then each side diverges
  let wall = 1_700_000_000_000;
  for (const s of shared) apply(db, s.w, (wall += 1000 * (s.tick + 1)));
  for (const s of own) apply(db, s.w, (wall += 1000 * (s.tick + 1)));
  return db;
}

const dump = (db: Database) => TABLES.map((t) => db.exec(`SELECT ${t.columns.join(', ')}, _v FROM ${t.name} ORDER BY ${t.key.join(', ')}`)[0]?.values ?? []);

describe('set-based full merge', { timeout: 120_000 }, () => {
  it('gives the same database, pending marks and report as the row-by-row rule', async () => {
    await fc.assert(
      fc.asyncProperty(side, side, side, fc.option(fc.integer({ min: 0, max: 40 })), fc.boolean(), (shared, mine, theirs, pendingAbove, sameNode) => {
        const local = build('a', shared, mine);
        const remote = build(sameNode ? 'a' : 'b', shared, theirs);
        const rowByRow = new SQL.Database(local.export());
        try {
          const options = pendingAbove === null ? {} : { pendingAbove };
          const bulk = mergeDatabase(local, remote, options).apply;
          const slow = applyRows(rowByRow, allRows(remote), options);
          expect(dump(local)).toEqual(dump(rowByRow));
          expect(bulk).toEqual(slow);
          expect(local.exec("SELECT name FROM pragma_database_list WHERE name <> 'main'")).toEqual([]); // detached
        } finally {
          for (const db of [local, remote, rowByRow]) db.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
