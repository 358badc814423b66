// The app's sync client (web/src/lib/sync, protocol 2) end to end: real worker app, real Ceph RGW, real gzip
// and SQLite. Each "device" is a DatabaseStore with its own in-memory persistence, sync state and clock.
// One test per way rows were lost with protocol 1 (issue 8, "Why"), plus the damaged-object recovery rule.
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { changesetKey, snapshotKey } from '../../../presign-worker/src/keys';
import { DatabaseStore } from '../../../web/src/lib/db/store';
import { countPredictions, listPredictions, savePredictions } from '../../../web/src/lib/db/predictions-repo';
import { upsertGameLogs, upsertGames } from '../../../web/src/lib/db/league-repo';
import type { Game, PlayerGameLog } from '../../../web/src/lib/domain/types';
import { TABLE } from '../../../web/src/lib/db/tables';
import { GaveUpError, RemoteDataError, SyncHttpError, WorkerApi, WorkerChain, syncRound } from '../../../web/src/lib/sync';
import { encodeChangeset } from '../../../web/src/lib/sync/changeset';
import { gzip } from '../../../web/src/lib/sync/gzip';
import { memorySyncState, type SyncStateOwner } from '../../../web/src/lib/sync/state';
import { MemoryPersistence, prediction } from '../../unit/helpers';
import { app, client, makeEnv, putTo, rawStore, tenant, type Tenant } from '../helpers';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

interface DeviceOptions {
  workerDown?: boolean;
  beforePut?: () => Promise<void>;
  /** Rewrites S3 GET responses (truncation). */
  onS3Get?: (bytes: Uint8Array) => Uint8Array;
  skewMs?: number;
  state?: SyncStateOwner;
  maxAttempts?: number;
}

async function device(name: string, env: object, token: string, options: DeviceOptions = {}) {
  const clock = { skew: options.skewMs ?? 0 };
  const now = () => Date.now() + clock.skew;
  const { store } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: name, now, channelName: `sync-${name}-${Math.random()}` });
  const state = options.state ?? memorySyncState();
  const log: string[] = [];
  const hooks = { onS3Get: options.onS3Get, beforePut: options.beforePut };
  const traced: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (init?.method === 'PUT') await hooks.beforePut?.();
    let r =
      url.host === 'worker.test'
        ? options.workerDown
          ? await Promise.reject(new TypeError('fetch failed'))
          : await app.fetch(new Request(url, init), env)
        : await fetch(url, init);
    if (url.host !== 'worker.test' && (init?.method ?? 'GET') === 'GET' && hooks.onS3Get && r.ok) {
      const bytes = hooks.onS3Get(new Uint8Array(await r.arrayBuffer()));
      hooks.onS3Get = undefined;
      r = new Response(bytes as BlobPart, { status: 200, headers: r.headers });
    }
    log.push(`${init?.method ?? 'GET'} ${url.host === 'worker.test' ? url.pathname : 'S3'} -> ${r.status}`);
    return r;
  };
  const api = new WorkerApi({ workerUrl: 'http://worker.test/', token }, traced);
  return {
    name,
    store,
    state,
    log,
    clock,
    hooks,
    sync: () => syncRound({ chain: new WorkerChain(api, traced), store, SQL, state, now, maxAttempts: options.maxAttempts }),
  };
}
type Device = Awaited<ReturnType<typeof device>>;

const logRows = (d: Device, ids: string[], points = 20) =>
  d.store.write((db) => savePredictions(db, ids.map((id) => prediction({ playerId: id, projectedPoints: points }))));
const keys = (d: Device) => d.store.read((db) => listPredictions(db).map((p) => p.playerId).sort());
const points = (d: Device, id: string) => d.store.read((db) => listPredictions(db).find((p) => p.playerId === id)?.projectedPoints);
const headSeq = async (env: object, t: Tenant) => (await client(env, t).begin(0)).json.head?.seq ?? 0;

