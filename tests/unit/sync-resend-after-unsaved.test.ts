// A commit reported damaged is sent again by the clock (markForResend: every row stamped after the commit's
// hlcBefore). So a round records as its clock the one of what is stored (a write being saved has stamped rows the
// build leaves out), and a round that keeps its mark (a write it may have left out is still being saved, or undone)
// keeps its clock too: every row of the next commit is stamped after that commit's hlcBefore.
import 'fake-indexeddb/auto';
import type { Database, SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { loadSql, MemoryPersistence, prediction } from './helpers';
import { MemoryChain } from './memory-chain';
import { holdNextAppend, syncDevice } from './sync-device';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});
const open: DatabaseStore[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));
const players = (store: DatabaseStore) => store.read((db) => (db.exec('SELECT player_id, projected_points FROM predictions ORDER BY player_id')[0]?.values ?? []).map((r) => `${r[0]}:${r[1]}`));

it('a row left out by a round (its write undone after) and then in a commit reported damaged is resent', async () => {
  const chain = new MemoryChain();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const tick = () => (time.now += 1000); // a real, moving wall clock
  const persistence = idbPersistence(`r2-resend-${Math.random()}`);
  const { store: a, sync: syncA } = await syncDevice({ SQL, chain, time, node: 'device-a', persistence: persistence, opened: open });
  const { store: c, sync: syncC } = await syncDevice({ SQL, chain, time, node: 'device-c', persistence: new MemoryPersistence(), opened: open });

  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'first' })]));
  await syncA();
  await syncC(); // both on the chain
  tick();
  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'r', projectedPoints: 20 })])); // stored
  tick();
  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'x' })])); // stored: round N sends it
  tick();
  // W changes r and is being saved; its save then fails.
  const held = holdNextAppend(persistence);
  const w = a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'r', projectedPoints: 99 })]));
  await expect.poll(() => a.savePoint().saving !== null).toBe(true);
  tick();
  await syncA(); // round N: r left out (its row is W's, past `through`); mark kept (a write is being saved)
  held.settle(new Error('UnknownError: internal IndexedDB error'));
  await expect(w).rejects.toThrow();
  tick();
  await syncA(); // round N+1: r:20 goes up here, its hlcBefore = round N's build clock (after r was stamped)
  const seq = chain.head();
  const stored = chain.generations.get(seq)!;
  chain.generations.set(seq, { ...stored, bytes: new TextEncoder().encode('not a changeset') });
  tick();
  await syncC(); // C cannot read it and says so
  for (let i = 0; i < 3; i++) {
    tick();
    await syncA();
    tick();
    await syncC();
  }
  const seen = players(c);
  expect(seen).toContain('r:20');
});

it('no failure at all: a write being saved while a round builds, stored after; its rows in the next commit, reported damaged, are resent', async () => {
  const chain = new MemoryChain();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const tick = () => (time.now += 1000); // a real, moving wall clock
  const persistence = idbPersistence(`r2-resend-${Math.random()}`);
  const { store: a, sync: syncA } = await syncDevice({ SQL, chain, time, node: 'device-a', persistence: persistence, opened: open });
  const { store: c, sync: syncC } = await syncDevice({ SQL, chain, time, node: 'device-c', persistence: new MemoryPersistence(), opened: open });

  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'first' })]));
  await syncA();
  await syncC(); // both on the chain
  tick();
  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'r', projectedPoints: 20 })])); // stored
  tick();
  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'x' })])); // stored: round N sends it
  tick();
  // W changes r and is being saved; its save then goes on and is stored.
  const held = holdNextAppend(persistence);
  const w = a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'r', projectedPoints: 99 })]));
  await expect.poll(() => a.savePoint().saving !== null).toBe(true);
  tick();
  await syncA(); // round N: r left out (its row is W's, past `through`); mark kept (a write is being saved)
  held.settle();
  await w; // stored
  tick();
  await syncA(); // round N+1: r:20 goes up here, its hlcBefore = round N's build clock (after r was stamped)
  const seq = chain.head();
  const stored = chain.generations.get(seq)!;
  chain.generations.set(seq, { ...stored, bytes: new TextEncoder().encode('not a changeset') });
  tick();
  await syncC(); // C cannot read it and says so
  for (let i = 0; i < 3; i++) {
    tick();
    await syncA();
    tick();
    await syncC();
  }
  const seen = players(c);
  expect(seen).toContain('r:99');
});
