// The start-up slate cache: shown only for the exact stored state, build, source and day it was built for; the one
// clock-dependent part (a game that has tipped off is no longer loggable) is brought up to date.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { viewAsOf, type SlateView } from '../../web/src/lib/app/read-models';
import { NO_REPORTS, reportsStamp, startupViewStore, type StartupView } from '../../web/src/lib/app/startup-view';

const TIP_1 = '2026-11-28T23:00:00Z';
const TIP_2 = '2026-11-29T01:30:00Z';

function view(generation = 7): SlateView {
  const game = (id: string, tipoff: string) => ({ id, tipoff, status: 'scheduled', date: '2026-11-28' });
  const slateGames = [
    { game: game('g1', TIP_1), loggable: true },
    { game: game('g2', TIP_2), loggable: true },
  ];
  return {
    date: '2026-11-28',
    generation,
    slate: { date: '2026-11-28', games: slateGames },
    games: slateGames.map((g) => ({ ...g, title: g.game.id })),
    players: [{ playerId: 'p1' }],
    loggableGames: 2,
    logRefusal: null,
    loggedCount: 0,
  } as unknown as SlateView;
}

const entry = (overrides: Partial<StartupView> = {}): StartupView => ({
  build: 'b1', sourceId: 'simulated', today: '2026-11-28', date: '2026-11-28', baseId: 'base-a', generation: 7, reports: NO_REPORTS, view: view(), ...overrides,
});
const label = { build: 'b1', sourceId: 'simulated', today: '2026-11-28' };
const head = (baseId: string | null, generation: number) => Promise.resolve({ baseId, generation });

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('startup view store', () => {
  it('gives back the view only for the stored head, build, source and day it was built for', async () => {
    const store = startupViewStore();
    await store.save(entry());
    expect((await store.load(label, head('base-a', 7)))?.view).toEqual(view());
    expect(await store.load(label, head('base-a', 8))).toBeNull();
    expect(await store.load(label, head('base-b', 7))).toBeNull();
    expect(await store.load(label, head(null, 0))).toBeNull();
    expect(await store.load({ ...label, build: 'b2' }, head('base-a', 7))).toBeNull();
    expect(await store.load({ ...label, sourceId: 'live' }, head('base-a', 7))).toBeNull();
    expect(await store.load({ ...label, today: '2026-11-29' }, head('base-a', 7))).toBeNull();
  });

  it("is shown only with the injury report it was built with: today's kept report, none for another date", async () => {
    const store = startupViewStore();
    const report = { availability: [], market: [], errors: [], asOf: { availability: { fetchedAt: 1000, kept: true }, market: null } };
    const stamp = reportsStamp(report);
    expect(stamp).not.toBe(NO_REPORTS);
    expect(reportsStamp({ ...report, asOf: { availability: { fetchedAt: 2000, kept: true }, market: null } })).not.toBe(stamp);
    expect(reportsStamp({ availability: [], market: [], errors: [] })).toBe(NO_REPORTS);
    await store.save(entry({ reports: stamp }));
    expect((await store.load(label, head('base-a', 7), Promise.resolve(stamp)))?.view).toEqual(view());
    // Another report in use now (a newer one kept, or none kept any more): the slate would show other statuses.
    expect(await store.load(label, head('base-a', 7), Promise.resolve(reportsStamp({ ...report, asOf: { availability: { fetchedAt: 2000, kept: true }, market: null } })))).toBeNull();
    expect(await store.load(label, head('base-a', 7), Promise.resolve(NO_REPORTS))).toBeNull();
    expect(await store.load(label, head('base-a', 7))).toBeNull();
    // A slate of another date starts without a report: one built with a report is not shown for it.
    const yesterday = { ...view(), date: '2026-11-27' } as unknown as SlateView;
    await store.save(entry({ date: '2026-11-27', reports: stamp, view: yesterday }));
    expect(await store.load(label, head('base-a', 7), Promise.resolve(stamp))).toBeNull();
    await store.save(entry({ date: '2026-11-27', reports: NO_REPORTS, view: yesterday }));
    expect((await store.load(label, head('base-a', 7), Promise.resolve(stamp)))?.date).toBe('2026-11-27');
  });

  it('ignores a record it did not write, and a failing head', async () => {
    const store = startupViewStore();
    await store.save(entry({ view: { ...view(), games: [] } as unknown as SlateView }));
    expect(await store.load(label, head('base-a', 7))).toBeNull();
    // Built at a later state than its label: not a view of the stored database.
    await store.save(entry({ view: view(8) }));
    expect(await store.load(label, head('base-a', 7))).toBeNull();
    // Built before a compaction (a new base of the same rows, one generation on): still the same rows.
    await store.save(entry({ generation: 8, view: view(7) }));
    expect((await store.load(label, head('base-a', 8)))?.view.generation).toBe(7);
    await store.save(entry());
    expect(await store.load(label, Promise.reject(new Error('no IndexedDB')))).toBeNull();
  });
});

describe('viewAsOf', () => {
  it('is the same view while no game has tipped off', () => {
    const v = view();
    expect(viewAsOf(v, Date.parse(TIP_1) - 1, '2026-11-28')).toBe(v);
  });

  it('closes a game that has tipped off since the view was built, then refuses once all have', () => {
    const one = viewAsOf(view(), Date.parse(TIP_1) + 1, '2026-11-28');
    expect(one.games.map((g) => g.loggable)).toEqual([false, true]);
    expect(one.slate.games.map((g) => g.loggable)).toEqual([false, true]);
    expect(one.loggableGames).toBe(1);
    expect(one.logRefusal).toBeNull();
    const all = viewAsOf(view(), Date.parse(TIP_2) + 1, '2026-11-28');
    expect(all.loggableGames).toBe(0);
    expect(all.logRefusal).toMatch(/All games have started/);
  });
});
