// Time to backfill a season into the app's database through the worker, with the project's NBA fixtures
// standing in for the upstream feeds (no network). Same code path as the app: live source → ingestDays → SQLite.
//   npx tsx scripts/bench-backfill.ts
// Also: IndexedDB bytes written by a first backfill against the final database size (journal vs whole file).
import { performance } from 'node:perf_hooks';
import initSqlJs from 'sql.js';
import { startNodeServer } from '../presign-worker/src/node-server';
import { BACKFILL_DAYS_PER_WRITE, ingestDays } from '../web/src/lib/app/ingest';
import { DatabaseStore, type BulkStepWriter, type BulkWriter } from '../web/src/lib/db/store';
import { createLiveSource } from '../web/src/lib/sources/live';
import { createSimulatedSource } from '../web/src/lib/sources/simulated';
import type { DataSource } from '../web/src/lib/sources/types';
import type { IsoDate } from '../web/src/lib/domain/types';
import { MemoryPersistence } from '../tests/unit/helpers';
import { startNbaFixtureServer } from '../tests/fixtures/nba/server';
import { mintToken } from './mint-token';

const upstream = await startNbaFixtureServer();
const minted = mintToken('bench');
const worker = await startNodeServer(
  {
    S3_ENDPOINT: 'http://127.0.0.1:7480', S3_BUCKET: 'nba-daily', S3_ACCESS_KEY_ID: 'unused', S3_SECRET_ACCESS_KEY: 'unused',
    S3_WRITER_ACCESS_KEY_ID: 'unused-writer', S3_WRITER_SECRET_ACCESS_KEY: 'unused', S3_READER_ACCESS_KEY_ID: 'unused-reader', S3_READER_SECRET_ACCESS_KEY: 'unused',
    ACCESS_TOKENS: minted.accessTokensEntry, RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000',
    NBA_CDN_BASE: upstream.url, ESPN_BASE: upstream.url,
  },
  0,
);
const SQL = await initSqlJs();
const source = createLiveSource(() => ({ workerUrl: worker.url, token: minted.token }));
const today = '2024-01-12';
const from = source.historyStart(today);
const runs: number[] = [];
let days = 0;
for (let i = 0; i < 3; i++) {
  const { store } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), channelName: `bench-${i}` });
  const t0 = performance.now();
  const r = await ingestDays({ source, read: (fn) => store.read(fn), write: (fn) => store.write(fn), from, to: today, now: new Date('2024-01-12T15:00:00Z'), deviceId: 'bench' });
  runs.push(performance.now() - t0);
  days = r.daysFetched;
  store.close();
}
const median = [...runs].sort((a, b) => a - b)[1];
console.log(`backfill ${from} → ${today}: ${days} days (${upstream.totalHits()} upstream requests over 3 runs), median ${(median / 1000).toFixed(2)} s [${runs.map((r) => (r / 1000).toFixed(2)).join(', ')}]`);

// IndexedDB bytes written by a first backfill (what the persistence layer is handed), against the final database
// size: with the journal (the backfill inside store.bulk(), as the app runs it), and with every write storing the
// whole file (the single-record design before the journal). Through the worker with the fixtures (few game days),
// then two seasons of the simulated league (no worker: the same ingest path at full two-season scale).
// The app writes BACKFILL_DAYS_PER_WRITE days per write (in steps: each day's SQL in tasks of its own); measured
// as the app does, and with 3 days per write (the fewest the earlier, time-budget rule made).
async function bytesWritten(label: string, src: DataSource, start: IsoDate, end: IsoDate, now: Date) {
  const modes = [
    { name: `journal, as the app: ${BACKFILL_DAYS_PER_WRITE} days per write, in steps`, journal: true, steps: true, writes: {} },
    { name: 'journal, 3 days per write throughout', journal: true, steps: true, writes: { batchSize: 3 } },
    { name: 'whole file per write', journal: false, steps: false, writes: {} },
  ];
  for (const mode of modes) {
    const { journal } = mode;
    const persistence = new MemoryPersistence();
    const { store } = await DatabaseStore.open({ SQL, persistence, channelName: `bench-bytes-${label}-${mode.name}`, journalLimits: journal ? undefined : { maxEntries: 0 } });
    const run = (write: BulkWriter, writeInSteps?: BulkStepWriter) =>
      ingestDays({ source: src, read: (fn) => store.read(fn), write, writeInSteps: mode.steps ? writeInSteps : undefined, from: start, to: end, now, deviceId: 'bench', ...mode.writes });
    await (journal ? store.bulk(run) : run((fn) => store.write(fn)));
    const final = store.exportBytes().length;
    const w = persistence.written;
    const total = w.baseBytes + w.entryBytes;
    console.log(
      `${label}, ${mode.name}: ${(total / 1024).toFixed(0)} KB written = ${w.bases} bases ${(w.baseBytes / 1024).toFixed(0)} KB + ${w.entries} journal entries ${(w.entryBytes / 1024).toFixed(0)} KB; final database ${(final / 1024).toFixed(0)} KB; ratio ${(total / final).toFixed(2)}`,
    );
    store.close();
  }
}
await bytesWritten('fixtures through the worker', source, from, today, new Date('2024-01-12T15:00:00Z'));
await bytesWritten('two simulated seasons', createSimulatedSource(), '2024-10-20', '2026-04-12', new Date('2026-04-12T15:00:00Z'));
worker.server.close();
await upstream.close();
