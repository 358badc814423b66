// Measures a device's sync on loopback against the real worker and the local Ceph RGW: requests and bytes
// for a sync with no change and for a sync after logging a full slate (gzip vs raw), and the time each takes.
// The device holds what the app holds after its first visit: ~60 days of the simulated league.
//   npx tsx scripts/bench-sync.ts          (starts the local RGW if nothing answers, stops it after)
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import initSqlJs from 'sql.js';
import { createApp } from '../presign-worker/src/app';
import { ingestDays } from '../web/src/lib/app/ingest';
import { buildSlate, predictionsToLog } from '../web/src/lib/app/slate';
import { DatabaseStore } from '../web/src/lib/db/store';
import { saveGamePredictions, savePredictions } from '../web/src/lib/db/predictions-repo';
import { addDays } from '../web/src/lib/domain/dates';
import { createSimulatedSource } from '../web/src/lib/sources/simulated';
import { WorkerApi } from '../web/src/lib/sync/api';
import { memorySyncState } from '../web/src/lib/sync/state';
import { syncRound } from '../web/src/lib/sync/round';
import { WorkerChain } from '../web/src/lib/sync/chain-worker';
import { MemoryPersistence } from '../tests/unit/helpers';
import { answers, LOCAL_RGW } from './rgw/local-rgw';
import { setupBucket } from './rgw/setup-bucket';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const up = await answers(LOCAL_RGW.endpoint);
if (!up && spawnSync('bash', ['scripts/rgw/start.sh'], { stdio: 'ignore' }).status !== 0) throw new Error('no local RGW');
await setupBucket({ s3: LOCAL_RGW, bucket: 'nba-daily-bench', origins: [] });

const token = randomBytes(32).toString('base64url');
const ns = `bench-${Date.now().toString(36)}`;
const env = {
  S3_ENDPOINT: LOCAL_RGW.endpoint, S3_REGION: LOCAL_RGW.region, S3_BUCKET: 'nba-daily-bench', S3_PREFIX: 'nba-daily/',
  S3_ACCESS_KEY_ID: LOCAL_RGW.accessKeyId, S3_SECRET_ACCESS_KEY: LOCAL_RGW.secretAccessKey, S3_FORCE_PATH_STYLE: 'true',
  ACCESS_TOKENS: `${ns}:${createHash('sha256').update(token).digest('hex')}`, RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000',
};
const app = createApp();
let requests = 0;
let bytes = 0;
const traced: typeof fetch = async (input, init) => {
  requests++;
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (init?.body instanceof Blob) bytes += init.body.size;
  const r = url.host === 'worker.test' ? await app.fetch(new Request(url, init), env) : await fetch(url, init);
  const body = new Uint8Array(await r.clone().arrayBuffer());
  bytes += body.length;
  return r;
};

const SQL = await initSqlJs();
const { store } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), channelName: 'bench' });
const source = createSimulatedSource();
const today = '2026-11-28';
const now = new Date('2026-11-28T15:00:00Z');
await ingestDays({ source, read: (fn) => store.read(fn), write: (fn) => store.write(fn), from: source.historyStart(today), to: addDays(today, RUNS + 1), now, deviceId: 'bench' });

const api = new WorkerApi({ workerUrl: 'http://worker.test/', token }, traced);
const state = memorySyncState();
const sync = async () => {
  requests = 0;
  bytes = 0;
  const t0 = performance.now();
  const outcome = await syncRound({ chain: new WorkerChain(api, traced), store, SQL, state, now: () => now.getTime() });
  return { ms: performance.now() - t0, requests, bytes, outcome };
};

const first = await sync();
const raw = store.exportBytes().length;
console.log(`first upload: ${first.requests} requests, ${(first.outcome.bytesUp / 1024).toFixed(0)} KB gzip of a ${(raw / 1024).toFixed(0)} KB database, ${first.ms.toFixed(0)} ms`);

const unchanged = [];
for (let i = 0; i < RUNS; i++) unchanged.push(await sync());
console.log(
  `no change: ${unchanged[0].requests} request(s), ${unchanged[0].bytes} bytes on the wire, median ${median(unchanged.map((r) => r.ms)).toFixed(1)} ms`,
);

const afterSlate = [];
for (let i = 0; i < RUNS; i++) {
  const date = addDays(today, i + 1); // a different future slate each round
  const logged = await store.write((db) => {
    const rows = predictionsToLog(buildSlate(db, date, now, 'simulated'), { today, now: now.getTime(), deviceId: 'bench' });
    savePredictions(db, rows.players);
    saveGamePredictions(db, rows.games);
    return rows.players.length;
  });
  const r = await sync();
  afterSlate.push({ ...r, logged, raw: store.exportBytes().length });
}
const s = afterSlate[afterSlate.length - 1];
console.log(
  `after logging a full slate (${s.logged} predictions): ${s.requests} requests, ${(s.outcome.bytesUp / 1024).toFixed(0)} KB gzip up ` +
    `(raw ${(s.raw / 1024).toFixed(0)} KB, ratio ${(s.raw / s.outcome.bytesUp).toFixed(1)}x), ${(s.bytes / 1024).toFixed(0)} KB on the wire, ` +
    `median sync ${median(afterSlate.map((r) => r.ms)).toFixed(0)} ms`,
);
store.close();
if (!up) spawnSync('bash', ['scripts/rgw/stop.sh'], { stdio: 'ignore' });
