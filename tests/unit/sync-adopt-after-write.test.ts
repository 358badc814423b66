// A device whose database is empty adopts the server's full copy instead of merging it. That choice is made before
// the copy is unpacked; a write of this tab that lands meanwhile must not be replaced away: the copy is then merged.
import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { DatabaseStore } from '../../web/src/lib/db/store';
import { loadSql, logPlayers, MemoryPersistence, storedPlayers } from './helpers';
import { MemoryChain } from './memory-chain';
import { syncDevice } from './sync-device';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});
const opened: DatabaseStore[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));

it('a write that lands while an empty device unpacks the full copy is kept, and merged with the copy', async () => {
  const chain = new MemoryChain();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const a = await syncDevice({ SQL, chain, time, node: 'device-a', persistence: new MemoryPersistence(), opened });
  await a.store.write(logPlayers('from-a'));
  await a.sync();
  time.now += 60_000;
  await a.sync(); // the chain's first full copy (snapshotDue)
  expect(chain.newestSnapshot()).toBeGreaterThan(0);

  const b = await syncDevice({ SQL, chain, time, node: 'device-b', persistence: new MemoryPersistence(), opened });
  // The person logs on device B after the round found its database empty, before the copy is swapped in.
  const replaceWith = b.store.replaceWith.bind(b.store);
  b.store.replaceWith = async (...args) => {
    await b.store.write(logPlayers('from-b'));
    return replaceWith(...args);
  };
  time.now += 60_000;
  await b.sync();
  expect(storedPlayers(b.store)).toEqual(['from-a', 'from-b']);
  time.now += 60_000;
  await b.sync();
  await a.sync();
  expect(storedPlayers(a.store)).toEqual(['from-a', 'from-b']);
});
