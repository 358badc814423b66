// A tab still running an older build, open while this build writes (two tabs across "Update", or a rollback).
// The older builds' own code runs here, exactly as it shipped: its web/src/lib as archived from git at the commit
// (tests/previous-builds.ts; stop 13, before the plain and split journal entries; and stop 14, the last build
// without a storage-format marker) and imported next to this build's, both over one IndexedDB (fake-indexeddb) and one BroadcastChannel.
// Nothing this build's tab reported saved may drop out of the live database, and nothing may be set aside.
import 'fake-indexeddb/auto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idbPersistence, STORAGE_FORMAT } from '../../web/src/lib/db/persistence';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { DatabaseStore, WriteRefusedError } from '../../web/src/lib/db/store';
import { freshDb, loadSql, prediction } from './helpers';
import { extractPreviousBuild, PREVIOUS_BUILDS, type PreviousBuild } from '../previous-builds';


type OldStoreModule = { DatabaseStore: { open(options: object): Promise<{ store: OldStore; notices: { message: string }[] }> } };
interface OldStore {
  write<T>(fn: (db: import('sql.js').Database) => T): Promise<T>;
  read<T>(fn: (db: import('sql.js').Database) => T): T;
  subscribe(fn: (origin: string) => void): () => void;
  replaceWith<T>(bytes: Uint8Array, check: (db: import('sql.js').Database) => T): Promise<{ result: T; generation: number }>;
  close(): void;
  mode: string;
}
interface OldBuild {
  DatabaseStore: OldStoreModule['DatabaseStore'];
  idbPersistence: (name: string) => unknown;
  savePredictions: typeof savePredictions;
}

/** The older build's web/src/lib, extracted under .tmp/ (inside the repo, so its imports resolve here). */
async function oldBuild(commit: PreviousBuild): Promise<OldBuild> {
  const dir = extractPreviousBuild(commit, 'old-builds', 'web/src/lib/db/store.ts');
  const load = (path: string) => import(/* @vite-ignore */ pathToFileURL(join(dir, 'web/src/lib', path)).href);
  const [store, persistence, repo] = await Promise.all([load('db/store.ts'), load('db/persistence.ts'), load('db/predictions-repo.ts')]);
  return { DatabaseStore: store.DatabaseStore, idbPersistence: persistence.idbPersistence, savePredictions: repo.savePredictions };
}

const builds = new Map<string, OldBuild>();
beforeAll(async () => {
  for (const commit of Object.values(PREVIOUS_BUILDS)) builds.set(commit, await oldBuild(commit));
}, 60_000);

const open: { close(): void }[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));

async function newTab(name: string, channelName: string, journalLimits?: { maxEntries?: number; minBytes?: number; shareOfBase?: number }) {
  const result = await DatabaseStore.open({ SQL: await loadSql(), persistence: idbPersistence(name), channelName, journalLimits });
  open.push(result.store);
  return result;
}
async function oldTab(build: OldBuild, name: string, channelName: string) {
  const result = await build.DatabaseStore.open({ SQL: await loadSql(), persistence: build.idbPersistence(name), channelName });
  open.push(result.store);
  return result;
}

const players = (store: { read<T>(fn: (db: import('sql.js').Database) => T): T }) =>
  store.read((db) => (db.exec('SELECT player_id FROM predictions ORDER BY player_id')[0]?.values ?? []).flat().map(String));

/** Every key in the database's object store: a quarantine copy would show up as "quarantine-…". */
async function keys(name: string): Promise<IDBValidKey[]> {
  const request = indexedDB.open(name);
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const read = idb.transaction('kv').objectStore('kv').getAllKeys();
  const all = await new Promise<IDBValidKey[]>((resolve) => (read.onsuccess = () => resolve(read.result)));
  idb.close();
  return all;
}
const quarantined = async (name: string) => (await keys(name)).filter((k) => typeof k === 'string' && k.startsWith('quarantine-'));

async function value(name: string, key: IDBValidKey): Promise<unknown> {
  const request = indexedDB.open(name);
  const idb = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
  const read = idb.transaction('kv').objectStore('kv').get(key);
  const result = await new Promise<unknown>((resolve) => (read.onsuccess = () => resolve(read.result)));
  idb.close();
  return result;
}

