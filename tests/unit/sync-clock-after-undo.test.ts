// An undone save does not take the clock back (restoreSaved keeps the clock the undone write reached): rows stamped
// after the undo are stamped after every clock a round may have recorded (the next commit's hlcBefore), so when
// another device reports that commit damaged, markForResend(hlcBefore) resends them; also with a clock pinned ahead
// of the wall by a skewed device.
import 'fake-indexeddb/auto';
import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { currentHlc } from '../../web/src/lib/db/changes';
import { idbPersistence } from '../../web/src/lib/db/persistence';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import { loadSql, logPlayers, MemoryPersistence, storedPlayers } from './helpers';
import { MemoryChain } from './memory-chain';
import { holdNextAppend, syncDevice } from './sync-device';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});
const open: DatabaseStore[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));

it('after an undone save, rows of the next commit reported damaged are resent', async () => {
  const chain = new MemoryChain();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') }; // one millisecond throughout: the clock's counter orders
  const persistence = idbPersistence(`r2-clock-${Math.random()}`);
  const { store: a, sync: syncA } = await syncDevice({ SQL, chain, time, node: 'device-a', persistence: persistence, opened: open });
  const { store: c, sync: syncC } = await syncDevice({ SQL, chain, time, node: 'device-c', persistence: new MemoryPersistence(), opened: open });

  await a.write(logPlayers('p1'));
  // W: its append waits, then fails.
  const held = holdNextAppend(persistence);
  const w = a.write(logPlayers('w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'));
  await expect.poll(() => a.savePoint().saving !== null).toBe(true);
  const hlcWithW = a.read(currentHlc);
  await syncA(); // round 1 (built while W is being saved): sends p1, records lastBuildHlc = W's clock
  await syncC(); // C has seq 1
  held.settle(new Error('UnknownError: internal IndexedDB error'));
  await expect(w).rejects.toThrow();
  const hlcAfterUndo = a.read(currentHlc);
  await a.write(logPlayers('q1', 'q2', 'q3'));
  await syncA(); // round 2: sends p1, q1..q3 as seq 2 (hlcBefore = W's clock)
  // seq 2 rots in the bucket: C cannot read it, and announces it damaged in its own commit.
  chain.rotHead();
  await syncC();
  await syncA(); // A applies C's commit: markForResend(db, node, hlcBefore of seq 2)
  await syncC();
  await syncA();
  await syncC();
  const seen = storedPlayers(c);
  expect(hlcAfterUndo >= hlcWithW).toBe(true);
  expect(seen).toEqual(expect.arrayContaining(['p1', 'q1', 'q2', 'q3']));
});

it('same, with the wall clock moving (1 s a step) and A’s clock pinned ahead of it by a device whose clock runs 10 minutes fast', async () => {
  const chain = new MemoryChain();
  const time = { now: Date.parse('2026-12-01T12:00:00Z') }; // one millisecond throughout: the clock's counter orders
  const persistence = idbPersistence(`r2-clock-${Math.random()}`);
  const { store: a, sync: syncA } = await syncDevice({ SQL, chain, time, node: 'device-a', persistence: persistence, opened: open });
  const { store: c } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: 'device-c', now: () => time.now + 600_000, channelName: `c-${Math.random()}` });
  open.push(c);
  const stateC = memorySyncState();
  const clientC = chain.client();
  const syncC = () => syncRound({ chain: clientC, store: c, SQL, state: stateC, now: () => time.now + 600_000, build: { stepMs: 0 } });

  await c.write(logPlayers('c0'));
  await syncC();
  await syncA(); // A takes C's clock, 10 minutes ahead of its wall
  const tick = () => (time.now += 1000);
  await a.write(logPlayers('p1'));
  tick();
  // W: its append waits, then fails.
  const held = holdNextAppend(persistence);
  const w = a.write(logPlayers('w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'));
  await expect.poll(() => a.savePoint().saving !== null).toBe(true);
  const hlcWithW = a.read(currentHlc);
  tick();
  await syncA(); // round 1 (built while W is being saved): sends p1, records lastBuildHlc = W's clock
  await syncC(); // C has seq 1
  held.settle(new Error('UnknownError: internal IndexedDB error'));
  await expect(w).rejects.toThrow();
  const hlcAfterUndo = a.read(currentHlc);
  tick();
  await a.write(logPlayers('q1', 'q2', 'q3'));
  tick();
  await syncA(); // round 2: sends p1, q1..q3 as seq 2 (hlcBefore = W's clock)
  // seq 2 rots in the bucket: C cannot read it, and announces it damaged in its own commit.
  chain.rotHead();
  await syncC();
  await syncA(); // A applies C's commit: markForResend(db, node, hlcBefore of seq 2)
  await syncC();
  await syncA();
  await syncC();
  const seen = storedPlayers(c);
  expect(hlcAfterUndo >= hlcWithW).toBe(true);
  expect(seen).toEqual(expect.arrayContaining(['p1', 'q1', 'q2', 'q3']));
});
