// A tab still running an older build, open while this build writes (two tabs across "Update", or a rollback).
// The older builds' own code runs here, exactly as it shipped: its web/src/lib as archived from git at the commit
// (tests/previous-builds.ts; stop 13, before the plain and split journal entries; and stop 14, the last build
// without a storage-format marker) and imported next to this build's, both over one IndexedDB (fake-indexeddb) and one BroadcastChannel.
// Nothing this build's tab reported saved may drop out of the live database, and nothing may be set aside.
import 'fake-indexeddb/auto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idbPersistence, STORAGE_FORMAT } from '../../web/src/lib/db/persistence';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { DatabaseStore, WriteRefusedError } from '../../web/src/lib/db/store';
import { freshDb, loadSql, prediction, storedPlayers } from './helpers';
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

const players = storedPlayers;

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

async function put(name: string, key: IDBValidKey, stored: unknown): Promise<void> {
  const request = indexedDB.open(name);
  const idb = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
  const tx = idb.transaction('kv', 'readwrite');
  tx.objectStore('kv').put(stored, key);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  idb.close();
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

    it("adopting a sync snapshot (its copy looked empty), it replaces the base: this build's write is merged back, not lost", async () => {
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
      // This build's entry the older tab replaced without reading is merged into the adopted copy by key.
      const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
      expect(notices).toEqual([]);
      expect(players(reopened)).toEqual(['from-sync', 'new-1']);
      expect(await quarantined(name)).toEqual([]);
      // Merged once: the base stored after it holds it, and the entry is gone; writes go on.
      expect((await keys(name)).filter((k) => Array.isArray(k))).toEqual([]);
      await reopened.write(saveNew('new-2'));
      const { store: again, notices: againNotices } = await newTab(name, `c-${Math.random()}`);
      expect(againNotices).toEqual([]);
      expect(players(again)).toEqual(['from-sync', 'new-1', 'new-2']);
    });

    it("entries it replaced that cannot be merged are kept aside and explained, not lost", async () => {
      const name = `old-${commit}-adopt-unmergeable`;
      const channel = `c-${Math.random()}`;
      const { store: old } = await oldTab(build(), name, channel);
      const { store: tab } = await newTab(name, channel);
      await tab.write(saveNew('new-1'));
      await settle();
      // This build's entry is damaged in storage (its bytes no longer a changeset).
      const [entryKey] = (await keys(name)).filter((k) => Array.isArray(k) && k[0] === 'entries');
      const damaged = { ...((await value(name, entryKey)) as object), bytes: new TextEncoder().encode('{"format":1,"tables":[{"name":"nope","columns":["a"],"rows":[],"deleted":[]}]}') };
      await put(name, entryKey, damaged);
      const snapshot = await freshDb();
      savePredictions(snapshot, [prediction({ playerId: 'from-sync' })]);
      // The running tab hears the older tab's write and may be the one that keeps them aside (it says so then).
      const toldByTab: string[] = [];
      tab.onNotice((notice) => toldByTab.push(notice.message));
      await old.replaceWith(snapshot.export(), () => 0);
      snapshot.close();
      const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
      await settle();
      expect(players(reopened)).toEqual(['from-sync']);
      expect([...toldByTab, ...notices.map((n) => n.message)]).toEqual([expect.stringMatching(/replaced by an older version of NBA Daily open in another tab and could not be merged back\. They were kept aside .*nothing was deleted/)]);
      const kept = await quarantined(name);
      expect(kept).toHaveLength(1);
      const record = (await value(name, kept[0])) as { raw: { orphanEntries: { value: { bytes: Uint8Array } }[] } };
      expect(record.raw.orphanEntries.map((e) => new TextDecoder().decode(e.value.bytes)).join('')).toContain('"nope"');
      // Said once: the next open finds nothing left over, and writes go on.
      await reopened.write(saveNew('new-2'));
      const { notices: again } = await newTab(name, `c-${Math.random()}`);
      expect(again).toEqual([]);
      expect(await quarantined(name)).toEqual(kept);
    });

    // A write too big for the older tab's journal (past 32 KB gzipped for stop 13, 256 KB of changeset for stop 14:
    // names that do not compress): it stores a whole new base, with a new base id, at its own generation + 1, which
    // is not above this build's when this build wrote since.
    const noise = (i: number) => Array.from({ length: 6 }, (_, k) => ((i + 1) * 2654435761 * (k + 7)).toString(16).padStart(8, '0').slice(-8)).join('');
    const bigSlate = (prefix: string) => Array.from({ length: 2000 }, (_, i) => prediction({ playerId: `${prefix}-${String(i).padStart(4, '0')}`, playerName: `Player ${noise(i)}` }));
    const saveBig = (prefix: string) => (db: import('sql.js').Database) => build().savePredictions(db, bigSlate(prefix));
    const bigIds = (prefix: string) => bigSlate(prefix).map((p) => p.playerId);

    it("its whole-base write at a lower generation: this build's next write neither fails nor drops either tab's writes", async () => {
      const name = `old-${commit}-overflow-lower`;
      const channel = `c-${Math.random()}`;
      const { store: old } = await oldTab(build(), name, channel);
      await old.write(save('old-1'));
      const { store: tab } = await newTab(name, channel);
      await tab.write(saveNew('new-1'));
      await tab.write(saveNew('new-2'));
      await settle();
      // The older tab cannot read this build's entries; its big write goes to a base of its own.
      await old.write(saveBig('old-big'));
      await settle();
      await tab.write(saveNew('new-3'));
      const live = [...bigIds('old-big'), 'new-1', 'new-2', 'new-3', 'old-1'].sort();
      expect(players(tab)).toEqual(live);
      expect(await quarantined(name)).toEqual([]);
      const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
      expect(notices).toEqual([]);
      expect(players(reopened)).toEqual(live);
      // The older tab reads the base this build stored, but not the entry after it: its next write is refused, as
      // any of its writes behind this build's entries, and costs nothing stored.
      await expect(old.write(save('old-2'))).rejects.toThrow(/changed since this tab read it/);
      await settle();
      expect(players(tab)).toEqual(live);
      expect(await quarantined(name)).toEqual([]);
    });

    it("its whole-base write, then this build's compaction: the older tab's write is not overwritten", async () => {
      const name = `old-${commit}-overflow-compact`;
      const channel = `c-${Math.random()}`;
      const { store: old } = await oldTab(build(), name, channel);
      await old.write(save('old-1'));
      // The journal holds old-1 and two entries of this build; this build's next write stores a base (a compaction).
      const { store: tab } = await newTab(name, channel, { maxEntries: 3 });
      await tab.write(saveNew('new-1'));
      await tab.write(saveNew('new-2'));
      await settle();
      await old.write(saveBig('old-big'));
      await settle();
      await tab.write(saveNew('new-3'));
      const live = [...bigIds('old-big'), 'new-1', 'new-2', 'new-3', 'old-1'].sort();
      expect(players(tab)).toEqual(live);
      const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
      expect(notices).toEqual([]);
      expect(players(reopened)).toEqual(live);
      expect(await quarantined(name)).toEqual([]);
    });

    it('its whole-base write at the same generation as this build: this tab hears of it, follows it, and writes on', async () => {
      const name = `old-${commit}-overflow-equal`;
      const channel = `c-${Math.random()}`;
      const { store: old } = await oldTab(build(), name, channel);
      await old.write(save('old-1'));
      const { store: tab } = await newTab(name, channel);
      // One entry of this build: the older tab's base then lands at this tab's generation.
      await tab.write(saveNew('new-1'));
      await settle();
      const generation = tab.currentGeneration;
      await old.write(saveBig('old-big'));
      const told = new Promise<void>((resolve) => tab.subscribe((origin) => origin === 'other-tab' && resolve()));
      await told;
      expect(players(tab)).toEqual([...bigIds('old-big'), 'new-1', 'old-1'].sort());
      expect(tab.currentGeneration).toBeGreaterThan(generation);
      await tab.write(saveNew('new-2'));
      const live = [...bigIds('old-big'), 'new-1', 'new-2', 'old-1'].sort();
      const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
      expect(notices).toEqual([]);
      expect(players(reopened)).toEqual(live);
      expect(await quarantined(name)).toEqual([]);
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

describe('any interleaving of writes by a tab of this build and a tab of an older build, journals overflowing', () => {
  type Step = { tab: 'new' | 'old'; rows: number; hears: boolean };
  const step: fc.Arbitrary<Step> = fc.record({
    tab: fc.constantFrom('new' as const, 'old' as const),
    // Mostly one row; sometimes a slate (its changeset split into parts).
    rows: fc.oneof({ arbitrary: fc.constant(1), weight: 4 }, { arbitrary: fc.integer({ min: 2, max: 300 }), weight: 1 }),
    // Whether the channel delivers before the next step (a message may also arrive late, or during it).
    hears: fc.boolean(),
  });
  for (const [label, commit] of Object.entries(PREVIOUS_BUILDS)) {
    it(`every write either tab reported saved is in the stored database (${label} build)`, async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), async (steps, oldEntries, newEntries) => {
          const name = `interleave-${commit}-${run++}-${Math.random()}`;
          const channel = `c-${Math.random()}`;
          const build = builds.get(commit)!;
          // Small journals: each tab stores a whole base every few writes, the older one without reading this build's entries.
          const old = await build.DatabaseStore.open({ SQL: await loadSql(), persistence: build.idbPersistence(name), channelName: channel, journalLimits: { maxEntries: oldEntries } });
          open.push(old.store);
          const { store: tab } = await newTab(name, channel, { maxEntries: newEntries });
          const saved: string[] = [];
          for (const [i, s] of steps.entries()) {
            const ids = Array.from({ length: s.rows }, (_, k) => `${s.tab}-${i}-${k}`);
            const rows = (save: typeof savePredictions) => (db: import('sql.js').Database) => save(db, ids.map((id) => prediction({ playerId: id })));
            if (s.tab === 'new') {
              // This build's tab never refuses a write for what another tab stored.
              await tab.write(rows(savePredictions));
              saved.push(...ids);
            } else {
              const written = await old.store.write(rows(build.savePredictions)).then(() => true, (e: Error) => (/changed since this tab read it/.test(e.message) ? false : Promise.reject(e)));
              if (written) saved.push(...ids);
            }
            if (s.hears) await settle();
          }
          await settle();
          const { store: reopened, notices } = await newTab(name, `c-${Math.random()}`);
          const stored = new Set(players(reopened));
          expect(saved.filter((id) => !stored.has(id))).toEqual([]);
          expect(notices).toEqual([]);
          expect(await quarantined(name)).toEqual([]);
          // This build's tab holds it all too, once it has read storage (its next write does).
          await tab.write(saveProbe);
          expect(saved.filter((id) => !players(tab).includes(id))).toEqual([]);
          [old.store, tab, reopened].forEach((s) => s.close());
          open.splice(0);
        }),
        { numRuns: 12 },
      );
    }, 120_000);
  }
  const saveProbe = (db: import('sql.js').Database) => savePredictions(db, [prediction({ playerId: `probe-${Math.random()}` })]);
});

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
