// A request of a readAll batch fails (here: the transaction aborts right after one request succeeds, as when
// Chrome cannot read a large value's blob file). The later requests fail in later tasks; the first error event
// bubbles to the transaction, where inTransaction's `done` (promisifyRequest(transaction), onerror) rejects at once,
// while readAll still waits for the rest: `done` is rejected with no handler across tasks (an "Uncaught (in promise)").
// The calls themselves reject with one error, and the store refuses the write and saves the next one.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { loadSql, prediction } from './helpers';

const proto = IDBObjectStore.prototype as unknown as { get: (key: unknown) => IDBRequest };
const realGet = proto.get;
/** The next get of `key` succeeds, then its transaction aborts (the requests after it in the batch fail). */
function failAfter(key: string) {
  let armed = true;
  proto.get = function (this: IDBObjectStore, k: unknown) {
    const request = realGet.call(this, k);
    if (armed && k === key) {
      armed = false;
      const tx = this.transaction;
      request.addEventListener('success', () => tx.abort());
    }
    return request;
  };
}

for (const [call, key] of [['head', 'database-base-id'], ['load', 'storage-format'], ['append (a write)', 'storage-format']] as const) {
  it(`${call}: a failed request in a readAll batch leaves no rejection unobserved`, async () => {
    const unhandled: unknown[] = [];
    const on = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', on);
    const name = `r1-abort-${Math.random()}`;
    const persistence = idbPersistence(name);
    const { store } = await DatabaseStore.open({ SQL: await loadSql(), persistence, channelName: `r1-${name}` });
    try {
      await store.write((db) => savePredictions(db, [prediction({ playerId: 'before' })]));
      let outcome: string;
      if (call === 'head') {
        failAfter(key);
        outcome = await persistence.head().then(() => 'resolved', (e: Error) => String(e?.name ?? e));
      } else if (call === 'load') {
        failAfter(key);
        outcome = await persistence.load().then(() => 'resolved', (e: Error) => String(e?.name ?? e));
      } else {
        // The store's pre-write head() runs first; arm for the append's batch (its first get is the format).
        const head = persistence.head.bind(persistence);
        persistence.head = async () => {
          const h = await head();
          failAfter(key);
          return h;
        };
        outcome = await store.write((db) => savePredictions(db, [prediction({ playerId: 'refused' })])).then(() => 'saved', (e: Error) => `${e.name}: ${e.message}`);
        persistence.head = head;
      }
      proto.get = realGet;
      await store.write((db) => savePredictions(db, [prediction({ playerId: 'after' })]));
      await new Promise((r) => setTimeout(r, 50));
      expect(['resolved', 'saved']).not.toContain(outcome);
      expect(store.read((db) => (db.exec('SELECT player_id FROM predictions ORDER BY player_id')[0]?.values ?? []).flat())).toEqual(['after', 'before']);
      expect(unhandled).toEqual([]);
    } finally {
      proto.get = realGet;
      process.off('unhandledRejection', on);
      store.close();
    }
  });
}
