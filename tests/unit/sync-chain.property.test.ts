// Property test of sync protocol 2 over random multi-device histories: real DatabaseStores (sql.js, the v3
// triggers), the real sync round, an in-memory chain with the worker's rules. Histories mix writes, edits,
// tombstones, offline periods, skewed and stepped clocks, concurrent syncs racing for one seq, lost PUT
// responses, truncated downloads, garbage objects and snapshots that rot (a device that joins later falls back
// to an older snapshot or the chain from seq 1). After every device has synced enough:
// - every device holds the same tables;
// - the winner of every key is the version the documented rule picks (the highest hybrid-logical-clock stamp);
// - no write is lost (each key ends on its winning write, none on an older one);
// - a device that had seen a version stamped its next edit after it, whatever its wall clock said;
// - a sync with nothing new is exactly one request (no re-uploads from a skewed clock).
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { TABLES } from '../../web/src/lib/db/tables';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import { loadSql, MemoryPersistence, prediction } from './helpers';
import { MemoryChain, type DeviceFaults } from './memory-chain';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSql();
});

const KEYS = ['p1', 'p2', 'p3', 'p4'];
const HOUR = 3_600_000;

type Op =
  | { kind: 'write'; device: number; key: number; points: number }
  | { kind: 'tombstone'; device: number; key: number }
  | { kind: 'sync'; device: number }
  /** A sync whose changeset is built one row per step, with these writes landing between its steps. */
  | { kind: 'sync-with-writes'; device: number; writes: { step: number; key: number; points: number }[] }
  | { kind: 'race' }
  | { kind: 'offline'; device: number; on: boolean }
  | { kind: 'step-clock'; device: number; ms: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'truncate-next'; device: number }
  | { kind: 'lose-put-response'; device: number }
  | { kind: 'garbage'; bytes: Uint8Array }
  | { kind: 'rot-snapshot'; bytes: Uint8Array };

