// The injury report and market kept on this device per date (sources/live/report-cache.ts): what comes back is what
// the wire schemas accept, bounded to the last few dates; an unreadable value is ignored for its part and date only;
// the live source falls back to the kept copy, labelled with when it was fetched, when the worker cannot be reached.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLiveSource } from '../../web/src/lib/sources/live';
import { idbReportCache, KEPT_DATES, KEPT_FOR_MS, type Injuries, type Odds } from '../../web/src/lib/sources/live/report-cache';
import { WIRE_LIMITS } from '../../web/src/lib/sources/live/wire';

const DATE = '2024-01-11';
const injury = { playerId: '1628369', name: 'Jayson Tatum', teamId: 'BOS', gameId: '0022300500', status: 'out', detail: 'Ankle', source: 'espn' } as const;
const line = { gameId: '0022300500', homeTeamId: 'BOS', awayTeamId: 'NYK', provider: 'Book', homeSpread: -6.5, overUnder: 228.5, homeMoneyline: -250, awayMoneyline: 205, source: 'scoreboard' } as const;
const injuries = (date = DATE): Injuries => ({ date, players: [{ ...injury }] });
const odds = (date = DATE): Odds => ({ date, games: [{ ...line }] });

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** Writes `value` under `key` behind the cache's back (a damaged or foreign value). */
async function putRaw(key: string, value: unknown, dbName = 'nba-daily-reports') {
  const request = indexedDB.open(dbName);
  const idb = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
  const tx = idb.transaction('kv', 'readwrite');
  tx.objectStore('kv').put(value, key);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  idb.close();
}