/** Puts `bytes` at `key` in the tenant's namespace directly (a broken writer, or bit rot when it replaces). */
async function rawPut(t: Tenant, key: string, bytes: Uint8Array) {
  const store = rawStore(t);
  await store.delete(key).catch(() => undefined);
  const req = await store.presignPut(key, { contentType: 'application/gzip', contentLength: bytes.length, expiresIn: 60 });
  const put = await putTo(req.url, req.headers, bytes as Uint8Array<ArrayBuffer>);
  expect(put.status).toBe(200);
}

async function commitGarbage(env: object, t: Tenant, seq: number, bytes: Uint8Array) {
  const grant = await client(env, t).commit(seq, bytes.length);
  expect(grant.status).toBe(200);
  expect((await putTo(grant.json.url, grant.json.headers, bytes as Uint8Array<ArrayBuffer>)).status).toBe(200);
}

describe('sync client (protocol 2) against the real worker and RGW', () => {
  it('uploads a changeset, a new device adopts the snapshot as is and uploads nothing back', async () => {
    const t = tenant('sync2-plan');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['p1', 'p2', 'p3']);
    const first = await a.sync();
    expect(first).toMatchObject({ pushed: true, seq: 1, snapshotSeq: 1 }); // first generation: a snapshot is due

    const b = await device('b', env, t.token);
    const restored = await b.sync();
    expect(restored).toMatchObject({ adopted: true, pushed: false, bytesUp: 0 });
    expect(b.store.read((db) => listPredictions(db))).toEqual(a.store.read((db) => listPredictions(db)));
    // The protocol-1 bug: the new device re-uploaded the whole database right after downloading it.
    expect(await b.sync()).toMatchObject({ pushed: false, requests: 1 });

    await logRows(b, ['p4', 'p5']);
    const up = await b.sync();
    expect(up).toMatchObject({ pushed: true, rowsUp: 2 });
    await a.sync();
    expect(keys(a)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  /** `days` days of history, 4 games a day with 10 lines each, as a backfill writes them (the same on every device). */
  const history = (days: number[]) => {
    const games: Game[] = [];
    const lines: PlayerGameLog[] = [];
    for (const d of days) {
      const date = `2026-11-${String(d).padStart(2, '0')}`;
      for (let g = 0; g < 4; g++) {
        const id = `${date}-g${g}`;
        games.push({ id, date, tipoff: `${date}T23:30:00Z`, homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'final', homeScore: 100 + g, awayScore: 98 });
        for (let p = 0; p < 10; p++) {
          lines.push({ gameId: id, playerId: `pl${g}-${p}`, teamId: 'BOS', opponentId: 'NYK', date, home: true, played: true, starter: p < 5, minutes: 20 + p, points: p * 2 + d, rebounds: 3, assists: 2, threesMade: 1, dnpReason: null });
        }
      }
    }
    return { games, lines, rows: games.length + lines.length };
  };
  const backfill = (d: Device, days: number[]) =>
    d.store.write((db) => {
      const h = history(days);
      upsertGames(db, h.games, 'nba');
      upsertGameLogs(db, h.lines);
    });

  it('a device that loaded part of the history before its first sync uploads only what the chain lacks, not the facts it already has', async () => {
    const t = tenant('sync2-half-loaded');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await backfill(a, [1, 2, 3, 4, 5, 6]);
    await logRows(a, ['a1']);
    await a.sync(); // the whole history in the chain

    const b = await device('b', env, t.token); // connects while its own backfill is half done, with its clock later
    b.clock.skew = 60_000;
    await backfill(b, [1, 2, 3]); // the same facts, stamped later
    await backfill(b, [7]); // and one day the chain does not have yet
    const first = await b.sync();
    expect(first.pushed).toBe(true);
    expect(first.rowsUp).toBe(history([7]).rows); // not the 3 days the chain already held
    await backfill(b, [4, 5, 6]); // the backfill finishes after the sync: nothing changes, nothing to upload
    expect(await b.sync()).toMatchObject({ pushed: false, requests: 1 });
    await a.sync();
    const count = (d: Device) => d.store.read((db) => Number(db.exec('SELECT COUNT(*) FROM player_game_logs')[0].values[0][0]));
    expect(count(a)).toBe(history([1, 2, 3, 4, 5, 6, 7]).lines.length);
    expect(count(b)).toBe(count(a));
    expect(keys(b)).toEqual(['a1']);
  });

  it('a sync with nothing new is one request', async () => {
    const t = tenant('sync2-noop');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['p1']);
    await a.sync();
    a.log.length = 0;
    expect(await a.sync()).toMatchObject({ pulled: false, pushed: false, requests: 1 });
    expect(a.log).toEqual(['POST /v1/sync/begin -> 200']);
  });

  it('a database set aside (quarantined) never reuses the sync state of the one it replaced', async () => {
    const t = tenant('sync2-quarantine');
    const env = makeEnv([t]);
    const state = memorySyncState();
    const a = await device('a', env, t.token, { state });
    await logRows(a, ['p1', 'p2']);
    await a.sync();
    const head = await headSeq(env, t);
    // Same browser profile, same sync state, but a fresh empty database (the quarantine path in db/store.ts).
    const fresh = await device('a', env, t.token, { state });
    const outcome = await fresh.sync();
    expect(outcome).toMatchObject({ adopted: true, pushed: false });
    expect(await headSeq(env, t)).toBe(head); // nothing (and certainly no empty database) committed over the chain
    expect(keys(fresh)).toEqual(['p1', 'p2']);
  });

  it('a truncated download is a network error: nothing applied, nothing committed; the next sync gets it all', async () => {
    const t = tenant('sync2-truncated');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['only-a']);
    await a.sync();
    await logRows(a, ['a2']);
    await a.sync();
    const b = await device('b', env, t.token, { onS3Get: (bytes) => bytes.slice(0, bytes.length - 7) });
    await logRows(b, ['only-b']);
    await expect(b.sync()).rejects.toThrow(SyncHttpError);
    await expect(b.sync().then(() => 'ok')).resolves.toBe('ok'); // the hook fires once
    expect(keys(b)).toEqual(['a2', 'only-a', 'only-b']);
    await a.sync();
    expect(keys(a)).toEqual(keys(b));
  });

  it('garbage in the middle of the chain, its writer gone: skipped and reported, nothing overwritten, everyone else converges', async () => {
    const t = tenant('sync2-garbage');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['a1']);
    await a.sync(); // seq 1 (+ snapshot 1)
    await commitGarbage(env, t, 2, await gzip(new TextEncoder().encode('not a changeset'.repeat(10)))); // a writer that is gone
    await logRows(a, ['a2']);
    expect(await a.sync()).toMatchObject({ pushed: true, seq: 3, skipped: [{ seq: 2, kind: 'damaged' }] });

    const b = await device('b', env, t.token);
    await logRows(b, ['b1']);
    const outcome = await b.sync();
    expect(outcome.skipped).toEqual([expect.objectContaining({ seq: 2, kind: 'damaged' })]);
    expect(outcome.pushed).toBe(true);
    await a.sync();
    expect(keys(a)).toEqual(['a1', 'a2', 'b1']);
    expect(keys(b)).toEqual(keys(a));
  });

  it('a damaged commit of a device that is still around comes back: readers announce it, its writer re-sends', async () => {
    const t = tenant('sync2-resend');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    const b = await device('b', env, t.token);
    await logRows(a, ['a1']);
    await a.sync(); // seq 1, snapshot 1
    await logRows(a, ['a2', 'a3']);
    await a.sync(); // seq 2 holds a2, a3
    await rawPut(t, changesetKey(2), await gzip(new TextEncoder().encode('bit rot'))); // the object rots in storage
    await logRows(b, ['b1']);
    expect((await b.sync()).skipped.map((s) => s.seq)).toEqual([2]); // b announces seq 2 in its changeset (seq 3)
    expect(keys(b)).toEqual(['a1', 'b1']);
    await a.sync(); // a reads b's changeset, sees its seq 2 named, re-sends a2 and a3
    await b.sync();
    expect(keys(b)).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(keys(a)).toEqual(keys(b));
  });

  /** Asks the worker for snapshot `seq` and uploads `bytes` there (a snapshot writer that is gone). */
  async function snapshotGarbage(env: object, t: Tenant, seq: number, bytes: Uint8Array) {
    const grant = await client(env, t).snapshot(seq, bytes.length);
    expect(grant.status, JSON.stringify(grant.json)).toBe(200);
    expect((await putTo(grant.json.url, grant.json.headers, bytes as Uint8Array<ArrayBuffer>)).status).toBe(200);
  }

  it('the newest snapshot is garbage, its writer gone: a new device falls back to the older one + changesets, restores everything and replaces it', async () => {
    const t = tenant('sync2-snap-fallback');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['a1']);
    await a.sync(); // seq 1 + snapshot 1
    await logRows(a, ['a2', 'a3']);
    await a.sync(); // seq 2
    await snapshotGarbage(env, t, 2, await gzip(new TextEncoder().encode('not a database'.repeat(50))));

    const b = await device('b', env, t.token);
    const restored = await b.sync();
    expect(restored.skipped).toEqual([expect.objectContaining({ seq: 2, kind: 'damaged' })]);
    expect(restored).toMatchObject({ adopted: true, pushed: true, seq: 3, snapshotSeq: 3 }); // announced at seq 3, replaced
    expect(keys(b)).toEqual(['a1', 'a2', 'a3']);
    expect(await rawStore(t).head(snapshotKey(3))).not.toBeNull();

    const c = await device('c', env, t.token); // the next new device adopts the replacement directly
    expect(await c.sync()).toMatchObject({ adopted: true, pushed: false, skipped: [] });
    expect(keys(c)).toEqual(['a1', 'a2', 'a3']);

    // the existing device keeps syncing; it sees the announcement, finds it answered and writes no snapshot
    await logRows(a, ['a4']);
    expect(await a.sync()).toMatchObject({ pushed: true, seq: 4, snapshotSeq: null, skipped: [] });
    await b.sync();
    await c.sync();
    for (const d of [a, b, c]) expect(keys(d)).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('a garbage newest snapshot with the changesets below it pruned: the fallback device waits for a replacement from a device in sync', async () => {
    const t = tenant('sync2-snap-fallback-pruned');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['a1']);
    await a.sync(); // seq 1 + snapshot 1
    await logRows(a, ['a2']);
    await a.sync(); // seq 2
    await logRows(a, ['a3']);
    await a.sync(); // seq 3
    await snapshotGarbage(env, t, 3, await gzip(new TextEncoder().encode('rot')));
    await rawStore(t).delete(changesetKey(2)); // pruned after the grace period: a2 lives only in a and snapshot 3

    const b = await device('b', env, t.token);
    await logRows(b, ['b1']);
    const first = await b.sync();
    expect(first.skipped.map((s) => s.seq)).toEqual([3]);
    expect(first).toMatchObject({ adopted: false, pushed: true, seq: 4, snapshotSeq: null }); // merged (b had a row); no snapshot from a database with a hole
    expect(keys(b)).toEqual(['a1', 'a3', 'b1']);

    const replaced = await a.sync(); // reads b's announcement, is in sync, writes the replacement
    expect(replaced).toMatchObject({ pushed: false, snapshotSeq: 4 });
    const healed = await b.sync(); // a snapshot above the damaged one exists: merged, the hole is filled
    expect(healed.pulled).toBe(true);
    expect(keys(b)).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(await b.state.load()).toMatchObject({ incomplete: null, damagedSnapshots: [] });
    expect(await b.sync()).toMatchObject({ pushed: false, requests: 1 });
    expect(await a.sync()).toMatchObject({ pushed: false, requests: 1 });
    const c = await device('c', env, t.token);
    await c.sync();
    expect(keys(c)).toEqual(['a1', 'a2', 'a3', 'b1']);
  });

  it('an object that cannot be merged is reported as remote data, not retried as a network error, and blocks nobody', async () => {
    const t = tenant('sync2-unmergeable');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['a1']);
    await a.sync();
    // A current-format changeset whose predictions lack a column (hlc): it cannot be merged.
    const columns = TABLE.predictions.columns.filter((c) => c !== 'hlc');
    const bad = await gzip(
      new TextEncoder().encode(JSON.stringify({ format: 'nba-daily/changeset', version: 1, schema: 3, db: 'x', node: 'x', damaged: [], tables: { predictions: { columns, rows: [] } } })),
    );
    await commitGarbage(env, t, 2, bad);
    await logRows(a, ['a2']);
    const outcome = await a.sync();
    expect(outcome).toMatchObject({ pushed: true, seq: 3, skipped: [{ seq: 2, kind: 'unmergeable' }] });
    expect(await a.sync()).toMatchObject({ pushed: false, requests: 1 }); // does not throw forever either
  });

  it('a changeset from a newer app stops the sync with "update the app" and commits nothing', async () => {
    const t = tenant('sync2-newer');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['a1']);
    const newer = await gzip(new TextEncoder().encode(JSON.stringify({ format: 'nba-daily/changeset', version: 99, schema: 3 })));
    await commitGarbage(env, t, 1, newer);
    const error = await a.sync().catch((e: Error) => e);
    expect(error).toBeInstanceOf(RemoteDataError);
    expect((error as RemoteDataError).kind).toBe('newer');
    expect((error as Error).message).toMatch(/Update the app/);
    expect(await headSeq(env, t)).toBe(1);
    expect(keys(a)).toEqual(['a1']);
  });

  it('a device an hour fast neither re-uploads nor beats an edit made after its write was seen', async () => {
    const t = tenant('sync2-fast-clock');
    const env = makeEnv([t]);
    const fast = await device('fast', env, t.token, { skewMs: 3_600_000 });
    const right = await device('right', env, t.token);
    await logRows(fast, ['p1'], 30);
    await fast.sync();
    await right.sync();
    await logRows(right, ['p1'], 12); // a later edit on a correct clock, after seeing the fast device's write
    await right.sync();
    await fast.sync();
    expect(points(fast, 'p1')).toBe(12);
    expect(points(right, 'p1')).toBe(12);
    for (const d of [fast, right, fast, right]) expect(await d.sync()).toMatchObject({ pushed: false, requests: 1 });
  });

  it('seven devices racing for one seq: those that give up say so (GaveUpError), and everyone converges after', async () => {
    const t = tenant('sync2-seven');
    const env = makeEnv([t]);
    let granted = 0;
    let release!: () => void;
    const allGranted = new Promise<void>((resolve) => (release = resolve));
    const barrier = async () => {
      if (++granted === 7) release();
      await allGranted;
    };
    const devices = await Promise.all(Array.from({ length: 7 }, (_, i) => device(`d${i}`, env, t.token, { beforePut: barrier, maxAttempts: 1 })));
    for (const d of devices) await logRows(d, [d.name]);
    const results = await Promise.allSettled(devices.map((d) => d.sync()));
    const won = results.filter((r) => r.status === 'fulfilled');
    const gaveUp = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(gaveUp).toHaveLength(6);
    for (const r of gaveUp) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(GaveUpError);
    for (const d of devices) d.hooks.beforePut = undefined;
    for (let round = 0; round < 2; round++) for (const d of devices) await d.sync();
    for (const d of devices) expect(keys(d)).toEqual(devices.map((x) => x.name).sort());
  });

  it('a write that lands while a sync is uploading stays pending and goes up with the next sync', async () => {
    const t = tenant('sync2-late-write');
    const env = makeEnv([t]);
    let a!: Device;
    let once = true;
    a = await device('a', env, t.token, {
      beforePut: async () => {
        if (once) {
          once = false;
          await logRows(a, ['late']);
        }
      },
    });
    await logRows(a, ['early']);
    const first = await a.sync();
    expect(first.rowsUp).toBe(1);
    const second = await a.sync();
    expect(second).toMatchObject({ pushed: true, rowsUp: 1 });
    const b = await device('b', env, t.token);
    await b.sync();
    expect(keys(b)).toEqual(['early', 'late']);
  });

  it('with the worker down the sync fails clearly and nothing local changes', async () => {
    const t = tenant('sync2-down');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token, { workerDown: true });
    await logRows(a, ['p1']);
    await expect(a.sync()).rejects.toThrow(/could not be reached/);
    expect(a.store.read((db) => countPredictions(db))).toBe(1);
  });
});
