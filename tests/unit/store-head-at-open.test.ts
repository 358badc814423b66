// A stored head (the base id and generation keys every append and save checks) that is not the stored base's, met
// when a tab opens: the tab repairs it with a new base checked against that head, never ends in memory mode.
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { loadSql, storedPlayers, logPlayers, openIdb } from './helpers';

const open: DatabaseStore[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));
const players = storedPlayers;
const save = (id: string) => logPlayers(id);

const idb = openIdb;
async function edit(name: string, fn: (kv: IDBObjectStore) => void) {
  const db = await idb(name);
  const tx = db.transaction('kv', 'readwrite');
  fn(tx.objectStore('kv'));
  await new Promise((r) => (tx.oncomplete = r));
  db.close();
}

it('a tab opening on orphaned entries (or a migration) with a disagreeing stored head still saves (not memory mode)', async () => {
  const name = `r1-open-head-${Math.random()}`;
  const SQL = await loadSql();
  const { store: a } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), channelName: `r1-${name}` });
  await a.write(save('base-row'));
  const copy = a.exportBytes();
  await a.write(save('entry-row')); // an entry of A's base
  a.close();
  // Another base over it (as an older build's tab stores one), whose head keys disagree with it (generation 41, not 5).
  await edit(name, (kv) => {
    kv.put({ format: 2, generation: 5, savedAt: 0, bytes: copy, baseId: 'other-base' }, 'database');
    kv.put('other-base', 'database-base-id');
    kv.put(41, 'database-generation');
  });
  const { store: b } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), channelName: `r1-${name}-b` });
  open.push(b);
  await b.write(save('later'));
  const { store: c } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), channelName: `r1-${name}-c` });
  open.push(c);
  expect(b.mode).toBe('persistent');
  expect(players(c)).toContain('later');
});

it('a stored head left without its base (the base key alone missing) does not refuse every write and every open', async () => {
  const name = `r1-headless-${Math.random()}`;
  const SQL = await loadSql();
  const { store: a } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), channelName: `r1-${name}` });
  open.push(a);
  await a.write(save('before'));
  await edit(name, (kv) => kv.delete('database'));
  const results: string[] = [];
  for (const id of ['w1', 'w2']) await a.write(save(id)).then(() => results.push('saved'), (e) => results.push((e as Error).message));
  const { store: b } = await DatabaseStore.open({ SQL, persistence: idbPersistence(name), channelName: `r1-${name}-b` });
  open.push(b);
  expect(results).toEqual(['saved', 'saved']);
  expect(b.mode).toBe('persistent');
});
