// A base record that does not parse (load 'foreign' before any entry is read) is set aside with the journal entries
// that continue it: the writes since that base are kept in the quarantine copy, never deleted.
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { loadSql, logPlayers, openIdb } from './helpers';

const open: DatabaseStore[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));
const save = (id: string) => logPlayers(id);

const idb = openIdb;
async function all(name: string): Promise<Map<string, unknown>> {
  const db = await idb(name);
  const store = db.transaction('kv').objectStore('kv');
  const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map((r) => new Promise<unknown[]>((res) => (r.onsuccess = () => res(r.result as unknown[])))));
  db.close();
  return new Map(keys.map((k, i) => [JSON.stringify(k), values[i]]));
}
async function put(name: string, key: IDBValidKey, value: unknown) {
  const db = await idb(name);
  const tx = db.transaction('kv', 'readwrite');
  tx.objectStore('kv').put(value, key);
  await new Promise((r) => (tx.oncomplete = r));
  db.close();
}

it('setting aside an unparseable base keeps the journal entries that continue it', async () => {
  const name = `r1-setaside-${Math.random()}`;
  const SQL = await loadSql();
  const { store: a } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), channelName: `r1-${name}` });
  open.push(a);
  await a.write(save('logged-1'));
  await a.write(save('logged-2'));
  const before = await all(name);
  // The base record stops parsing (any shape the schema refuses); the head keys are untouched.
  const record = before.get('"database"') as Record<string, unknown>;
  await put(name, 'database', { ...record, bytes: Array.from(record.bytes as Uint8Array) });
  // A second tab opens: it keeps the unreadable data aside and starts a new database.
  const { store: b } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), channelName: `r1-${name}` });
  open.push(b);
  const after = await all(name);
  const quarantine = [...after.entries()].filter(([k]) => k.startsWith('"quarantine-'));
  // A's next write (the running tab) reads B's new base.
  await a.write(save('after'));
  const stillStored = [...after.keys()].some((k) => k.startsWith('["entries"'));
  const inQuarantine = quarantine.some(([, v]) => JSON.stringify(v).includes('"journal"'));
  expect(stillStored || inQuarantine).toBe(true);
});
