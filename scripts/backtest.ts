// Backtest CLI: walks a season of player appearances forward day by day with the app's own engine
// (web/src/lib/engine) and prints accuracy next to simple baselines on exactly the same rows.
//
//   npm run backtest -- --games <player_games.csv> [--prior <previous season.csv>] [--availability known|recent]
//                       [--out <file.csv>] [--games-out <file.csv>] [--json]
//
// Input columns are those of the real-season files (season, game_id, game_date, player_id, player_name,
// team_id, team, opponent, home_away, wl, played, min, pts, ...). Team scores for Elo are the sums of
// player points. --availability says who the engine treats as playing (the team step that shares minutes and
// shots, and the game model's lineups): 'known' (default) = the players who appeared, standing in for a
// complete injury report at tip-off (their stats in that game are never used); 'recent' = the app's own rule
// without a report (engine/availability.ts: a chance from each player's pattern in the team's last 3 games). The
// scored rows and the baselines (season-to-date and last-10 means, plain Elo, always home) are the same in
// both modes, so the two engine figures are directly comparable.
//
// Engine v3.3.0 parameters were fitted on 2022-23 alone (no prior; scripts/tune-engine.ts, scored over the
// whole season and from 2022-12-01) and checked on 2023-24 with 2022-23 as the prior (known / recent): points
// MAE 4.359 / 4.437, 80% band coverage 80.6% / 80.1%, games 67.0% / 66.6% correct, Brier 0.2084 / 0.2102,
// ≥ 22 ppg bias −0.23 / −0.28. v3.3 changed only the guessed availability, so known is v3.2.0's figure to the
// byte (v3.2.0 recent: 4.449, 79.8%, 66.8%, 0.2099, −0.36; v3.1.0: 4.373 / 4.458, 80.8% / 79.8%,
// 66.7% / 66.8%, 0.2090 / 0.2102, −0.00 / −0.14).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { parsePlayerGamesCsv, roundMetrics, runBacktest, type AvailabilityMode, type BacktestMetrics, type BacktestResult } from '../web/src/lib/backtest';

export interface CliArgs {
  games: string;
  prior?: string;
  out?: string;
  gamesOut?: string;
  availability: AvailabilityMode;
  json: boolean;
}

const USAGE = 'usage: backtest --games <player_games.csv> [--prior <csv>] [--availability known|recent] [--out <file.csv>] [--games-out <file.csv>] [--json]';

export function parseArgs(argv: string[]): CliArgs {
  const args: Partial<CliArgs> & { json: boolean; availability: AvailabilityMode } = { json: false, availability: 'known' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--games') args.games = value();
    else if (a === '--prior') args.prior = value();
    else if (a === '--out') args.out = value();
    else if (a === '--games-out') args.gamesOut = value();
    else if (a === '--availability') {
      const v = value();
      if (v !== 'known' && v !== 'recent') throw new Error(`--availability must be known or recent, not ${v}\n${USAGE}`);
      args.availability = v;
    } else if (a === '--json') args.json = true;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!args.games) throw new Error(`--games is required\n${USAGE}`);
  return args as CliArgs;
}

const fmt = (x: number | null, d = 3) => (x === null || Number.isNaN(x) ? '—' : x.toFixed(d));

export function formatReport(m: BacktestMetrics, seconds: number): string {
  const lines: string[] = [];
  const p = m.points;
  lines.push(`Backtest ${m.season ?? '?'}${m.priorSeason ? ` (prior ${m.priorSeason})` : ''}, engine ${m.modelVersion}, availability ${m.availability}, ${seconds.toFixed(1)} s`);
  lines.push(`Points: ${p.n} appearances after each player's first game (+${p.unscoredPredictions} first-game predictions not scored)`);
  lines.push('predictor        MAE     RMSE    bias    medAE   80% band');
  for (const [name, x] of [['engine', p.engine], ['season mean', p.seasonMean], ['last-10 mean', p.last10Mean]] as const) {
    lines.push(`${name.padEnd(15)} ${fmt(x.mae)}  ${fmt(x.rmse)}  ${fmt(x.bias).padStart(6)}  ${fmt(x.medianAe)}  ${x.coverage80 === null ? '—' : `${(x.coverage80 * 100).toFixed(1)}%`}`);
  }
  lines.push('MAE by tier (season-to-date ppg)   n      engine  season  last-10  engine bias');
  for (const t of p.byTier) lines.push(`${t.tier.padEnd(32)} ${String(t.n).padStart(6)}  ${fmt(t.engineMae)}  ${fmt(t.seasonMeanMae)}  ${fmt(t.last10MeanMae)}   ${fmt(t.engineBias).padStart(6)}`);
  const g = m.games;
  lines.push(`Games: ${g.n}`);
  lines.push('predictor        accuracy  Brier   log loss');
  for (const [name, x] of [['engine Elo', g.engine], ['plain Elo', g.plainElo], ['always home', g.alwaysHome]] as const) {
    lines.push(`${name.padEnd(15)} ${(x.accuracy * 100).toFixed(1)}%     ${fmt(x.brier, 4)}  ${fmt(x.logLoss, 4)}`);
  }
  return lines.join('\n');
}

function csvLine(values: (string | number)[]): string {
  return values.map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v))).join(',');
}

export function predictionsCsv(r: BacktestResult): string {
  const rows = [csvLine(['game_id', 'game_date', 'player_id', 'projected_points', 'floor', 'ceiling'])];
  for (const p of r.players) rows.push(csvLine([p.gameId, p.date, p.playerId, p.projected, p.floor, p.ceiling]));
  return rows.join('\n') + '\n';
}

export function gamesCsv(r: BacktestResult): string {
  const rows = [csvLine(['game_id', 'game_date', 'home_team', 'away_team', 'home_win_prob', 'projected_margin', 'lineup_adjustment', 'net_rating_adjustment', 'rest_adjustment', 'lineup_points_adjustment'])];
  for (const g of r.games) rows.push(csvLine([g.gameId, g.date, g.homeTeamId, g.awayTeamId, Math.round(g.homeWinProb * 10000) / 10000, g.projectedMargin, g.lineupAdjustment, g.netRatingAdjustment, g.restAdjustment, g.lineupPointsAdjustment]));
  return rows.join('\n') + '\n';
}

/** Runs the CLI; returns the exit code. `print` receives stdout text. */
export function main(argv: string[], print: (s: string) => void = (s) => process.stdout.write(s + '\n')): number {
  const args = parseArgs(argv);
  const t0 = performance.now();
  const games = parsePlayerGamesCsv(readFileSync(args.games, 'utf8'));
  const prior = args.prior ? parsePlayerGamesCsv(readFileSync(args.prior, 'utf8')) : undefined;
  const result = runBacktest({ games, prior, availability: args.availability });
  const seconds = (performance.now() - t0) / 1000;
  if (args.out) writeFileSync(args.out, predictionsCsv(result));
  if (args.gamesOut) writeFileSync(args.gamesOut, gamesCsv(result));
  if (args.json) print(JSON.stringify({ ...roundMetrics(result.metrics), seconds: Math.round(seconds * 100) / 100 }, null, 2));
  else print(formatReport(result.metrics, seconds));
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
