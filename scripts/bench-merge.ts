// Benchmark of the full merge (the fallback path: a snapshot merged into a device that has data, a v1
// generation, a backup restore) on two diverged two-season databases: the season CSVs in
// ../shared/data/nba/seasons when present, else two seasons of the simulated league. Two cases:
// - "shared history": both devices synced the history (identical rows, same stamps), then each logged slates;
// - "loaded separately": each device imported the seasons itself (every fact row differs in its stamp).
// The set-based merge (mergeDatabase: ATTACH + statements) and the row-by-row rule (applyRows of every
// remote row), medians in Node.   Run: npx tsx scripts/bench-merge.ts
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import initSqlJs, { type Database } from 'sql.js';
import { ingestDays } from '../web/src/lib/app/ingest';
import { allRows, applyRows, setNode, setWall } from '../web/src/lib/db/changes';
import { upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from '../web/src/lib/db/league-repo';
import { savePredictions } from '../web/src/lib/db/predictions-repo';
import { migrate } from '../web/src/lib/db/schema';
import { TEAMS } from '../web/src/lib/domain/teams';
import { importSeasonCsv } from '../web/src/lib/sources/import/game-logs';
import { createSimulatedSource } from '../web/src/lib/sources/simulated';
import { mergeDatabase } from '../web/src/lib/sync/merge';
import { prediction } from '../tests/unit/helpers';

const RUNS = 5;
const SQL = await initSqlJs();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const SEASONS = '../shared/data/nba/seasons';
const seasonFiles = ['player_games_2022-23.csv', 'player_games_2023-24.csv'].map((f) => `${SEASONS}/${f}`);
const realData = seasonFiles.every((f) => existsSync(f));

function fresh(node: string, wall: number): Database {
  const db = new SQL.Database();
  migrate(db);
  setNode(db, node);
  setWall(db, wall);
  return db;
}

async function loadSeasons(db: Database): Promise<void> {
  if (realData) {
    for (const file of seasonFiles) {
      const imported = importSeasonCsv(readFileSync(file, 'utf8'));
      upsertTeams(db, TEAMS.map((t) => ({ ...t })));
      upsertPlayers(db, imported.players, 'nba');
      upsertGames(db, imported.games, 'nba');
      upsertGameLogs(db, imported.logs);
    }
    return;
  }
  const source = createSimulatedSource();
  const today = '2026-11-28';
  await ingestDays({ source, read: (fn) => fn(db), write: async (fn) => fn(db), from: '2025-10-20', to: today, now: new Date(`${today}T15:00:00Z`), deviceId: 'bench' });
}

/** `days` slates of 234 player predictions, on this device. */
function logSlates(db: Database, month: string, days: number): void {
  for (let d = 1; d <= days; d++) {
    const date = `2027-${month}-${String(d).padStart(2, '0')}`;
    savePredictions(db, Array.from({ length: 234 }, (_, i) => prediction({ playerId: `slate-${i}`, gameDate: date, gameId: `${date}-g${i % 13}`, projectedPoints: 5 + ((i + d) % 30) })));
  }
}

const count = (db: Database, table: string) => Number(db.exec(`SELECT COUNT(*) FROM ${table}`)[0].values[0][0]);

function time(label: string, localBytes: Uint8Array, remote: Database): void {
  const bulk: number[] = [];
  const rowByRow: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const target = new SQL.Database(localBytes);
    let t0 = performance.now();
    mergeDatabase(target, remote);
    bulk.push(performance.now() - t0);
    target.close();
    if (run < 3) {
      const slow = new SQL.Database(localBytes);
      t0 = performance.now();
      applyRows(slow, allRows(remote));
      rowByRow.push(performance.now() - t0);
      slow.close();
    }
  }
  console.log(`${label}: set-based merge median ${median(bulk).toFixed(0)} ms of ${RUNS} (${bulk.map((t) => t.toFixed(0)).join(', ')}); row by row median ${median(rowByRow).toFixed(0)} ms of 3 (${rowByRow.map((t) => t.toFixed(0)).join(', ')})`);
}

// Shared history: one import, copied to both devices (as a synced snapshot would be), then each logs 20 slates.
const base = fresh('a', 1_760_000_000_000);
await loadSeasons(base);
const shared = base.export();
const a = new SQL.Database(shared);
setNode(a, 'a');
setWall(a, 1_770_000_000_000);
logSlates(a, '01', 20);
const b = new SQL.Database(shared);
setNode(b, 'b');
setWall(b, 1_770_000_000_500);
logSlates(b, '02', 20);
// Loaded separately: device c imported the same seasons on its own, later, and logged other slates.
const c = fresh('c', 1_765_000_000_000);
await loadSeasons(c);
setWall(c, 1_770_000_001_000);
logSlates(c, '03', 20);

console.log(`history: ${realData ? `2 real seasons from ${SEASONS}` : 'two simulated seasons'}; ${count(a, 'player_game_logs')} box-score lines, ${count(a, 'games')} games, ${count(a, 'predictions')} predictions per device; database ${(shared.length / 1024 / 1024).toFixed(1)} MB`);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared 2-core machine: figures are noisy)`);
const aBytes = a.export();
time('shared history, diverged', aBytes, b);
time('loaded separately, diverged', aBytes, c);
