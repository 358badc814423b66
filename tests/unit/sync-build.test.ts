// A sync round builds its changeset in steps (issue 10: a first sync uploads the whole database without one long
// task): pages of rows by the local change counter, streamed into gzip JSON. The steps must give exactly what one
// synchronous read gave, and a write landing between two steps must stay pending, never be marked uploaded.
import fc from 'fast-check';
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { changedPage, changedRows, type PageCursor } from '../../web/src/lib/db/changes';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { migrate } from '../../web/src/lib/db/schema';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { TABLE, TABLES } from '../../web/src/lib/db/tables';
import { ChangesetEncoder, CHANGESET_FORMAT, CHANGESET_VERSION, decodeChangeset, encodeChangeset } from '../../web/src/lib/sync/changeset';
import { gunzip } from '../../web/src/lib/sync/gzip';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import { SCHEMA_VERSION } from '../../web/src/lib/db/schema';
import { loadSql, MemoryPersistence, prediction } from './helpers';
import { MemoryChain } from './memory-chain';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});

const text = async (packed: Uint8Array) => new TextDecoder().decode(await gunzip(packed));

describe('ChangesetEncoder', () => {
  it('writes, piece by piece, the bytes of one JSON.stringify of the changeset', async () => {
    const rows = (n: number, width: number) => Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, c) => (c === 0 ? `k${i}` : c % 3 === 0 ? null : c % 2 ? i * 1.5 : `v"${i}\n`)));
    const teams = rows(3, TABLE.teams.columns.length);
    const predictions = rows(7, TABLE.predictions.columns.length);
    const head = { db: 'db1', node: 'n1', damaged: [4], damagedSnapshots: [2] };
    const encoder = new ChangesetEncoder(head);
    encoder.add('teams', teams.slice(0, 1));
    await encoder.flush();
    encoder.add('teams', []);
    encoder.add('teams', teams.slice(1));
    for (let i = 0; i < predictions.length; i += 3) {
      encoder.add('predictions', predictions.slice(i, i + 3));
      if (i % 2) await encoder.flush();
    }
    const whole = JSON.stringify({
      format: CHANGESET_FORMAT, version: CHANGESET_VERSION, schema: SCHEMA_VERSION, ...head,
      tables: { teams: { columns: TABLE.teams.columns, rows: teams }, predictions: { columns: TABLE.predictions.columns, rows: predictions } },
    });
    const packed = await encoder.finish();
    expect(await text(packed)).toBe(whole);
    expect((await decodeChangeset(packed)).tables).toEqual({ teams, predictions });
    // No rows at all, no damagedSnapshots: the same as before too.
    expect(await text(await encodeChangeset({ db: 'd', node: 'n', damaged: [], tables: {} }))).toBe(
      JSON.stringify({ format: CHANGESET_FORMAT, version: CHANGESET_VERSION, schema: SCHEMA_VERSION, db: 'd', node: 'n', damaged: [], tables: {} }),
    );
  });

  it('refuses tables out of TABLES order (their rows would not be one entry each)', async () => {
    const encoder = new ChangesetEncoder({ db: 'd', node: 'n', damaged: [] });
    const later = TABLES[TABLES.length - 1];
    encoder.add(later.name, [later.columns.map(() => null)]);
    expect(() => encoder.add(TABLES[0].name, [TABLES[0].columns.map(() => null)])).toThrow(/out of order/);
    encoder.abort();
  });
});

describe('changedPage', () => {
  /** Predictions written one by one (each its own _v), some rows then reset to the same _v (as a migration leaves them). */
  function database(keys: number, sameV: number[]): Database {
    const db = new SQL.Database();
    migrate(db);
    for (let i = 0; i < keys; i++) savePredictions(db, [prediction({ playerId: `p${i}`, projectedPoints: i })]);
    for (const i of sameV) db.run(`UPDATE predictions SET _v = 1 WHERE player_id = 'p${i % Math.max(keys, 1)}'`);
    return db;
  }

  it('pages through exactly the rows changedRows reads, for every page size and starting point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25 }), fc.array(fc.nat(), { maxLength: 10 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 30 }), (keys, sameV, limit, since) => {
        const db = database(keys, sameV);
        try {
          const t = TABLE.predictions;
          const through = Number(db.exec('SELECT local_version FROM sync_meta')[0].values[0][0]);
          const paged: unknown[][] = [];
          let cursor: PageCursor | null = null;
          let pages = 0;
          do {
            const page: ReturnType<typeof changedPage> = changedPage(db, t, since, through, cursor, limit);
            expect(page.rows.length).toBeLessThanOrEqual(limit);
            paged.push(...page.rows);
            cursor = page.next;
            pages++;
          } while (cursor && pages < 100);
          const expected = changedRows(db, since).rows.predictions ?? [];
          const byKey = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
          expect(byKey(paged)).toEqual(byKey(expected));
          expect(paged.length).toBe(expected.length);
        } finally {
          db.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 30_000);
});

describe('a changeset built in steps', () => {
  it('sends a row read before a write as it was read, leaves the write pending, and the next round sends it', async () => {
    const chain = new MemoryChain();
    const open = async (name: string) => (await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: name, channelName: `build-${name}-${Math.random()}` })).store;
    const a = await open('a');
    const b = await open('b');
    const state = { a: memorySyncState(), b: memorySyncState() };
    const sync = (store: DatabaseStore, s: ReturnType<typeof memorySyncState>, build: { rowsPerStep?: number; pause?: () => Promise<void> } = {}) =>
      syncRound({ chain: chain.client(), store, SQL, state: s, now: Date.now, build: { pageRows: build.rowsPerStep, stepMs: 0, pause: build.pause } });
    for (const [i, key] of ['p1', 'p2', 'p3'].entries()) await a.write((db) => savePredictions(db, [prediction({ playerId: key, projectedPoints: 10 + i })]));
    const points = (store: DatabaseStore) =>
      Object.fromEntries(store.read((db) => db.exec('SELECT player_id, projected_points FROM predictions ORDER BY player_id')[0]?.values ?? []));

    // One row per step; after the first step (p1 read), p1 (already read) and p3 (not yet) are edited.
    let pauses = 0;
    const first = await sync(a, state.a, {
      rowsPerStep: 1,
      pause: async () => {
        if (pauses++ === 0) await a.write((db) => savePredictions(db, [prediction({ playerId: 'p1', projectedPoints: 31 }), prediction({ playerId: 'p3', projectedPoints: 33 })]));
      },
    });
    expect(pauses).toBeGreaterThan(0);
    expect(first.rowsUp).toBe(2); // p1 as read, p2; p3 changed before its page and is left for the next round
    await sync(b, state.b);
    expect(points(b)).toEqual({ p1: 10, p2: 11 });

    const second = await sync(a, state.a);
    expect(second.rowsUp).toBe(2);
    await sync(b, state.b);
    expect(points(b)).toEqual({ p1: 31, p2: 11, p3: 33 });
    expect(points(a)).toEqual(points(b));
    expect(await sync(a, state.a)).toMatchObject({ pushed: false, rowsUp: 0 });
  });
});
