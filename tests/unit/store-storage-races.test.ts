// The store over real IndexedDB (fake-indexeddb) when storage holds something a tab cannot continue: unreadable
// data two tabs find at once, a generation counter that disagrees with the stored base and entries, storage
// cleared under a running tab. Nothing a tab reported saved may drop out of the live database.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { idbPersistence, type LoadResult, type Persistence } from '../../web/src/lib/db/persistence';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { loadSql, storedPlayers, logPlayers, openIdb } from './helpers';

const open: DatabaseStore[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));

async function tab(persistence: Persistence, initialLoad?: Promise<LoadResult>) {
  const result = await DatabaseStore.open({ SQL: await loadSql(), persistence, initialLoad, channelName: `c-${Math.random()}` });
  open.push(result.store);
  return result;
}

const players = storedPlayers;
const save = (id: string) => logPlayers(id);

const idb = openIdb;
async function keys(name: string): Promise<IDBValidKey[]> {
  const db = await idb(name);
  const read = db.transaction('kv').objectStore('kv').getAllKeys();
  const all = await new Promise<IDBValidKey[]>((resolve) => (read.onsuccess = () => resolve(read.result)));
  db.close();
  return all;
}
const quarantined = async (name: string) => (await keys(name)).filter((k) => typeof k === 'string' && k.startsWith('quarantine-'));
async function put(name: string, key: IDBValidKey, stored: unknown): Promise<void> {
  const db = await idb(name);
  const tx = db.transaction('kv', 'readwrite');
  tx.objectStore('kv').put(stored, key);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}
async function clear(name: string): Promise<void> {
  const db = await idb(name);
  const tx = db.transaction('kv', 'readwrite');
  tx.objectStore('kv').clear();
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

describe('unreadable stored data found by two tabs at once', () => {
  it('opening: the second tab to set it aside does not overwrite the first tab’s new base and its writes', async () => {
    const name = 'race-open';
    await idbPersistence(name).head(); // creates the object store
    await put(name, 'database', { something: 'else' });
    // Tab 2 read the unreadable data, then tab 1 opened on it, set it aside, started a new database and wrote.
    const persistence2 = idbPersistence(name);
    const read2 = await persistence2.load();
    expect(read2.kind).toBe('foreign');
    const { store: tab1, notices: notices1 } = await tab(idbPersistence(name));
    expect(notices1[0].message).toMatch(/kept aside/);
    await tab1.write(save('tab1-row'));
    // Tab 2 goes on from what it read.
    const { store: tab2, notices: notices2 } = await tab(persistence2, Promise.resolve(read2));
    expect(tab2.mode).toBe('persistent');
    expect(notices2).toEqual([]);
    expect(players(tab2)).toEqual(['tab1-row']);
    await tab2.write(save('tab2-row'));
    const { store: fresh } = await tab(idbPersistence(name));
    expect(players(fresh)).toEqual(['tab1-row', 'tab2-row']);
    // The unreadable data was kept once, by the tab that replaced it.
    expect(await quarantined(name)).toHaveLength(1);
  });

  it('writing: a tab that found unreadable data does not overwrite what another tab stored over it meanwhile', async () => {
    const name = 'race-write';
    const persistenceB = idbPersistence(name);
    const { store: a } = await tab(idbPersistence(name));
    await a.write(save('a-before'));
    const { store: b } = await tab(persistenceB);
    expect(players(b)).toEqual(['a-before']);
    // Another writer (not a tab of this app) stores something unreadable, and moves the head.
    await put(name, 'database', { something: 'else' });
    await put(name, 'database-generation', 99);
    // B's write reads storage (unreadable); before it goes on, A writes twice over the unreadable data.
    const told: string[] = [];
    a.onNotice((notice) => told.push(notice.message));
    b.onNotice((notice) => told.push(notice.message));
    const load = persistenceB.load.bind(persistenceB);
    let raced = false;
    persistenceB.load = async () => {
      const result = await load();
      if (!raced) {
        raced = true;
        await a.write(save('a-1'));
        await a.write(save('a-2'));
      }
      return result;
    };
    await b.write(save('b-1'));
    expect(raced).toBe(true);
    const { store: fresh } = await tab(idbPersistence(name));
    expect(players(fresh)).toEqual(['a-1', 'a-2', 'a-before', 'b-1']);
    expect(await quarantined(name)).toHaveLength(1);
    // The running tab that kept it aside says so (once: the other found A's base, not the unreadable data).
    expect(told).toEqual([expect.stringMatching(/kept aside \(as "quarantine-/)]);
  });
});

describe('storage that disagrees with itself, or is cleared, under a running tab', () => {
  it('a stored generation counter that is not the base’s plus its entries does not block writes', async () => {
    const name = 'generation-mismatch';
    const { store } = await tab(idbPersistence(name));
    await store.write(save('before'));
    await put(name, 'database-generation', 41);
    await store.write(save('after-1'));
    await store.write(save('after-2'));
    const { store: fresh, notices } = await tab(idbPersistence(name));
    expect(notices).toEqual([]);
    expect(players(fresh)).toEqual(['after-1', 'after-2', 'before']);
    // And a tab that opened on the mismatch writes too.
    const { store: other } = await tab(idbPersistence(name));
    await put(name, 'database-generation', 7);
    const { store: late } = await tab(idbPersistence(name));
    await late.write(save('late'));
    await other.write(save('other'));
    const { store: last } = await tab(idbPersistence(name));
    expect(players(last)).toEqual(['after-1', 'after-2', 'before', 'late', 'other']);
  });

  it('storage cleared under a running tab: its next write stores its whole database again', async () => {
    const name = 'cleared';
    const { store } = await tab(idbPersistence(name));
    await store.write(save('before'));
    await clear(name);
    await store.write(save('after'));
    const { store: fresh, notices } = await tab(idbPersistence(name));
    expect(notices).toEqual([]);
    expect(players(fresh)).toEqual(['after', 'before']);
  });
});
