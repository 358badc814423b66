// A change counter (`sync_meta.local_version`, each row's `_v`) that sync has counted as uploaded must be one the
// stored copy has reached: a failed save, another tab of this build, a reopened tab or an older build's base never
// make later rows look uploaded; and a row a failing write was changing while a round ran is still uploaded.
// Real stores over fake IndexedDB, real sql.js, the real sync round over the in-memory chain.
import 'fake-indexeddb/auto';
import type { Database, SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { localVersion } from '../../web/src/lib/db/changes';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import { loadSql, MemoryPersistence, prediction, storedPlayers, logPlayers } from './helpers';
import { MemoryChain } from './memory-chain';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});
type Store = DatabaseStore;
const open: Store[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));

const players = storedPlayers;

async function setup() {
  const name = `r1-two-tabs-${Math.random()}`;
  const channelName = `r1-ch-${Math.random()}`;
  const chain = new MemoryChain();
  const state = memorySyncState(); // the device's one sync state (IndexedDB 'sync-state' in the app)
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const persistenceA = idbPersistence(name);
  const { store: a } = await DatabaseStore.open({ SQL, persistence: persistenceA, node: 'device-a', now: () => time.now, channelName });
  open.push(a);
  const { store: b } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), node: 'device-a', now: () => time.now, channelName });
  open.push(b);
  const sync = (store: Store) => syncRound({ chain: chain.client(), store, SQL, state, now: () => time.now, build: { stepMs: 0 } });
  /** A's next append fails once (a transient IndexedDB error, or quota). */
  const failNextAppend = () => {
    const append = persistenceA.append.bind(persistenceA);
    let failed = false;
    persistenceA.append = async (...args) => {
      if (!failed) {
        failed = true;
        throw new Error('UnknownError: internal IndexedDB error');
      }
      return append(...args);
    };
  };
  const otherDevice = async () => {
    const { store: c } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: 'device-c', now: () => time.now, channelName: `c-${Math.random()}` });
    open.push(c);
    await syncRound({ chain: chain.client(), store: c, SQL, state: memorySyncState(), now: () => time.now, build: { stepMs: 0 } });
    return players(c);
  };
  return { a, b, sync, failNextAppend, otherDevice };
}

it('a failed save in tab A, then a round in A, then a write in tab B: B’s rows reach the other device', async () => {
  const { a, b, sync, failNextAppend, otherDevice } = await setup();
  await a.write(logPlayers('a-1'));
  await expect.poll(() => players(b)).toContain('a-1');
  failNextAppend();
  await expect(a.write(logPlayers('x1', 'x2', 'x3', 'x4', 'x5'))).rejects.toThrow();
  await sync(a); // a-1 is pending: the round uploads it
  await b.write(logPlayers('b1', 'b2', 'b3', 'b4', 'b5'));
  await expect.poll(() => players(a)).toContain('b5');
  await sync(b);
  await sync(a);
  const seen = await otherDevice();
  expect(seen).toEqual(expect.arrayContaining(['a-1', 'b1', 'b2', 'b3', 'b4', 'b5']));
});

it('a failed save in A, a round, then B’s smaller write replayed in A: A’s next rows still reach the other device', async () => {
  const { a, b, sync, failNextAppend, otherDevice } = await setup();
  await a.write(logPlayers('a-1'));
  await expect.poll(() => players(b)).toContain('a-1');
  failNextAppend();
  await expect(a.write(logPlayers('x1', 'x2', 'x3', 'x4', 'x5'))).rejects.toThrow();
  await sync(a);
  await b.write(logPlayers('b1')); // replayed in A over the BroadcastChannel: its sync_meta row too
  await expect.poll(() => players(a)).toContain('b1');
  await a.write(logPlayers('a-2', 'a-3', 'a-4', 'a-5', 'a-6'));
  await sync(a);
  const seen = await otherDevice();
  expect(seen).toEqual(expect.arrayContaining(['a-1', 'b1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6']));
});

