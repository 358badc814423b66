// Engine cost, in Node (medians): the backtest walk in both availability modes, and one day's slate as the app
// builds it (buildSlate: the database reads, then the engine over every team of the day, measured apart by the
// slate's own 'nba-daily:project' mark). Slates on two datasets: the simulated league's 60 days (box scores with
// DNP rows, so the team step's past-absence work runs), and the two real seasons imported through the app's
// importer (appearances only). The backtest and the real seasons need the CSVs in ../shared/data/nba/seasons;
// without them only the simulated slate is measured.
//   npx tsx scripts/bench-engine.ts [runs=3]     (BENCH_SEASONS=<dir> for the CSVs elsewhere)
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import initSqlJs, { type Database } from 'sql.js';
import { ingestDays } from '../web/src/lib/app/ingest';
import { buildSlate } from '../web/src/lib/app/slate';
import { parsePlayerGamesCsv, runBacktest } from '../web/src/lib/backtest';
import { upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from '../web/src/lib/db/league-repo';
import { migrate } from '../web/src/lib/db/schema';
import { TEAMS } from '../web/src/lib/domain/teams';
import type { IsoDate } from '../web/src/lib/domain/types';
import { importSeasonCsv } from '../web/src/lib/sources/import/game-logs';
import { createSimulatedSource } from '../web/src/lib/sources/simulated';

const RUNS = Math.max(1, Number(process.argv[2] ?? 3));
const SEASONS = process.env.BENCH_SEASONS ?? '../shared/data/nba/seasons';
const season = (s: string) => `${SEASONS}/player_games_${s}.csv`;
const realData = ['2022-23', '2023-24'].every((s) => existsSync(season(s)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const SQL = await initSqlJs();

function fresh(): Database {
  const db = new SQL.Database();
  migrate(db);
  return db;
}

/** buildSlate 5 × `runs` times (after 3 warm-ups: JIT): median of the whole build and of its engine share (wall). */
function timeSlate(label: string, db: Database, date: IsoDate, sourceId: string): void {
  const whole: number[] = [];
  const cpu: number[] = [];
  const engine: number[] = [];
  let players = 0;
  let games = 0;
  for (let i = 0; i < 3 + 5 * RUNS; i++) {
    performance.clearMeasures('nba-daily:project');
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const slate = buildSlate(db, date, new Date(`${date}T12:00:00Z`), sourceId);
    const c = process.cpuUsage(c0);
    const t = performance.now() - t0;
    const [mark] = performance.getEntriesByName('nba-daily:project');
    games = slate.games.length;
    players = slate.games.reduce((n, g) => n + g.home.projections.length + g.away.projections.length, 0);
    if (i < 3) continue; // warm-up (JIT)
    whole.push(t);
    cpu.push((c.user + c.system) / 1000);
    engine.push(mark?.duration ?? NaN);
  }
  console.log(`slate ${label} ${date}: ${games} games, ${players} players projected; buildSlate median ${median(whole).toFixed(1)} ms wall (${median(cpu).toFixed(1)} ms CPU), engine ${median(engine).toFixed(1)} ms (min ${Math.min(...engine).toFixed(1)}, max ${Math.max(...engine).toFixed(1)})`);
}

console.log(`bench-engine: ${RUNS} runs, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

// The simulated league, 60 days backfilled through the app's ingest (as bench-app's 60-day dataset).
{
  const db = fresh();
  const source = createSimulatedSource();
  const today = '2026-01-12';
  await ingestDays({ source, read: (fn) => fn(db), write: async (fn) => fn(db), from: source.historyStart(today), to: today, now: new Date(`${today}T03:00:00Z`), deviceId: 'bench' });
  timeSlate('simulated, 60 days', db, today, 'simulated');
  db.close();
}

if (realData) {
  const db = fresh();
  upsertTeams(db, TEAMS.map((t) => ({ ...t })));
  for (const s of ['2022-23', '2023-24']) {
    const imported = importSeasonCsv(readFileSync(season(s), 'utf8'));
    upsertPlayers(db, imported.players, 'nba');
    upsertGames(db, imported.games, 'nba');
    upsertGameLogs(db, imported.logs);
  }
  // A mid-season day with a full slate; the day's games are finals in the file, shown as they were pre-game.
  timeSlate('two real seasons', db, '2024-01-15', 'nba');
  db.close();

  const games = parsePlayerGamesCsv(readFileSync(season('2023-24'), 'utf8'));
  const prior = parsePlayerGamesCsv(readFileSync(season('2022-23'), 'utf8'));
  for (const availability of ['known', 'recent'] as const) {
    const runs: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      runBacktest({ games, prior, availability });
      const c = process.cpuUsage(c0);
      runs.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
    }
    // CPU time too: on a shared machine the wall time mostly measures the other processes.
    console.log(`backtest 2023-24 (prior 2022-23) ${availability}: median ${(median(runs) / 1000).toFixed(2)} s wall, ${(median(cpu) / 1000).toFixed(2)} s CPU [wall ${runs.map((x) => (x / 1000).toFixed(2)).join(', ')}]`);
  }
} else console.log(`(no season CSVs in ${SEASONS}: the real-season slate and the backtest are skipped)`);
