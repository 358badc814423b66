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

/**
 * Device A stores r:20, then W (r:99) is being saved while round N builds (r left out: its row is W's, past
 * `through`; the mark is kept). W's save then fails (`saveFails`) or is stored. Round N+1 sends r, its hlcBefore being
 * round N's build clock; that commit rots and C reports it damaged. Returns what C ends up with.
 */
async function resendAfterHeldWrite(saveFails: boolean): Promise<string[]> {
  const chain = new MemoryChain();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const tick = () => (time.now += 1000); // a real, moving wall clock
  const persistence = idbPersistence(`r2-resend-${Math.random()}`);
  const { store: a, sync: syncA } = await syncDevice({ SQL, chain, time, node: 'device-a', persistence, opened: open });
  const { store: c, sync: syncC } = await syncDevice({ SQL, chain, time, node: 'device-c', persistence: new MemoryPersistence(), opened: open });
  const log = (playerId: string, projectedPoints?: number) => (db: Database) => savePredictions(db, [prediction({ playerId, ...(projectedPoints === undefined ? {} : { projectedPoints }) })]);

  await a.write(log('first'));
  await syncA();
  await syncC(); // both on the chain
  tick();
  await a.write(log('r', 20)); // stored
  tick();
  await a.write(log('x')); // stored: round N sends it
  tick();
  const held = holdNextAppend(persistence);
  const w = a.write(log('r', 99));
  await expect.poll(() => a.savePoint().saving !== null).toBe(true);
  tick();
  await syncA(); // round N
  if (saveFails) {
    held.settle(new Error('UnknownError: internal IndexedDB error'));
    await expect(w).rejects.toThrow();
  } else {
    held.settle();
    await w; // stored
  }
  tick();
  await syncA(); // round N+1
  chain.rotHead();
  tick();
  await syncC(); // C cannot read it and says so
  for (let i = 0; i < 3; i++) {
    tick();
    await syncA();
    tick();
    await syncC();
  }
  return players(c);
}

it('a row left out by a round (its write undone after) and then in a commit reported damaged is resent', async () => {
  expect(await resendAfterHeldWrite(true)).toContain('r:20');
});

it('no failure at all: a write being saved while a round builds, stored after; its rows in the next commit, reported damaged, are resent', async () => {
  expect(await resendAfterHeldWrite(false)).toContain('r:99');
});