/** Lets the channel deliver what was posted (and the other tab act on it) before the test looks. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

for (const [label, commit] of Object.entries(PREVIOUS_BUILDS)) {
  describe(`a tab of the ${label} build (${commit}) open next to this build`, () => {
    const build = () => builds.get(commit)!;
    const save = (id: string) => (db: import('sql.js').Database) => build().savePredictions(db, [prediction({ playerId: id })]);
    const saveNew = (id: string) => (db: import('sql.js').Database) => savePredictions(db, [prediction({ playerId: id })]);

    it("never sets this build's writes aside: its own write is refused, and this build's stay live", async () => {
      const name = `old-${commit}-writes`;
      const channel = `c-${Math.random()}`;
      // The older tab was open first and wrote; then the app updated in another tab.
      const { store: old } = await oldTab(build(), name, channel);
      await old.write(save('old-1'));
      const { store: tab, notices } = await newTab(name, channel);
      expect(notices).toEqual([]);
      expect(players(tab)).toEqual(['old-1']);
      // A logged slate is split into parts; a small write is one entry: both kinds of this build's entries.
      const slate = Array.from({ length: 300 }, (_, i) => prediction({ playerId: `new-slate-${String(i).padStart(3, '0')}`, playerName: `Player ${i}` }));
      await tab.write((db) => savePredictions(db, slate));
      await tab.write(saveNew('new-1'));
      await settle();
      // The older tab tries to write on top of what it has: refused (it cannot follow), nothing written.
      await expect(old.write(save('old-2'))).rejects.toThrow(/changed since this tab read it/);
      await settle();
      expect(await quarantined(name)).toEqual([]);
      const live = [...slate.map((p) => p.playerId), 'new-1', 'old-1'].sort();
      expect(players(tab)).toEqual(live);
      // This build's tab writes on, and a fresh tab of this build sees all of it.
      await tab.write(saveNew('new-2'));
      const { store: reopened, notices: reopenNotices } = await newTab(name, `c-${Math.random()}`);
      expect(reopenNotices).toEqual([]);
      expect(players(reopened)).toEqual([...live, 'new-2'].sort());
    });

    it('after this build stores a new base, the older tab catches up from it and its writes reach this build', async () => {
      const name = `old-${commit}-base`;
      const channel = `c-${Math.random()}`;
      const { store: old } = await oldTab(build(), name, channel);
      await old.write(save('old-1'));
      // Every write of this tab stores a new base (as a compaction does), so the last thing stored is a base.
      const { store: tab } = await newTab(name, channel, { maxEntries: 0 });
      await tab.write(saveNew('new-1'));
      await tab.write(saveNew('new-2'));
      await settle();
      // The older tab reads the new base (a format it knows) and appends its entry after it.
      await old.write(save('old-2'));
      expect(players(old)).toEqual(['new-1', 'new-2', 'old-1', 'old-2']);
      await settle();
      expect(players(tab)).toEqual(['new-1', 'new-2', 'old-1', 'old-2']);
      await tab.write(saveNew('new-3'));
      expect(await quarantined(name)).toEqual([]);
      const { store: reopened } = await newTab(name, `c-${Math.random()}`);
      expect(players(reopened)).toEqual(['new-1', 'new-2', 'new-3', 'old-1', 'old-2']);
    });

    it("adopting a sync snapshot (its copy looked empty), it replaces the base: this build's write is kept aside and explained, not lost", async () => {
      const name = `old-${commit}-adopt`;
      const channel = `c-${Math.random()}`;
      // Both tabs start on an empty database; this build's tab writes; the older one never sees it.
      const { store: old } = await oldTab(build(), name, channel);
      const { store: tab } = await newTab(name, channel);
      await tab.write(saveNew('new-1'));
      await settle();
      // The older tab's first sync finds its copy empty and adopts the server's snapshot as it is (sync/round.ts).
      const snapshot = await freshDb();
      savePredictions(snapshot, [prediction({ playerId: 'from-sync' })]);
      await old.replaceWith(snapshot.export(), () => 0);
      snapshot.close();
      const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
      expect(players(reopened)).toEqual(['from-sync']);
      expect(notices.map((n) => n.message)).toEqual([expect.stringMatching(/replaced by an older version of NBA Daily open in another tab\. They were kept aside .*nothing was deleted/)]);
      const kept = await quarantined(name);
      expect(kept).toHaveLength(1);
      const record = (await value(name, kept[0])) as { raw: { orphanEntries: { value: { bytes: Uint8Array } }[] } };
      const text = record.raw.orphanEntries.map((e) => new TextDecoder().decode(e.value.bytes)).join('');
      expect(text).toContain('"new-1"');
      // Said once: the next open finds nothing left over, and writes go on.
      await reopened.write(saveNew('new-2'));
      const { notices: again } = await newTab(name, `c-${Math.random()}`);
      expect(again).toEqual([]);
      expect(await quarantined(name)).toEqual(kept);
    });

    it('opened on data this build wrote (a rollback), it shows what it can read and sets nothing aside', async () => {
      const name = `old-${commit}-rollback`;
      const { store: tab } = await newTab(name, `c-${Math.random()}`);
      await tab.write(saveNew('new-1'));
      await tab.write(saveNew('new-2'));
      tab.close();
      open.splice(open.indexOf(tab), 1);
      const { store: old, notices } = await oldTab(build(), name, `c-${Math.random()}`);
      expect(notices).toEqual([]);
      await expect(old.write(save('old-1'))).rejects.toThrow(/changed since this tab read it/);
      expect(await quarantined(name)).toEqual([]);
      const { store: reopened } = await newTab(name, `c-${Math.random()}`);
      expect(players(reopened)).toEqual(['new-1', 'new-2']);
    });
  });
}

describe('data of a newer storage format than this build knows', () => {
  /** What a newer build does first: it raises the stored format number. */
  async function markNewer(name: string) {
    const request = indexedDB.open(name);
    const idb = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const tx = idb.transaction('kv', 'readwrite');
    tx.objectStore('kv').put(STORAGE_FORMAT + 1, 'storage-format');
    await new Promise((resolve) => (tx.oncomplete = resolve));
    idb.close();
  }

  it('opens read-only and says so, and leaves every stored key as it was', async () => {
    const name = 'newer-open';
    const { store } = await newTab(name, `c-${Math.random()}`);
    await store.write((db) => savePredictions(db, [prediction({ playerId: 'a' })]));
    await markNewer(name);
    const before = await keys(name);
    const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
    expect(reopened.mode).toBe('read-only');
    expect(notices[0]?.message).toMatch(/newer version of NBA Daily \(storage format 4; this version reads up to 3\)/);
    await expect(reopened.write((db) => savePredictions(db, [prediction({ playerId: 'b' })]))).rejects.toThrow(WriteRefusedError);
    expect(await keys(name)).toEqual(before);
  });

  it('a tab already open turns read-only at its next write, and writes nothing', async () => {
    const name = 'newer-write';
    const { store } = await newTab(name, `c-${Math.random()}`);
    await store.write((db) => savePredictions(db, [prediction({ playerId: 'a' })]));
    await markNewer(name);
    const before = await keys(name);
    const told: string[] = [];
    store.subscribe(() => told.push(store.mode));
    await expect(store.write((db) => savePredictions(db, [prediction({ playerId: 'b' })]))).rejects.toThrow(/newer version of NBA Daily/);
    expect(store.mode).toBe('read-only');
    expect(told).toEqual(['read-only']);
    expect(store.modeReason).toMatch(/reload the page to get the new version/);
    expect(players(store)).toEqual(['a']);
    expect(await keys(name)).toEqual(before);
  });

  it("a newer build's message turns an open tab read-only instead of applying its entry", async () => {
    const name = 'newer-message';
    const channelName = `c-${Math.random()}`;
    const { store } = await newTab(name, channelName);
    await store.write((db) => savePredictions(db, [prediction({ playerId: 'a' })]));
    await markNewer(name);
    const turned = new Promise<void>((resolve) => store.subscribe(() => store.mode === 'read-only' && resolve()));
    const newer = new BroadcastChannel(channelName);
    newer.postMessage({ storageFormat: STORAGE_FORMAT + 1, at: store.currentGeneration + 1, entry: new TextEncoder().encode('{"format":9}') });
    await turned;
    newer.close();
    expect(players(store)).toEqual(['a']);
  });
});
