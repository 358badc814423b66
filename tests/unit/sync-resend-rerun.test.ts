// A write the store runs again (its save met storage that had moved, StaleJournalError) must not lose what the first
// run decided outside the database. The sync round's merge write is such a write: when another device reports one of
// this device's commits as unreadable, the merge marks its rows for resending, and the round then drops that commit
// from the ones it may still resend. A second run of the merge must mark them again, or they are never re-sent.
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, expect, it } from 'vitest';
import { StaleJournalError } from '../../web/src/lib/db/persistence';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import { loadSql, MemoryPersistence, prediction } from './helpers';
import { MemoryChain } from './memory-chain';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});

async function device(chain: MemoryChain, name: string, persistence = new MemoryPersistence()) {
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const { store } = await DatabaseStore.open({ SQL, persistence, node: name, now: () => time.now, channelName: `resend-${name}-${Math.random()}` });
  const state = memorySyncState();
  return { store, sync: () => syncRound({ chain: chain.client(), store, SQL, state, now: () => time.now, build: { stepMs: 0 } }) };
}

const players = (d: { store: DatabaseStore }) =>
  d.store.read((db) => (db.exec('SELECT player_id FROM predictions ORDER BY player_id')[0]?.values ?? []).flat().map(String));

it('a merge write run again after a stale save still re-sends the commit another device could not read', async () => {
  const chain = new MemoryChain();
  // A's next append after `failNext` is set meets "storage moved": the store reads storage again and runs the write again.
  const persistenceA = new MemoryPersistence();
  let failNext = false;
  const append = persistenceA.append.bind(persistenceA);
  persistenceA.append = async (...args: Parameters<MemoryPersistence['append']>) => {
    if (failNext) {
      failNext = false;
      throw new StaleJournalError('The stored database changed since this tab read it.');
    }
    return append(...args);
  };
  const a = await device(chain, 'device-a', persistenceA);
  const b = await device(chain, 'device-b');

  // Both devices are on the chain already (a device that joins on a damaged object takes another path).
  await b.store.write((db) => savePredictions(db, [prediction({ playerId: 'b-first' })]));
  await b.sync();
  await a.sync();
  await a.store.write((db) => savePredictions(db, [prediction({ playerId: 'from-a' })]));
  await a.sync();
  // A's commit rots in the bucket: B cannot read it, and says so in its own next commit.
  chain.rotHead();
  await b.sync();
  await b.store.write((db) => savePredictions(db, [prediction({ playerId: 'from-b' })]));
  await b.sync();

  // A pulls B's commit (which names A's as damaged); the merge write's first save is refused and it runs again.
  failNext = true;
  await a.sync();
  expect(failNext).toBe(false); // the refusal happened
  await a.sync();
  await b.sync();
  expect(players(b)).toEqual(['b-first', 'from-a', 'from-b']);
});
