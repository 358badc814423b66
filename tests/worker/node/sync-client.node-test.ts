// The app's sync client (web/src/lib/sync) end to end: real worker app, real Ceph RGW, real gzip and SQLite.
// Each "device" is a DatabaseStore with its own in-memory persistence and sync state.
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatabaseStore } from '../../../web/src/lib/db/store';
import { countPredictions, listPredictions, savePredictions } from '../../../web/src/lib/db/predictions-repo';
import { WorkerApi } from '../../../web/src/lib/sync/api';
import { memorySyncState } from '../../../web/src/lib/sync/state';
import { RemoteDatabaseError, syncOnce } from '../../../web/src/lib/sync/sync-once';
import { gzip } from '../../../web/src/lib/sync/gzip';
import { MemoryPersistence, prediction } from '../../unit/helpers';
import { app, client, makeEnv, tenant } from '../helpers';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

interface Device {
  store: DatabaseStore;
  state: ReturnType<typeof memorySyncState>;
  sync(): ReturnType<typeof syncOnce>;
  /** Every request the device made, worker and S3: `METHOD host/path -> status`. */
  log: string[];
}

async function device(
  name: string,
  env: object,
  token: string,
  options: { workerDown?: boolean; beforePut?: () => Promise<void> } = {},
): Promise<Device> {
  const { store } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), channelName: `sync-${name}-${Math.random()}` });
  const state = memorySyncState();
  const log: string[] = [];
  const traced: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (init?.method === 'PUT') await options.beforePut?.();
    const response =
      url.host === 'worker.test'
        ? options.workerDown
          ? Promise.reject(new TypeError('fetch failed'))
          : app.fetch(new Request(url, init), env)
        : fetch(url, init);
    const r = await response;
    log.push(`${init?.method ?? 'GET'} ${url.host === 'worker.test' ? url.pathname : 'S3'} -> ${r.status}`);
    return r;
  };
  const api = new WorkerApi({ workerUrl: 'http://worker.test/', token }, traced);
  return {
    store,
    state,
    log,
    sync: () => syncOnce({ api, store, SQL, state, now: Date.now, fetchImpl: traced }),
  };
}

const logRows = (d: Device, ids: string[], date = '2026-11-20') =>
  d.store.write((db) => savePredictions(db, ids.map((id) => prediction({ playerId: id, gameDate: date, deviceId: 'x', updatedAt: Date.now() }))));
const keys = (d: Device) => d.store.read((db) => listPredictions(db).map((p) => `${p.playerId}@${p.gameDate}`).sort());

describe('sync client against the real worker and RGW', () => {
  it('uploads, restores onto an empty device, and re-uploads without duplicates', async () => {
    const t = tenant('sync-plan');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['p1', 'p2', 'p3']);
    const first = await a.sync();
    expect(first).toMatchObject({ pushed: true, pulled: false, seq: 1 });

    // "Delete the local copy": a brand-new device with the same token.
    const b = await device('b', env, t.token);
    const restored = await b.sync();
    expect(restored.pulled).toBe(true);
    expect(keys(b)).toEqual(keys(a));
    expect(b.store.read((db) => listPredictions(db))).toEqual(a.store.read((db) => listPredictions(db)));

    await logRows(b, ['p4', 'p5']);
    expect((await b.sync()).pushed).toBe(true);
    await a.sync();
    expect(a.store.read((db) => countPredictions(db))).toBe(5);
    expect(keys(a)).toEqual(keys(b));
  });

  it('a sync with nothing new is one request', async () => {
    const t = tenant('sync-noop');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['p1']);
    await a.sync();
    a.log.length = 0;
    const outcome = await a.sync();
    expect(outcome).toMatchObject({ pulled: false, pushed: false, requests: 1 });
    expect(a.log).toEqual(['POST /v1/sync/begin -> 200']);
  });

  it('two devices edit offline, then sync at the same moment: one loses the race, retries, both converge', async () => {
    const t = tenant('sync-race');
    const env = makeEnv([t]);
    // Both devices hold an upload grant for the same generation before either uploads: S3 must pick one.
    let granted = 0;
    let release!: () => void;
    const bothGranted = new Promise<void>((resolve) => (release = resolve));
    const barrier = async () => {
      if (++granted === 2) release();
      await bothGranted;
    };
    const a = await device('a', env, t.token, { beforePut: barrier });
    const b = await device('b', env, t.token, { beforePut: barrier });
    await logRows(a, ['a1', 'a2']);
    await logRows(b, ['b1', 'b2', 'b3']);
    await Promise.all([a.sync(), b.sync()]);
    // Exactly one first upload lost with 412; that device merged the winner's data and committed the next one.
    const lost = [...a.log, ...b.log].filter((l) => l === 'PUT S3 -> 412');
    expect(lost).toHaveLength(1);
    expect([...a.log, ...b.log].filter((l) => l === 'PUT S3 -> 200')).toHaveLength(2);
    await a.sync(); // pick up the winner's merge result
    await b.sync();
    expect(keys(a)).toEqual(['a1@2026-11-20', 'a2@2026-11-20', 'b1@2026-11-20', 'b2@2026-11-20', 'b3@2026-11-20']);
    expect(keys(b)).toEqual(keys(a));
  });

  it('a corrupt head is never merged, local data stays intact, and the next sync heals the chain', async () => {
    const t = tenant('sync-corrupt');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['p1']);
    await a.sync();
    // Someone uploads garbage as generation 2 through a legitimate grant.
    const garbage = await gzip(new TextEncoder().encode('definitely not sqlite'.repeat(20)));
    const grant = await client(env, t).commit(2, garbage.length);
    const put = await fetch(grant.json.url, { method: 'PUT', headers: { 'Content-Type': 'application/gzip', 'If-None-Match': '*' }, body: new Blob([garbage as BlobPart]) });
    expect(put.status).toBe(200);

    // The next device to sync keeps its data, skips the damaged generation and commits on top of it.
    const b = await device('b', env, t.token);
    await logRows(b, ['mine']);
    const healed = await b.sync();
    expect(healed).toMatchObject({ skippedGeneration: 2, pushed: true, seq: 3 });
    expect(keys(b)).toEqual(['mine@2026-11-20']);
    await a.sync();
    await b.sync();
    expect(keys(a)).toEqual(['mine@2026-11-20', 'p1@2026-11-20']);
    expect(keys(b)).toEqual(keys(a));
  });

  it('a database from a newer app version is not merged and nothing is committed over it', async () => {
    const t = tenant('sync-newer');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token);
    await logRows(a, ['p1']);
    const newer = a.store.snapshot().bytes;
    const db = new SQL.Database(newer);
    db.exec('PRAGMA user_version = 99');
    const blob = await gzip(db.export());
    const grant = await client(env, t).commit(1, blob.length);
    await fetch(grant.json.url, { method: 'PUT', headers: { 'Content-Type': 'application/gzip', 'If-None-Match': '*' }, body: new Blob([blob as BlobPart]) });
    await expect(a.sync()).rejects.toThrow(/newer version of NBA Daily/);
    expect((await client(env, t).begin()).json.head.seq).toBe(1);
    expect(keys(a)).toEqual(['p1@2026-11-20']);
  });

  it('with the worker down the sync fails clearly and nothing local changes', async () => {
    const t = tenant('sync-down');
    const env = makeEnv([t]);
    const a = await device('a', env, t.token, { workerDown: true });
    await logRows(a, ['p1']);
    await expect(a.sync()).rejects.toThrow(/could not be reached/);
    expect(keys(a)).toEqual(['p1@2026-11-20']);
  });
});
