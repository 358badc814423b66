// A round keeps its mark only for a write it may have left out: one that began after the build had read every row
// (its rows are past `through`) does not hold the mark back, so back-to-back writes (a backfill) do not make every
// round send everything again.
import 'fake-indexeddb/auto';
import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import { loadSql, logPlayers } from './helpers';
import { MemoryChain } from './memory-chain';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});
const open: DatabaseStore[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));

it('a write begun after the build, still being saved when the round records its mark, does not hold the mark back', async () => {
  const name = `r2-adv-${Math.random()}`;
  const chain = new MemoryChain();
  const state = memorySyncState();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') };
  const persistence = idbPersistence(name);
  const { store } = await DatabaseStore.open({ SQL, persistence, node: 'device-a', now: () => time.now, channelName: `r2-${Math.random()}` });
  open.push(store);
  // Appends wait on a gate (an IndexedDB transaction under way).
  const append = persistence.append.bind(persistence);
  let release: () => void = () => undefined;
  let gated = false;
  persistence.append = async (...args) => {
    if (gated) await new Promise<void>((r) => (release = r));
    return append(...args);
  };
  const client = chain.client();
  const commit = client.commit.bind(client);
  let inFlight: Promise<unknown> | null = null;
  let n = 0;
  // Right after our commit lands (after the build), the app's next write starts and is being saved.
  client.commit = async (seq, body) => {
    const out = await commit(seq, body);
    gated = true;
    inFlight = store.write(logPlayers(`later-${n++}`));
    await expect.poll(() => store.savePoint().saving !== null).toBe(true);
    return out;
  };
  const uploadedThrough = () => (state.holder.raw as { uploadedThrough: number }).uploadedThrough;
  const rows: number[] = [];
  const marks: number[] = [];
  await store.write(logPlayers(...Array.from({ length: 50 }, (_, i) => `p${i}`)));
  for (let round = 0; round < 4; round++) {
    const out = await syncRound({ chain: client, store, SQL, state, now: () => time.now, build: { stepMs: 0 } });
    rows.push(out.rowsUp);
    marks.push(uploadedThrough());
    gated = false;
    release();
    await inFlight;
  }
  // The mark moves past the 50 rows in round 1; each later round sends the one row written since.
  expect(marks[0]).toBeGreaterThan(0);
  expect(marks).toEqual([...marks].sort((x, y) => x - y));
  expect(rows).toEqual([50, 1, 1, 1]);
});
