// Sync uploads the rows whose `_v` (the local change counter when they last changed) is above the counter value it
// last uploaded through (sync state's uploadedThrough, kept next to the database, outside it). So the counter must
// never go back below a value sync may have seen: when the store swaps in another copy of the database (a save
// undone, a base another tab stored), rows changed afterwards would get values already counted as uploaded.
import 'fake-indexeddb/auto';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, expect, it } from 'vitest';
import { localVersion } from '../../web/src/lib/db/changes';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import { loadSql, MemoryPersistence, storedPlayers, logPlayers } from './helpers';
import { MemoryChain } from './memory-chain';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});

async function device(chain: MemoryChain, name: string, persistence = new MemoryPersistence()) {
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const { store } = await DatabaseStore.open({ SQL, persistence, node: name, now: () => time.now, channelName: `lv-${name}-${Math.random()}` });
  const state = memorySyncState();
  return { store, sync: () => syncRound({ chain: chain.client(), store, SQL, state, now: () => time.now, build: { stepMs: 0 } }) };
}

const players = storedPlayers;
const save = (id: string) => logPlayers(id);

/** A write of `id` whose journal append first runs a sync round of `d` (sync reads the live database), then fails. */
async function writeRefusedAfterSync(d: { store: DatabaseStore; sync: () => Promise<unknown> }, persistence: MemoryPersistence, id: string) {
  const append = persistence.append.bind(persistence);
  let syncedDuringSave = false;
  persistence.append = async (...args: Parameters<MemoryPersistence['append']>) => {
    if (!syncedDuringSave) {
      syncedDuringSave = true;
      await d.sync();
      throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    }
    return append(...args);
  };
  await expect(d.store.write(save(id))).rejects.toThrow(/out of storage/);
  expect(syncedDuringSave).toBe(true);
}

it('a write whose save failed after sync had read it does not make the next write look uploaded', async () => {
  const chain = new MemoryChain();
  const persistenceA = new MemoryPersistence();
  const a = await device(chain, 'device-a', persistenceA);
  const b = await device(chain, 'device-b');
  await a.store.write(save('a-1'));
  await a.sync();
  await b.sync();
  // A sync round runs while a write is being saved (sync reads the live database), and then the save fails.
  await writeRefusedAfterSync(a, persistenceA, 'a-unsaved');
  expect(players(a.store)).toEqual(['a-1']);
  // The next write is saved, and reaches the other device.
  await a.store.write(save('a-2'));
  await a.sync();
  await b.sync();
  expect(players(b.store)).toContain('a-2');
});

it('a base swapped in from storage with a lower counter and clock (its entries set aside) goes on above this tab’s', async () => {
  const name = 'lv-swapped-base';
  // Every write in the same millisecond: the clock's counter orders them.
  const now = () => Date.parse('2026-12-01T12:00:00Z');
  const { store } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), now, channelName: `lv-${Math.random()}` });
  await store.write(save('first'));
  // An older copy of the database: the base as it was before the next writes.
  const older = store.exportBytes();
  for (let i = 0; i < 5; i++) await store.write(save(`w-${i}`));
  const reached = store.read(localVersion);
  const stampedBefore = store.read((db) => String(db.exec('SELECT MAX(hlc) FROM predictions')[0].values[0][0]));
  // A tab of an older build stores that copy as a new base (its own id, at a generation not above this tab's),
  // and this tab's entries after the old base cannot be read (so they are kept aside, not merged).
  const request = indexedDB.open(name);
  const idb = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
  const tx = idb.transaction('kv', 'readwrite');
  const kv = tx.objectStore('kv');
  const entryKeys = await new Promise<IDBValidKey[]>((resolve) => {
    const r = kv.getAllKeys(IDBKeyRange.bound(['entries'], ['entries', []]));
    r.onsuccess = () => resolve(r.result);
  });
  expect(entryKeys.length).toBeGreaterThan(0);
  kv.put({ generation: (entryKeys[0] as [string, string, number])[2], bytes: new Uint8Array([1, 2, 3]) }, entryKeys[0]);
  kv.put({ format: 2, generation: 2, savedAt: 0, bytes: older, baseId: 'older-build-base' }, 'database');
  kv.put('older-build-base', 'database-base-id');
  kv.put(2, 'database-generation');
  await new Promise((resolve) => (tx.oncomplete = resolve));
  idb.close();

  const notices: string[] = [];
  store.onNotice((notice) => notices.push(notice.message));
  await store.write(save('after'));
  expect(players(store)).toEqual(['after', 'first']);
  // The change after the swap has a counter value above every one handed out before it.
  const v = store.read((db) => Number(db.exec("SELECT _v FROM predictions WHERE player_id = 'after'")[0].values[0][0]));
  expect(v).toBeGreaterThan(reached);
  // And a clock value after every one this tab stamped (sync orders versions of a row by it).
  const stamped = store.read((db) => String(db.exec("SELECT hlc FROM predictions WHERE player_id = 'after'")[0].values[0][0]));
  expect(stamped > stampedBefore).toBe(true);
  // And the tab says its entries were kept aside (a running tab's notice).
  expect(notices).toEqual([expect.stringMatching(/kept aside/)]);
  store.close();
});

it('a tab opening on a stored copy whose counter is below what sync uploaded through still uploads its changes', async () => {
  const chain = new MemoryChain();
  const persistence = new MemoryPersistence();
  const state = memorySyncState();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const tabOn = async () => {
    const { store } = await DatabaseStore.open({ SQL, persistence, node: 'device-a', now: () => time.now, channelName: `lv-${Math.random()}` });
    return { store, sync: () => syncRound({ chain: chain.client(), store, SQL, state, now: () => time.now, build: { stepMs: 0 } }) };
  };
  const a = await tabOn();
  await a.store.write(save('first'));
  const older = a.store.exportBytes();
  for (let i = 0; i < 5; i++) await a.store.write(save(`w-${i}`));
  await a.sync();
  a.store.close();
  // What a tab of an older build left stored: an older copy of the same database (its counter lower), stored over
  // this build's base and entries. The device's sync state (outside the database) still says what was uploaded.
  persistence.record = { format: 2, generation: 2, savedAt: 0, bytes: older, baseId: 'older-build-base' };
  persistence.journal = [];
  persistence.generationValue = 2;
  const reopened = await tabOn();
  await reopened.store.write(save('after'));
  await reopened.sync();
  const b = await device(chain, 'device-b');
  await b.sync();
  expect(players(b.store)).toContain('after');
  reopened.store.close();
});

it('sync running while a write is being saved does not upload it: a save that then fails leaves it on no device', async () => {
  const chain = new MemoryChain();
  const persistenceA = new MemoryPersistence();
  const a = await device(chain, 'device-a', persistenceA);
  const b = await device(chain, 'device-b');
  await a.store.write(save('a-1'));
  await a.sync();
  await writeRefusedAfterSync(a, persistenceA, 'a-unsaved');
  await b.sync();
  // The write A reported as not saved is on neither device, and both hold the same rows.
  expect(players(a.store)).toEqual(['a-1']);
  expect(players(b.store)).toEqual(['a-1']);
  // A write in flight while sync runs, saved this time, goes up with the next round.
  await a.store.write(save('a-2'));
  await a.sync();
  await b.sync();
  expect(players(b.store)).toEqual(['a-1', 'a-2']);
});
