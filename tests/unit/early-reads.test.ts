// The page's first script (web/src/early.ts) opens the stored database and the start-up slate's database and reads
// what a warm start waits for while the entry chunk loads: the app takes exactly those reads (the same head as
// persistence.head(), the same view as its own read), each once, and without IndexedDB nothing changes.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { beginEarlyReads, DATABASE_NAME, STARTUP_VIEW_KEY, STARTUP_VIEW_NAME, takeOpened, takeRead } from '../../web/src/lib/db/early-reads';
import { HEAD_KEYS, takeEarlyHead } from '../../web/src/lib/db/head';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { NO_REPORTS, startupViewStore, type StartupView } from '../../web/src/lib/app/startup-view';
import type { SlateView } from '../../web/src/lib/app/read-models';

const PLAN: Readonly<Record<string, readonly string[]>> = { [DATABASE_NAME]: HEAD_KEYS, [STARTUP_VIEW_NAME]: [STARTUP_VIEW_KEY] };
const label = { build: 'b1', sourceId: 'simulated', today: '2026-11-28' };

function entry(baseId: string, generation: number): StartupView {
  const game = { id: 'g1', tipoff: '2026-11-28T23:00:00Z', status: 'scheduled', date: '2026-11-28' };
  const games = [{ game, loggable: true }];
  const view = { date: '2026-11-28', generation, slate: { date: '2026-11-28', games }, games, players: [{ playerId: 'p1' }], loggableGames: 1, logRefusal: null, loggedCount: 0 };
  return { ...label, date: '2026-11-28', baseId, generation, reports: NO_REPORTS, view: view as unknown as SlateView };
}

/** Nothing begun is left for the next test (the reads are module state, as in the page). */
function takeAll() {
  for (const name of Object.keys(PLAN)) {
    takeOpened(name);
    for (const key of PLAN[name]) takeRead(name, key);
  }
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(takeAll);

describe('early reads', () => {
  it('give the app the head persistence.head() reads and the view its own read gives, each once', async () => {
    const persistence = idbPersistence();
    const baseId = await persistence.save(new Uint8Array([1, 2, 3]), 4);
    await startupViewStore().save(entry(baseId!, 4));
    const stored = await persistence.head();

    beginEarlyReads(PLAN);
    const early = takeEarlyHead();
    expect(early).toBeDefined();
    expect(await early).toEqual(stored);
    expect(takeEarlyHead()).toBeUndefined();
    // The store opened early is the one persistence uses (taken once: a second persistence opens its own).
    expect(takeOpened(DATABASE_NAME)).toBeDefined();
    expect(takeOpened(DATABASE_NAME)).toBeUndefined();

    const views = startupViewStore();
    expect((await views.load(label, Promise.resolve({ baseId: baseId!, generation: 4 })))?.baseId).toBe(baseId);
    // The view was the early read: it is taken, and the next load reads on its own.
    expect(takeRead(STARTUP_VIEW_NAME, STARTUP_VIEW_KEY)).toBeUndefined();
    expect((await views.load(label, Promise.resolve({ baseId: baseId!, generation: 4 })))?.generation).toBe(4);
  });

  it('read the head in one transaction: a save meanwhile is seen whole or not at all', async () => {
    const persistence = idbPersistence();
    const first = await persistence.save(new Uint8Array([1]), 1);
    beginEarlyReads(PLAN);
    const saved = persistence.save(new Uint8Array([2]), 2);
    const early = await takeEarlyHead();
    const second = await saved;
    expect([{ baseId: first, generation: 1 }, { baseId: second, generation: 2 }]).toContainEqual(early);
  });

  it('begin nothing without IndexedDB, and the app meets its absence as before', async () => {
    // @ts-expect-error a browser without IndexedDB
    delete globalThis.indexedDB;
    expect(() => beginEarlyReads(PLAN)).not.toThrow();
    expect(takeEarlyHead()).toBeUndefined();
    expect(takeOpened(STARTUP_VIEW_NAME)).toBeUndefined();
    await expect(idbPersistence().head()).rejects.toThrow();
    expect(await startupViewStore().load(label, Promise.resolve({ baseId: 'b', generation: 1 }))).toBeNull();
  });
});