it('a lower-counter base from an older build over A’s entries: A stores the merged base with its counter, and a new tab B continues it', async () => {
  const name = `r1-old-base-${Math.random()}`;
  const channelName = `r1-ch-${Math.random()}`;
  const chain = new MemoryChain();
  const state = memorySyncState();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const { store: a } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), node: 'device-a', now: () => time.now, channelName });
  open.push(a);
  const sync = (store: Store) => syncRound({ chain: chain.client(), store, SQL, state, now: () => time.now, build: { stepMs: 0 } });
  await a.write(logPlayers('first'));
  const older = a.exportBytes(); // what an older build's tab holds
  await sync(a);
  await a.write(logPlayers('a1', 'a2', 'a3', 'a4', 'a5')); // stored and pending
  // The older build's tab stores its copy as a new base at a generation above A's (a write too big for its journal),
  // with its own row 'old-row', and tells the other tabs in its own message shape.
  const request = indexedDB.open(name);
  const idb = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
  const oldDb = new SQL.Database(older);
  savePredictions(oldDb, [prediction({ playerId: 'old-row' })]);
  const tx = idb.transaction('kv', 'readwrite');
  tx.objectStore('kv').put({ format: 2, generation: 10, savedAt: 0, bytes: oldDb.export(), baseId: 'older-build-base' }, 'database');
  tx.objectStore('kv').put('older-build-base', 'database-base-id');
  tx.objectStore('kv').put(10, 'database-generation');
  await new Promise((resolve) => (tx.oncomplete = resolve));
  idb.close();
  const stored = localVersion(oldDb);
  oldDb.close();
  const aBefore = a.read(localVersion);
  // The premise: the older build's copy has a lower counter than A reached.
  expect(stored).toBeLessThan(aBefore);
  const legacy = new BroadcastChannel(channelName);
  legacy.postMessage({ generation: 10 });
  await expect.poll(() => players(a)).toContain('old-row');
  expect(a.read(localVersion)).toBeGreaterThanOrEqual(aBefore);
  legacy.close();
  // A syncs.
  await sync(a);
  // A new tab of this build opens on what is stored (counter `stored`), and its start round runs.
  const { store: b } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), node: 'device-a', now: () => time.now, channelName });
  open.push(b);
  await sync(b); // the round a tab runs at start
  await b.write(logPlayers('b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'));
  await sync(b);
  const { store: c } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: 'device-c', now: () => time.now, channelName: `c-${Math.random()}` });
  open.push(c);
  await syncRound({ chain: chain.client(), store: c, SQL, state: memorySyncState(), now: () => time.now, build: { stepMs: 0 } });
  expect(players(c)).toEqual(expect.arrayContaining(['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8']));
});

it('one tab: a failed save, a round, the tab closes; reopened, it writes before its first round: those rows reach the other device', async () => {
  const name = `r1-reopen-${Math.random()}`;
  const chain = new MemoryChain();
  const state = memorySyncState();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const persistenceA = idbPersistence(name);
  const { store: a } = await DatabaseStore.open({ SQL, persistence: persistenceA, node: 'device-a', now: () => time.now, channelName: `r1-${Math.random()}` });
  const sync = (store: Store) => syncRound({ chain: chain.client(), store, SQL, state, now: () => time.now, build: { stepMs: 0 } });
  await a.write(logPlayers('a-1'));
  persistenceA.append = async () => {
    throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
  };
  await expect(a.write(logPlayers('x1', 'x2', 'x3', 'x4', 'x5', 'x6'))).rejects.toThrow(/out of storage/);
  await sync(a); // a-1 goes up
  a.close(); // the user frees space and reloads the page
  const { store: again } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), node: 'device-a', now: () => time.now, channelName: `r1-${Math.random()}` });
  open.push(again);
  // Writes land before the first round of the reopened tab (offline at start, or the start-up refresh writing first).
  await again.write(logPlayers('r1', 'r2', 'r3', 'r4', 'r5', 'r6'));
  await sync(again);
  const { store: c } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: 'device-c', now: () => time.now, channelName: `c-${Math.random()}` });
  open.push(c);
  await syncRound({ chain: chain.client(), store: c, SQL, state: memorySyncState(), now: () => time.now, build: { stepMs: 0 } });
  expect(players(c)).toEqual(['a-1', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
});

it('a pending row that a failing write changes while a round runs still reaches the other device', async () => {
  const chain = new MemoryChain();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const persistenceA = new MemoryPersistence();
  const { store: a } = await DatabaseStore.open({ SQL, persistence: persistenceA, node: 'device-a', now: () => time.now, channelName: `r1-${Math.random()}` });
  const stateA = memorySyncState();
  const syncA = () => syncRound({ chain: chain.client(), store: a, SQL, state: stateA, now: () => time.now, build: { stepMs: 0 } });
  const { store: b } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: 'device-b', now: () => time.now, channelName: `r1-${Math.random()}` });
  const syncB = () => syncRound({ chain: chain.client(), store: b, SQL, state: memorySyncState(), now: () => time.now, build: { stepMs: 0 } });

  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'first' })]));
  await syncA();
  // Two predictions logged and stored, not uploaded yet.
  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'p1', projectedPoints: 20 })]));
  await a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'p2' })]));
  // A re-projection of p1 is being saved while a sync round runs, and its save fails.
  const append = persistenceA.append.bind(persistenceA);
  let synced = false;
  persistenceA.append = async (...args: Parameters<MemoryPersistence['append']>) => {
    if (!synced) {
      synced = true;
      await syncA();
      throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    }
    return append(...args);
  };
  await expect(a.write((db: Database) => savePredictions(db, [prediction({ playerId: 'p1', projectedPoints: 25 })]))).rejects.toThrow(/out of storage/);
  await syncA();
  await syncB();
  const onB = b.read((db) => (db.exec("SELECT player_id, projected_points FROM predictions ORDER BY player_id")[0]?.values ?? []));
  expect(onB).toEqual([['first', 20], ['p1', 20], ['p2', 20]]);
});