describe('report cache', () => {
  it('keeps the last answer per date and part, with when it was fetched', async () => {
    const cache = idbReportCache();
    expect(await cache.load(DATE)).toEqual({ injuries: null, odds: null });
    await cache.save('injuries', injuries(), 1000);
    await cache.save('odds', odds(), 1000);
    await cache.save('injuries', { date: DATE, players: [{ ...injury, status: 'questionable' }] }, 2000);
    const kept = await idbReportCache().load(DATE);
    expect(kept.injuries).toEqual({ fetchedAt: 2000, answer: { date: DATE, players: [{ ...injury, status: 'questionable' }] } });
    expect(kept.odds).toEqual({ fetchedAt: 1000, answer: odds() });
    expect(await cache.load('2024-01-12')).toEqual({ injuries: null, odds: null });
  });

  it(`keeps at most ${KEPT_DATES} dates per part, the newest ones and always the one just saved`, async () => {
    const cache = idbReportCache();
    const dates = Array.from({ length: KEPT_DATES + 3 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
    for (const date of dates) await cache.save('injuries', injuries(date), 1000);
    await cache.save('odds', odds(dates[0]), 1000);
    const present = async () => (await Promise.all(dates.map(async (d) => ((await cache.load(d)).injuries ? d : null)))).filter(Boolean);
    expect(await present()).toEqual(dates.slice(-KEPT_DATES));
    // The odds are bounded on their own: the first date's odds stay.
    expect((await cache.load(dates[0])).odds?.answer).toEqual(odds(dates[0]));
    await cache.save('injuries', injuries(dates[0]), 3000);
    expect(await present()).toEqual([dates[0], ...dates.slice(-(KEPT_DATES - 1))]);
  });

  it('drops what either part fetched more than the kept window before a new fetch, and keeps what is younger', async () => {
    const cache = idbReportCache();
    const start = 1_700_000_000_000;
    await cache.save('injuries', injuries('2024-01-01'), start);
    await cache.save('odds', odds('2024-01-01'), start);
    await cache.save('odds', odds('2024-01-02'), start + 2 * 86_400_000);
    // A month after the first fetch, a day after the window: the first date's answers go, of both parts.
    await cache.save('injuries', injuries('2024-02-01'), start + KEPT_FOR_MS + 86_400_000);
    expect(await cache.load('2024-01-01')).toEqual({ injuries: null, odds: null });
    expect((await cache.load('2024-01-02')).odds?.answer).toEqual(odds('2024-01-02'));
    expect((await cache.load('2024-02-01')).injuries?.answer).toEqual(injuries('2024-02-01'));
    // What is stored is only what is kept.
    const request = indexedDB.open('nba-daily-reports');
    const idb = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const all = idb.transaction('kv').objectStore('kv').getAllKeys();
      all.onsuccess = () => resolve(all.result);
    });
    idb.close();
    expect(keys.sort()).toEqual(['injuries|2024-02-01', 'odds|2024-01-02']);
  });

  it.each([
    ['not a record of this cache', 'garbage'],
    ['an unknown status', { format: 1, fetchedAt: 1000, answer: { date: DATE, players: [{ ...injury, status: 'maybe' }] } }],
    ['an answer for another date', { format: 1, fetchedAt: 1000, answer: injuries('2024-01-10') }],
    ['more players than the wire allows', { format: 1, fetchedAt: 1000, answer: { date: DATE, players: Array.from({ length: WIRE_LIMITS.availability + 1 }, () => injury) } }],
    ['a fetch time that is not one', { format: 1, fetchedAt: -5, answer: injuries() }],
    ['another format', { format: 2, fetchedAt: 1000, answer: injuries() }],
  ])('%s is ignored for that part and date; everything else is still read', async (_what, raw) => {
    const cache = idbReportCache();
    await cache.save('injuries', injuries(), 1000);
    await cache.save('odds', odds(), 1000);
    await cache.save('injuries', injuries('2024-01-10'), 900);
    await putRaw(`injuries|${DATE}`, raw);
    const kept = await cache.load(DATE);
    expect(kept.injuries).toBeNull();
    expect(kept.odds).toEqual({ fetchedAt: 1000, answer: odds() });
    expect((await cache.load('2024-01-10')).injuries).toEqual({ fetchedAt: 900, answer: injuries('2024-01-10') });
    // The next good answer replaces it.
    await cache.save('injuries', injuries(), 2000);
    expect((await cache.load(DATE)).injuries?.fetchedAt).toBe(2000);
  });

  it('refuses to keep an answer the wire schema does not accept, and keeps what it had', async () => {
    const cache = idbReportCache();
    await cache.save('injuries', injuries(), 1000);
    await expect(cache.save('injuries', { date: DATE, players: [{ ...injury, status: 'maybe' as never }] }, 2000)).rejects.toThrow();
    expect((await cache.load(DATE)).injuries?.fetchedAt).toBe(1000);
  });

  it('without IndexedDB it keeps nothing and loads nothing, without throwing', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const cache = idbReportCache('none');
      expect(await cache.load(DATE)).toEqual({ injuries: null, odds: null });
      await expect(cache.save('injuries', injuries(), 1000)).rejects.toThrow();
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

describe('live source with the report cache', () => {
  /** A worker that answers the report routes while `online`, and cannot be reached otherwise. */
  function worker() {
    const state = { online: true, odds: true };
    const fetchImpl = (async (input: URL | RequestInfo) => {
      if (!state.online) throw new TypeError('Failed to fetch');
      const path = new URL(String(input)).pathname;
      if (path === `/v1/nba/injuries/${DATE}`) return Response.json(injuries());
      if (path === `/v1/nba/odds/${DATE}` && state.odds) return Response.json(odds());
      return new Response('{}', { status: 502 });
    }) as typeof fetch;
    return { state, fetchImpl };
  }

  it('offline, a part that cannot be fetched is the kept copy, labelled with when it was fetched', async () => {
    const { state, fetchImpl } = worker();
    let clock = 1_704_985_200_000;
    const source = createLiveSource(() => ({ workerUrl: 'https://worker.test', token: 't' }), fetchImpl, idbReportCache(), () => clock);
    const online = await source.reports!(DATE);
    expect(online.asOf).toEqual({ availability: { fetchedAt: clock, kept: false }, market: { fetchedAt: clock, kept: false } });
    const fetchedAt = clock;
    clock += 3_600_000;
    state.online = false;
    const offline = await source.reports!(DATE);
    expect(offline.availability).toEqual([injury]);
    expect(offline.market).toEqual([line]);
    expect(offline.asOf).toEqual({ availability: { fetchedAt, kept: true }, market: { fetchedAt, kept: true } });
    expect(offline.errors).toHaveLength(2);
    // Before the network answers (a fresh start): the kept copy alone.
    const restarted = createLiveSource(() => ({ workerUrl: 'https://worker.test', token: 't' }), fetchImpl, idbReportCache(), () => clock);
    expect((await restarted.keptReports!(DATE))?.availability).toEqual([injury]);
    expect(await restarted.keptReports!('2024-01-12')).toBeNull();
    // Online again with only the odds failing: fresh injuries, kept odds.
    state.online = true;
    state.odds = false;
    const mixed = await source.reports!(DATE);
    expect(mixed.asOf).toEqual({ availability: { fetchedAt: clock, kept: false }, market: { fetchedAt, kept: true } });
  });

  it('nothing kept and nothing fetched: no report, as before (the slate guesses who plays)', async () => {
    const { state, fetchImpl } = worker();
    state.online = false;
    const source = createLiveSource(() => ({ workerUrl: 'https://worker.test', token: 't' }), fetchImpl, idbReportCache());
    const reports = await source.reports!(DATE);
    expect(reports).toMatchObject({ availability: [], market: [], asOf: { availability: null, market: null } });
  });
});
