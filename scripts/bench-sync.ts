// Sync protocol 2 against the real worker and the local Ceph RGW, on a database holding two seasons of history
// (the season CSVs in ../shared/data/nba/seasons when present, else the simulated league's history):
// - sync after logging a full slate (requests, KB up), the same with one season stored, and the ratio;
// - a second device one day behind (KB down, time of its round); a no-change sync (requests);
// - a new device bootstrapping (requests, KB, time); applying a 300-row changeset and a full merge of two
//   diverged two-season databases, in Node (medians).
//   npx tsx scripts/bench-sync.ts
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import initSqlJs from 'sql.js';
import { createApp } from '../presign-worker/src/app';
import { ingestDays } from '../web/src/lib/app/ingest';
import { applyRows, changedRows, localVersion } from '../web/src/lib/db/changes';
import { upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from '../web/src/lib/db/league-repo';
import { saveGamePredictions, savePredictions } from '../web/src/lib/db/predictions-repo';
import { DatabaseStore } from '../web/src/lib/db/store';
import { TEAMS } from '../web/src/lib/domain/teams';
import type { GamePrediction } from '../web/src/lib/domain/types';
import { importSeasonCsv } from '../web/src/lib/sources/import/game-logs';
import { createSimulatedSource } from '../web/src/lib/sources/simulated';
import { WorkerApi, WorkerChain, mergeDatabase, syncRound } from '../web/src/lib/sync';
import { memorySyncState } from '../web/src/lib/sync/state';
import { MemoryPersistence, prediction } from '../tests/unit/helpers';
import { answers, LOCAL_RGW, localRgwWorkerEnv } from './rgw/local-rgw';
import { setupBucket } from './rgw/setup-bucket';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
if (!(await answers(LOCAL_RGW.endpoint))) throw new Error('no local RGW at ' + LOCAL_RGW.endpoint + ' (npm run rgw:start)');
await setupBucket({ s3: LOCAL_RGW, bucket: 'nba-daily-bench', origins: [] });
const SQL = await initSqlJs();
const app = createApp();

const SEASONS = '../shared/data/nba/seasons';
const seasonFiles = ['player_games_2022-23.csv', 'player_games_2023-24.csv'].map((f) => `${SEASONS}/${f}`);
const realData = seasonFiles.every((f) => existsSync(f));

function world() {
  const token = randomBytes(32).toString('base64url');
  const ns = `bench2-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const env = {
    ...localRgwWorkerEnv('nba-daily-bench'), S3_PREFIX: 'nba-daily/',
    ACCESS_TOKENS: `${ns}:${createHash('sha256').update(token).digest('hex')}`, RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000',
  };
  return { token, env };
}

async function device(w: ReturnType<typeof world>, name: string) {
  const { store } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), node: name, channelName: `bench-${name}-${Math.random()}` });
  const net = { down: 0 };
  const traced: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const r = url.host === 'worker.test' ? await app.fetch(new Request(url, init), w.env) : await fetch(url, init);
    if (url.host !== 'worker.test' && (init?.method ?? 'GET') === 'GET') net.down += Number(r.headers.get('content-length') ?? 0);
    return r;
  };
  const api = new WorkerApi({ workerUrl: 'http://worker.test/', token: w.token }, traced);
  const state = memorySyncState();
  const sync = async () => {
    const t0 = performance.now();
    const outcome = await syncRound({ chain: new WorkerChain(api, traced), store, SQL, state, now: Date.now });
    return { ...outcome, ms: performance.now() - t0 };
  };
  return { store, sync };
}
type Device = Awaited<ReturnType<typeof device>>;

async function loadHistory(d: Device, seasons: number): Promise<string> {
  if (realData) {
    for (const file of seasonFiles.slice(-seasons)) {
      const imported = importSeasonCsv(readFileSync(file, 'utf8'));
      await d.store.write((db) => {
        upsertTeams(db, TEAMS.map((t) => ({ ...t })));
        upsertPlayers(db, imported.players, 'nba');
        upsertGames(db, imported.games, 'nba');
        upsertGameLogs(db, imported.logs);
      });
    }
    return `${seasons} real season(s) from ${SEASONS}`;
  }
  const source = createSimulatedSource();
  const today = '2026-11-28';
  const from = seasons === 2 ? '2025-10-20' : source.historyStart(today);
  await ingestDays({ source, read: (fn) => d.store.read(fn), write: (fn) => d.store.write(fn), from, to: today, now: new Date(`${today}T15:00:00Z`), deviceId: 'bench' });
  return `simulated league from ${from}`;
}

/** A full slate: 234 player predictions and 13 game picks for one date. */
const logSlate = (d: Device, date: string) =>
  d.store.write((db) => {
    savePredictions(db, Array.from({ length: 234 }, (_, i) => prediction({ playerId: `slate-${i}`, gameDate: date, gameId: `${date}-g${i % 13}`, projectedPoints: 5 + (i % 30) })));
    const picks: GamePrediction[] = Array.from({ length: 13 }, (_, i) => ({
      gameId: `${date}-g${i}`, gameDate: date, predictionDate: date, homeTeamId: 'BOS', awayTeamId: 'NYK', homeWinProb: 0.5 + i / 100,
      projectedMargin: i / 2, modelVersion: 'v2.1.0', homeScore: null, awayScore: null, homeWon: null, updatedAt: 0, deviceId: 'x', deleted: false,
      marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null,
    }));
    saveGamePredictions(db, picks);
  });

async function scenario(seasons: number) {
  const w = world();
  const a = await device(w, 'a');
  const what = await loadHistory(a, seasons);
  const size = a.store.exportBytes().length;
  const first = await a.sync();
  const slates = [];
  for (let i = 0; i < 5; i++) {
    await logSlate(a, `2027-01-${String(10 + i).padStart(2, '0')}`);
    slates.push(await a.sync());
  }
  return { w, a, what, size, first, slate: { requests: median(slates.map((s) => s.requests)), up: median(slates.map((s) => s.bytesUp)), ms: median(slates.map((s) => s.ms)) } };
}

const one = await scenario(1);
const two = await scenario(2);
console.log(`history: ${two.what}; database ${kb(two.size)} (one season: ${kb(one.size)})`);
console.log(`first upload of the whole history (changeset + snapshot): ${two.first.requests} requests, ${kb(two.first.bytesUp)} up, ${two.first.ms.toFixed(0)} ms`);
console.log(`sync after logging a full slate, two seasons: ${two.slate.requests} requests, ${kb(two.slate.up)} up, median ${two.slate.ms.toFixed(0)} ms`);
console.log(`sync after logging a full slate, one season:  ${one.slate.requests} requests, ${kb(one.slate.up)} up; ratio two/one ${(two.slate.up / one.slate.up).toFixed(2)}`);

// A new device bootstraps two seasons (adopts the newest snapshot, applies what follows).
const b = await device(two.w, 'b');
const boot = await b.sync();
console.log(`new device bootstrap: ${boot.requests} requests, ${kb(boot.bytesDown)} down, ${boot.ms.toFixed(0)} ms end to end (adopted: ${boot.adopted})`);

// B one day behind: A logs the next slate, B catches up.
const behind = [];
const dayApply: number[] = [];
for (let i = 0; i < 5; i++) {
  const before = two.a.store.read(localVersion);
  await logSlate(two.a, `2027-02-${String(10 + i).padStart(2, '0')}`);
  await two.a.sync();
  // The apply on its own (no download, no IndexedDB save): the day's rows into a copy of B as it is now.
  const day = two.a.store.read((db) => changedRows(db, before));
  const copy = new SQL.Database(b.store.exportBytes());
  const t0 = performance.now();
  applyRows(copy, day.rows, { pendingAbove: Number.MAX_SAFE_INTEGER });
  dayApply.push(performance.now() - t0);
  copy.close();
  behind.push(await b.sync());
}
console.log(`second device one day behind: ${median(behind.map((r) => r.requests))} requests, ${kb(median(behind.map((r) => r.bytesDown)))} down, median round ${median(behind.map((r) => r.ms)).toFixed(0)} ms (including the save of the whole database); applying the day's changeset alone: median ${median(dayApply).toFixed(1)} ms`);
const quiet = await b.sync();
console.log(`no-change sync: ${quiet.requests} request(s), ${quiet.bytesUp} bytes up`);

// Full merge (fallback) of two diverged two-season databases.
const c = await device(world(), 'c');
await loadHistory(c, 2);
await logSlate(c, '2027-03-01');
// Applying a 300-row changeset (rows the target lacks) to a two-season database, in Node.
const rows = two.a.store.read((db) => changedRows(db, localVersion(db) - 300));
const applyTimes: number[] = [];
for (let i = 0; i < 9; i++) {
  const copy = new SQL.Database(c.store.exportBytes());
  const t0 = performance.now();
  applyRows(copy, rows.rows);
  applyTimes.push(performance.now() - t0);
  copy.close();
}
console.log(`apply a ${rows.count}-row changeset to a two-season database: median ${median(applyTimes).toFixed(1)} ms`);

const mergeTimes: number[] = [];
for (let i = 0; i < 3; i++) {
  const target = new SQL.Database(two.a.store.exportBytes());
  const remote = new SQL.Database(c.store.exportBytes());
  const t0 = performance.now();
  mergeDatabase(target, remote);
  mergeTimes.push(performance.now() - t0);
  target.close();
  remote.close();
}
console.log(`full merge (set-based) of two diverged two-season databases: median ${median(mergeTimes).toFixed(0)} ms`);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared 2-core machine: figures are noisy)`);
