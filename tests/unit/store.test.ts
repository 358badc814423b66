import { afterEach, describe, expect, it } from 'vitest';
import type { Persistence } from '../../web/src/lib/db/persistence';
import { countPredictions, savePredictions } from '../../web/src/lib/db/predictions-repo';
import { SCHEMA_VERSION } from '../../web/src/lib/db/schema';
import { DatabaseStore, WriteRefusedError } from '../../web/src/lib/db/store';
import { loadSql, MemoryPersistence, prediction } from './helpers';

const stores: DatabaseStore[] = [];
async function open(persistence: Persistence, channelName = `test-${Math.random()}`) {
  const result = await DatabaseStore.open({ SQL: await loadSql(), persistence, channelName });
  stores.push(result.store);
  return result;
}
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const count = (store: DatabaseStore) => store.read((db) => countPredictions(db));

describe('DatabaseStore', () => {
  it('persists every write before resolving, and a reopen sees it', async () => {
    const persistence = new MemoryPersistence();
    const { store } = await open(persistence);
    await store.write((db) => savePredictions(db, [prediction()]));
    const { store: reopened, notices } = await open(persistence);
    expect(notices).toEqual([]);
    expect(count(reopened)).toBe(1);
  });

  it('sets unreadable stored data aside instead of deleting it', async () => {
    const persistence = new MemoryPersistence();
    persistence.record = { something: 'else' };
    const { store, notices } = await open(persistence);
    expect(store.mode).toBe('persistent');
    expect(notices[0].message).toMatch(/kept aside/);
    expect([...persistence.quarantined.values()]).toEqual([{ something: 'else' }]);
  });

  it('sets a corrupt database aside with its bytes intact', async () => {
    const persistence = new MemoryPersistence();
    const garbage = new Uint8Array(4096).fill(7);
    persistence.record = { format: 1, generation: 3, savedAt: 0, bytes: garbage };
    persistence.generationValue = 3;
    const { notices } = await open(persistence);
    expect(notices[0].message).toMatch(/not a SQLite database/);
    const kept = [...persistence.quarantined.values()][0] as { bytes: Uint8Array };
    expect(kept.bytes).toEqual(garbage);
  });

  it('opens a newer database read-only and never overwrites it', async () => {
    const SQL = await loadSql();
    const newer = new SQL.Database();
    newer.exec(`CREATE TABLE predictions (x); PRAGMA user_version = ${SCHEMA_VERSION + 1};`);
    const bytes = newer.export();
    const persistence = new MemoryPersistence();
    persistence.record = { format: 1, generation: 9, savedAt: 0, bytes };
    persistence.generationValue = 9;
    const { store, notices } = await open(persistence);
    expect(store.mode).toBe('read-only');
    expect(notices[0].message).toMatch(/newer version/);
    await expect(store.write((db) => savePredictions(db, [prediction()]))).rejects.toThrow(WriteRefusedError);
    expect((persistence.record as { bytes: Uint8Array }).bytes).toEqual(bytes);
  });

  it('a failed migration leaves the stored bytes untouched and opens read-only', async () => {
    const SQL = await loadSql();
    const old = new SQL.Database();
    old.exec('CREATE TABLE teams (id TEXT PRIMARY KEY);'); // version 0 with a clashing table: step 1 fails
    const bytes = old.export();
    const persistence = new MemoryPersistence();
    persistence.record = { format: 1, generation: 4, savedAt: 0, bytes };
    persistence.generationValue = 4;
    const { store, notices } = await open(persistence);
    expect(store.mode).toBe('read-only');
    expect(notices[0].message).toMatch(/Upgrading the database from version 0 to 1 failed.*untouched/);
    expect((persistence.record as { bytes: Uint8Array }).bytes).toEqual(bytes);
    expect(persistence.generationValue).toBe(4);
  });

  it('runs in memory with a clear message when storage is unavailable', async () => {
    const persistence = new MemoryPersistence();
    persistence.failLoads = new Error('IndexedDB is not available');
    const { store, notices } = await open(persistence);
    expect(store.mode).toBe('memory');
    expect(notices[0].message).toMatch(/Storage is unavailable/);
    await store.write((db) => savePredictions(db, [prediction()]));
    expect(count(store)).toBe(1);
  });

  it('a save refused for quota undoes the change and keeps the stored bytes', async () => {
    const persistence = new MemoryPersistence();
    const { store } = await open(persistence);
    await store.write((db) => savePredictions(db, [prediction({ playerId: 'kept' })]));
    const before = persistence.record;
    persistence.failSaves = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    await expect(store.write((db) => savePredictions(db, [prediction({ playerId: 'lost' })]))).rejects.toThrow(/out of storage/);
    expect(count(store)).toBe(1);
    expect(persistence.record).toBe(before);
    persistence.failSaves = null;
    await store.write((db) => savePredictions(db, [prediction({ playerId: 'later' })]));
    expect(count(store)).toBe(2);
  });

  it('a write that changes nothing is not saved and makes no new generation', async () => {
    const persistence = new MemoryPersistence();
    const { store } = await open(persistence);
    await store.write((db) => savePredictions(db, [prediction()]));
    const generation = store.currentGeneration;
    const saved = persistence.record;
    await store.write((db) => savePredictions(db, [prediction()])); // same row again: no change
    expect(store.currentGeneration).toBe(generation);
    expect(persistence.record).toBe(saved);
  });

  it('a write that throws is rolled back and not saved', async () => {
    const persistence = new MemoryPersistence();
    const { store } = await open(persistence);
    const generation = persistence.generationValue;
    await expect(
      store.write((db) => {
        savePredictions(db, [prediction()]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(count(store)).toBe(0);
    expect(persistence.generationValue).toBe(generation);
  });

  it('two tabs writing in turn never overwrite each other, and the other tab hears about it', async () => {
    const persistence = new MemoryPersistence();
    const channel = `tabs-${Math.random()}`;
    const { store: tabA } = await open(persistence, channel);
    const { store: tabB } = await open(persistence, channel);
    const heard = new Promise<string>((resolve) => tabB.subscribe((origin) => origin === 'other-tab' && resolve(origin)));
    await tabA.write((db) => savePredictions(db, [prediction({ playerId: 'from-a' })]));
    expect(await heard).toBe('other-tab');
    expect(count(tabB)).toBe(1);
    await tabB.write((db) => savePredictions(db, [prediction({ playerId: 'from-b' })]));
    // Tab A writes without having reloaded: the store must pick up B's row first.
    await tabA.write((db) => savePredictions(db, [prediction({ playerId: 'from-a-2' })]));
    const { store: reopened } = await open(persistence);
    expect(count(reopened)).toBe(3);
  });
});

describe('DatabaseStore and data written behind its back', () => {
  it('sets unreadable bytes another writer left aside before saving over them', async () => {
    const persistence = new MemoryPersistence();
    const { store } = await open(persistence);
    const garbage = { format: 1, generation: 50, savedAt: 0, bytes: new Uint8Array(4096).fill(9) };
    persistence.record = garbage;
    persistence.generationValue = 50;
    await store.write((db) => savePredictions(db, [prediction()]));
    expect([...persistence.quarantined.values()]).toEqual([garbage]);
    expect(count(store)).toBe(1);
  });
});
