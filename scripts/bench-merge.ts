// Benchmark of the sync merge: a remote with 10,000 predictions and ~10,000 box-score lines merged into
// a local database holding 10,000 overlapping predictions. Run: npx tsx scripts/bench-merge.ts
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import initSqlJs, { type Database } from 'sql.js';
import { upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from '../web/src/lib/db/league-repo';
import { saveGamePredictions, savePredictions } from '../web/src/lib/db/predictions-repo';
import { migrate } from '../web/src/lib/db/schema';
import { transaction } from '../web/src/lib/db/sql';
import type { Game, GamePrediction, PlayerGameLog, Prediction } from '../web/src/lib/domain/types';
import { mergeDatabase, type MergeReport } from '../web/src/lib/sync/merge';

const PREDICTIONS = 10_000;
const PLAYERS = 400;
const TEAMS = 30;
const RUNS = 5;
const NOW = Date.UTC(2027, 3, 15);

const SQL = await initSqlJs();
const teamId = (i: number) => `T${String(i % TEAMS).padStart(2, '0')}`;
const dateOf = (day: number) => new Date(Date.UTC(2026, 9, 21) + day * 86_400_000).toISOString().slice(0, 10);

/** A deterministic PRNG so both databases and every run are the same. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

function prediction(k: number, device: string, updatedAt: number, projected: number): Prediction {
  const player = k % PLAYERS;
  const day = Math.floor(k / PLAYERS);
  return {
    availabilityStatus: null,
    playerId: `P${player}`, gameDate: dateOf(day), predictionDate: dateOf(day), gameId: `G${day}-${Math.floor(player / 26)}`,
    playerName: `Player ${player}`, teamId: teamId(player), opponentId: teamId(player + 1),
    projectedPoints: projected, floor: projected - 7, ceiling: projected + 7, confidence: 0.6,
    factors: { gamesPlayed: 20, seasonAvg: 17.5, last3Avg: 18, last5Avg: 17.9, vsOppAvg: 16, vsOppGames: 2, oppDefFactor: 1.02, paceFactor: 0.98, home: player % 2 === 0, restDays: 1 },
    modelVersion: 'v1.0.0', actualPoints: null, actualMinutes: null, didPlay: null, error: null, absError: null, inRange: null,
    updatedAt, deviceId: device, deleted: false,
  };
}

/** Local and remote share all keys; versions differ (a third newer on each side, a third identical). */
function build(): { local: Database; remote: Database } {
  const r = rng(42);
  const dbs = { local: new SQL.Database(), remote: new SQL.Database() };
  for (const db of Object.values(dbs)) migrate(db);
  const localRows: Prediction[] = [];
  const remoteRows: Prediction[] = [];
  for (let k = 0; k < PREDICTIONS; k++) {
    const base = 1_760_000_000_000 + k * 1000;
    const projected = Math.round(5 + r() * 25);
    const mode = k % 3;
    localRows.push(prediction(k, 'device-a', mode === 1 ? base + 500 : base, projected));
    remoteRows.push(prediction(k, 'device-b', mode === 2 ? base + 500 : base, mode === 0 ? projected : projected + 1));
  }
  savePredictions(dbs.local, localRows);
  savePredictions(dbs.remote, remoteRows);

  const days = Math.ceil(PREDICTIONS / PLAYERS);
  const games: Game[] = [];
  const picks: GamePrediction[] = [];
  const logs: PlayerGameLog[] = [];
  for (let day = 0; day < days; day++) {
    for (let g = 0; g < Math.ceil(PLAYERS / 26); g++) {
      const id = `G${day}-${g}`;
      games.push({ id, date: dateOf(day), tipoff: `${dateOf(day)}T23:30:00Z`, homeTeamId: teamId(2 * g), awayTeamId: teamId(2 * g + 1), status: 'final', homeScore: 100 + g, awayScore: 98 });
      picks.push({ gameId: id, gameDate: dateOf(day), predictionDate: dateOf(day), homeTeamId: teamId(2 * g), awayTeamId: teamId(2 * g + 1), homeWinProb: 0.55, projectedMargin: 2, modelVersion: 'v1.0.0', homeScore: null, awayScore: null, homeWon: null, updatedAt: 1_760_000_000_000, deviceId: 'device-a', deleted: false, marketHomeWinProb: null, marketHomeMargin: null, marketSpread: null, marketTotal: null });
    }
    for (let p = 0; p < PLAYERS; p++) {
      logs.push({ gameId: `G${day}-${Math.floor(p / 26)}`, playerId: `P${p}`, teamId: teamId(p), opponentId: teamId(p + 1), date: dateOf(day), home: p % 2 === 0, played: true, starter: p % 5 === 0, minutes: 20 + (p % 15), points: p % 31, rebounds: 5, assists: 3, threesMade: 1, dnpReason: null });
    }
  }
  // The remote device has fetched the box scores; the local one has not.
  upsertTeams(dbs.remote, Array.from({ length: TEAMS }, (_, i) => ({ id: teamId(i), city: `City ${i}`, name: `Team ${i}`, conference: i < 15 ? 'East' : 'West' })));
  upsertPlayers(dbs.remote, Array.from({ length: PLAYERS }, (_, p) => ({ id: `P${p}`, name: `Player ${p}`, teamId: teamId(p), position: 'G' })), 'simulated');
  upsertGames(dbs.remote, games, 'simulated');
  upsertGameLogs(dbs.remote, logs);
  saveGamePredictions(dbs.local, picks);
  saveGamePredictions(dbs.remote, picks);
  return dbs;
}

const { local, remote } = build();
const localBytes = local.export();
const remoteBytes = remote.export();
const times: number[] = [];
const cpuTimes: number[] = [];
let report: MergeReport | undefined;
for (let run = 0; run < RUNS; run++) {
  const target = new SQL.Database(localBytes); // a fresh copy of the local database each run
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  report = transaction(target, () => mergeDatabase(target, remote));
  const cpu = process.cpuUsage(c0);
  times.push(performance.now() - t0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  if (run === RUNS - 1) {
    const merged = target.export();
    console.log(`merged:  ${fmt(merged.length)} raw, ${fmt(gzipSync(merged).length)} gzip`);
  }
  target.close();
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);

function fmt(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} B (${(bytes / 1024 / 1024).toFixed(2)} MiB)`;
}
const count = (db: Database, table: string) => Number(db.exec(`SELECT COUNT(*) FROM ${table}`)[0].values[0][0]);

console.log(`remote:  ${count(remote, 'predictions')} predictions, ${count(remote, 'player_game_logs')} box-score lines, ${count(remote, 'games')} games`);
console.log(`local:   ${count(local, 'predictions')} predictions (all keys shared with the remote)`);
console.log(`sizes:   local ${fmt(localBytes.length)} raw, ${fmt(gzipSync(localBytes).length)} gzip`);
console.log(`         remote ${fmt(remoteBytes.length)} raw, ${fmt(gzipSync(remoteBytes).length)} gzip`);
console.log(`merge:   median ${times[Math.floor(RUNS / 2)].toFixed(1)} ms of ${RUNS} runs (${times.map((t) => t.toFixed(1)).join(', ')})`);
console.log(`cpu:     median ${cpuTimes[Math.floor(RUNS / 2)].toFixed(1)} ms process CPU time (includes GC threads)`);
console.log('report: ', JSON.stringify(report));
