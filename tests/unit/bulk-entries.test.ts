// A backfill's journal entries (inside store.bulk()): sized to short writes, they are many and mid-sized, so above a
// small size they are gzipped, where an everyday write's changeset up to RAW_ENTRY_MAX_BYTES is stored as it is.
import { afterEach, describe, expect, it } from 'vitest';
import { countPredictions, savePredictions } from '../../web/src/lib/db/predictions-repo';
import { BULK_RAW_ENTRY_MAX_BYTES, DatabaseStore, RAW_ENTRY_MAX_BYTES } from '../../web/src/lib/db/store';
import { loadSql, MemoryPersistence, prediction } from './helpers';

const stores: DatabaseStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

describe('journal entries inside bulk()', () => {
  it('gzips a mid-sized changeset that an everyday write stores as it is; a reopen replays both', async () => {
    const persistence = new MemoryPersistence();
    const { store } = await DatabaseStore.open({ SQL: await loadSql(), persistence, channelName: `bulk-${Math.random()}`, journalLimits: { shareOfBase: 1000 } });
    stores.push(store);
    const batch = (tag: string) => Array.from({ length: 150 }, (_, i) => prediction({ playerId: `${tag}-${i}` }));
    await store.write((db) => savePredictions(db, batch('everyday')));
    await store.bulk((write) => write((db) => savePredictions(db, batch('backfill'))));
    const [everyday, backfill] = persistence.journal.map((e) => e.bytes);
    // The same-sized changeset: as it is outside bulk(), gzipped inside.
    expect(everyday.length).toBeGreaterThan(BULK_RAW_ENTRY_MAX_BYTES);
    expect(everyday.length).toBeLessThanOrEqual(RAW_ENTRY_MAX_BYTES);
    expect(String.fromCharCode(everyday[0])).toBe('{');
    expect([backfill[0], backfill[1]]).toEqual([0x1f, 0x8b]);
    expect(backfill.length).toBeLessThan(everyday.length / 2);
    const { store: reopened } = await DatabaseStore.open({ SQL: await loadSql(), persistence, channelName: `bulk-${Math.random()}` });
    stores.push(reopened);
    expect(reopened.read((db) => countPredictions(db))).toBe(300);
  });

  it("a write during bulk() that is not the backfill's own (a log while a refresh runs) is stored as an everyday write", async () => {
    const persistence = new MemoryPersistence();
    const { store } = await DatabaseStore.open({ SQL: await loadSql(), persistence, channelName: `bulk-${Math.random()}`, journalLimits: { shareOfBase: 1000 } });
    stores.push(store);
    const batch = (tag: string) => Array.from({ length: 150 }, (_, i) => prediction({ playerId: `${tag}-${i}` }));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const backfill = store.bulk(async (write) => {
      await write((db) => savePredictions(db, batch('backfill')));
      await held;
    });
    // The backfill has stored its first write and is waiting: a log lands now.
    await expect.poll(() => persistence.journal.length).toBe(1);
    await store.write((db) => savePredictions(db, batch('log')));
    release();
    await backfill;
    const [backfilled, logged] = persistence.journal.map((e) => e.bytes);
    expect([backfilled[0], backfilled[1]]).toEqual([0x1f, 0x8b]);
    expect(logged.length).toBeGreaterThan(BULK_RAW_ENTRY_MAX_BYTES);
    expect(String.fromCharCode(logged[0])).toBe('{');
  });
});
