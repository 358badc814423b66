// The IndexedDB work a warm start waits for, begun by the page's first script (web/src/early.ts) while the entry
// chunk is still being fetched, parsed and run: opening a database costs tens of milliseconds (more on a slow
// device), which then overlaps that work instead of following it. Kept free of zod and the app's other modules so
// the first script stays a few kilobytes. The app takes each opened database and each read once; a page that did not
// run the first script (unit tests, a browser without IndexedDB) opens and reads on its own, as before.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

/** The stored database (persistence.ts). */
export const DATABASE_NAME = 'nba-daily';
/** The last slate view, kept for start-up (app/startup-view.ts), and the key it is kept under. */
export const STARTUP_VIEW_NAME = 'nba-daily-startup';
export const STARTUP_VIEW_KEY = 'slate';

const opened = new Map<string, UseStore>();
const reads = new Map<string, Promise<unknown>>();
const readKey = (dbName: string, key: string) => `${dbName}\u0000${key}`;

/**
 * Opens each named database (its one object store, "kv", as idb-keyval names it) and starts the reads listed for it,
 * all in one transaction (one snapshot, as the app's own reads of several keys). Never throws: without IndexedDB
 * nothing is begun, and the app meets the failure where it handles it today.
 */
export function beginEarlyReads(plan: Readonly<Record<string, readonly string[]>>): void {
  performance.mark('nba-daily:early-reads');
  try {
    for (const [dbName, keys] of Object.entries(plan)) {
      const store = createStore(dbName, 'kv');
      opened.set(dbName, store);
      if (keys.length === 0) continue;
      const all = store('readonly', (s) => Promise.all(keys.map((key) => promisifyRequest(s.get(key)))));
      keys.forEach((key, i) => {
        const read = all.then((values) => values[i]);
        // Observed here: a failure reaches whoever takes the read, and is not reported as unhandled meanwhile.
        read.catch(() => undefined);
        reads.set(readKey(dbName, key), read);
      });
    }
  } catch {
    opened.clear();
    reads.clear();
  }
}

/** The database the first script opened under this name, once (then undefined). */
export function takeOpened(dbName: string): UseStore | undefined {
  const store = opened.get(dbName);
  opened.delete(dbName);
  return store;
}

/** The read of `key` the first script started in this database, once (then undefined). */
export function takeRead(dbName: string, key: string): Promise<unknown> | undefined {
  const read = reads.get(readKey(dbName, key));
  reads.delete(readKey(dbName, key));
  return read;
}