const op = (devices: number): fc.Arbitrary<Op> => {
  const device = fc.integer({ min: 0, max: devices - 1 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('write' as const), device, key: fc.integer({ min: 0, max: KEYS.length - 1 }), points: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tombstone' as const), device, key: fc.integer({ min: 0, max: KEYS.length - 1 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), device }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('sync-with-writes' as const),
        device,
        writes: fc.array(fc.record({ step: fc.integer({ min: 0, max: 4 }), key: fc.integer({ min: 0, max: KEYS.length - 1 }), points: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 3 }),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'race' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('offline' as const), device, on: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('step-clock' as const), device, ms: fc.integer({ min: -2 * HOUR, max: 2 * HOUR }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 120_000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate-next' as const), device }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('lose-put-response' as const), device }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 0, maxLength: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('rot-snapshot' as const), bytes: fc.uint8Array({ minLength: 0, maxLength: 40 }) }) },
  );
};

interface Written {
  key: string;
  hlc: string;
  points: number;
  deleted: boolean;
}

async function device(chain: MemoryChain, name: string, skewMs: number, time: { now: number }) {
  const clock = { skew: skewMs };
  const now = () => time.now + clock.skew;
  const { store } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: name, now, channelName: `prop-${name}-${Math.random()}` });
  const faults: DeviceFaults = {};
  const client = chain.client(faults);
  const state = memorySyncState();
  return {
    name, store, clock, faults, client,
    sync: (build: { rowsPerStep?: number; pause?: () => Promise<void> } = {}) =>
      syncRound({ chain: client, store, SQL, state, now, build: { pageRows: build.rowsPerStep, stepMs: 0, pause: build.pause } }),
  };
}

type Device = Awaited<ReturnType<typeof device>>;

const rowOf = (d: Device, key: string) =>
  d.store.read((db) => db.exec(`SELECT hlc, projected_points, deleted FROM predictions WHERE player_id = '${key}'`)[0]?.values[0]);
const maxHlc = (d: Device) =>
  d.store.read((db) => String(db.exec(`SELECT MAX(hlc) FROM (${TABLES.map((t) => `SELECT hlc FROM ${t.name}`).join(' UNION ALL ')})`)[0].values[0][0] ?? ''));
const dump = (d: Device) =>
  d.store.read((db) => TABLES.map((t) => db.exec(`SELECT ${t.columns.join(', ')} FROM ${t.name} ORDER BY ${t.key.join(', ')}`)[0]?.values ?? []));

async function write(d: Device, key: string, change: { points?: number; deleted?: boolean }, log: Written[]): Promise<void> {
  const seen = maxHlc(d);
  const before = rowOf(d, key);
  const current = before ? { points: Number(before[1]) } : { points: 20 };
  await d.store.write((db) =>
    savePredictions(db, [prediction({ playerId: key, projectedPoints: change.points ?? current.points, deleted: change.deleted ?? false })]),
  );
  const after = rowOf(d, key)!;
  if (before && after[0] === before[0]) return; // nothing changed: not a write
  const hlc = String(after[0]);
  // A device that has seen a version stamps its next edit after it, whatever its wall clock says.
  expect(hlc > seen).toBe(true);
  log.push({ key, hlc, points: Number(after[1]), deleted: Number(after[2]) === 1 });
}

async function run(skews: number[], ops: Op[]): Promise<void> {
  const chain = new MemoryChain();
  const time = { now: 1_800_000_000_000 };
  const devices: Device[] = [];
  for (let i = 0; i < skews.length; i++) devices.push(await device(chain, `dev${i}`, skews[i], time));
  const log: Written[] = [];
  const trySync = (d: Device, build?: Parameters<Device['sync']>[0]) => d.sync(build).catch((error: Error) => {
    // Network faults and lost races are expected mid-history; anything else is a bug.
    if (!['SyncHttpError', 'GaveUpError'].includes(error.name)) throw error;
  });

  for (const o of ops) {
    time.now += 1000;
    switch (o.kind) {
      case 'write':
        await write(devices[o.device], KEYS[o.key], { points: o.points }, log);
        break;
      case 'tombstone':
        await write(devices[o.device], KEYS[o.key], { deleted: true }, log);
        break;
      case 'sync':
        await trySync(devices[o.device]);
        break;
      case 'sync-with-writes': {
        const d = devices[o.device];
        let step = 0;
        const pause = async () => {
          for (const w of o.writes.filter((x) => x.step === step)) await write(d, KEYS[w.key], { points: w.points }, log);
          step++;
        };
        await trySync(d, { rowsPerStep: 1, pause });
        break;
      }
      case 'race':
        await Promise.all(devices.map((d) => trySync(d)));
        break;
      case 'offline':
        devices[o.device].faults.offline = o.on;
        break;
      case 'step-clock':
        devices[o.device].clock.skew += o.ms;
        break;
      case 'wait':
        time.now += o.ms;
        break;
      case 'truncate-next':
        devices[o.device].faults.truncateNext = true;
        break;
      case 'lose-put-response':
        devices[o.device].faults.losePutResponse = true;
        break;
      case 'garbage':
        chain.inject(o.bytes);
        break;
      case 'rot-snapshot':
        chain.rotNewestSnapshot(o.bytes);
        break;
    }
  }

  // Everyone back online, every fault gone: sync round-robin until nothing moves.
  for (const d of devices) Object.assign(d.faults, { offline: false, truncateNext: false, losePutResponse: false });
  for (let round = 0; round < 3; round++) for (const d of devices) await d.sync();

  const reference = dump(devices[0]);
  for (const d of devices.slice(1)) expect(dump(d)).toEqual(reference);

  for (const key of KEYS) {
    const versions = log.filter((w) => w.key === key);
    const row = rowOf(devices[0], key);
    if (versions.length === 0) {
      expect(row).toBeUndefined();
      continue;
    }
    const winner = versions.reduce((a, b) => (b.hlc > a.hlc ? b : a));
    expect(row && { hlc: String(row[0]), points: Number(row[1]), deleted: Number(row[2]) === 1 }).toEqual({
      hlc: winner.hlc,
      points: winner.points,
      deleted: winner.deleted,
    });
  }

  // In sync: one request each, nothing uploaded, even for devices with skewed clocks.
  for (const d of devices) {
    const outcome = await d.sync();
    expect(outcome).toMatchObject({ pushed: false, requests: 1, bytesUp: 0 });
  }
}

describe('sync protocol 2 over random multi-device histories', { timeout: 240_000 }, () => {
  it('converges, picks the highest clock stamp per key, loses no write, and goes quiet', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), { minLength: 2, maxLength: 3 }).chain((skews) =>
          fc.tuple(fc.constant(skews), fc.array(op(skews.length), { minLength: 1, maxLength: 30 })),
        ),
        async ([skews, ops]) => run(skews, ops),
      ),
      {
        numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 40),
        examples: [
          // Found by this test (CI, seed -1070664837): a snapshot rotted to 0 bytes with no changeset after it
          // made the in-memory chain call a snapshot due on every begin (0 bytes ≥ 25% of 0); the worker's rule
          // wants at least one changeset since. Every quiet sync then cost a second request.
          [[[958975, 2957041], [
            { kind: 'garbage', bytes: new Uint8Array() }, { kind: 'race' }, { kind: 'rot-snapshot', bytes: new Uint8Array() }, { kind: 'offline', device: 0, on: false },
          ]]],
          // Found by this test: two devices write the same prediction; the later one's pending copy must not yield
          // to the earlier version just because the content is equal (the clock rule orders user writes).
          [[[2980687, 1162578, 4394827], [
            { kind: 'write', device: 2, key: 0, points: 3 }, { kind: 'write', device: 0, key: 0, points: 3 }, { kind: 'offline', device: 0, on: false },
          ]]],
        ],
      },
    );
  });
});
