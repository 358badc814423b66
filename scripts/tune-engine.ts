// Tuning harness for the engine: walks ONE season on its own (no prior season) in both availability
// modes with parameter overrides and prints the figures the targets are about. Used to fit the engine on
// 2022-23 only; the other season is for checking with `npm run backtest` and is never tuned on here.
// Usage: npx tsx scripts/tune-engine.ts <player_games.csv> '<json overrides>' ['<json>' ...]
//   overrides: {"projection": {...}, "lineup": {...}, "gameContext": {...}}, merged into the engine defaults.
import { readFileSync } from 'node:fs';
import { parsePlayerGamesCsv, runBacktest, summarize, type AvailabilityMode } from '../web/src/lib/backtest';
import { GAME_CONTEXT_PARAMS, LINEUP_PARAMS, PROJECTION_PARAMS } from '../web/src/lib/engine';

const [file, ...variants] = process.argv.slice(2);
if (!file) throw new Error("usage: tune-engine <player_games.csv> '<json overrides>' ...");
const games = parsePlayerGamesCsv(readFileSync(file, 'utf8'));
for (const v of variants.length ? variants : ['{}']) {
  // from: score only games on or after this date (the weeks before are warm-up: histories, ratings), so the
  // figures resemble a season walked with a prior season behind it.
  const o = JSON.parse(v) as { projection?: object; lineup?: object; gameContext?: object; modes?: AvailabilityMode[]; from?: string };
  const out: string[] = [];
  for (const mode of o.modes ?? (['known', 'recent'] as const)) {
    const r = runBacktest({
      games,
      availability: mode,
      projectionParams: { ...PROJECTION_PARAMS, ...o.projection },
      lineupParams: { ...LINEUP_PARAMS, ...o.lineup },
      gameContextParams: { ...GAME_CONTEXT_PARAMS, ...o.gameContext },
    });
    const from = o.from ?? '';
    const m = summarize(r.players.filter((p) => p.date >= from), r.games.filter((g) => g.date >= from), null, null, 0, mode);
    // Bias (actual − projected) of every tier, bench → star.
    const tiers = m.points.byTier.map((t) => t.engineBias.toFixed(3)).join(' / ');
    out.push(
      `${mode}: mae ${m.points.engine.mae.toFixed(4)} cov ${((m.points.engine.coverage80 ?? 0) * 100).toFixed(2)}% acc ${(m.games.engine.accuracy * 100).toFixed(2)}% brier ${m.games.engine.brier.toFixed(5)} tier bias ${tiers}`,
    );
  }
  console.log(`${v}\n  ${out.join('\n  ')}`);
}
