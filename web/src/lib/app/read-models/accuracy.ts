// What Accuracy shows for a time range: point metrics, breakdowns, calibration and game picks.
import type { Database, SqlValue } from 'sql.js';
import { addDays, seasonOf, seasonStart } from '../../domain/dates';
import type { IsoDate } from '../../domain/types';
import { listGamePredictions } from '../../db/predictions-repo';
import { rollingFromDaily, summarizeGamePicks, TIERS, winProbabilityCalibration, type Breakdown, type PointsSummary } from '../../metrics/accuracy';
import { CONFIDENCE_BANDS, maxSpreadFor } from '../../metrics/confidence';

export type AccuracyRangeKind = '7d' | '30d' | 'season' | 'all' | 'custom';
export interface AccuracyRange {
  kind: AccuracyRangeKind;
  /** Only for 'custom'. */
  from?: IsoDate;
  to?: IsoDate;
}

export const ROLLING_WINDOW_DAYS = 7;

export function resolveRange(range: AccuracyRange, today: IsoDate): { from?: IsoDate; to?: IsoDate } {
  switch (range.kind) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'season':
      return { from: seasonStart(seasonOf(today)), to: today };
    case 'custom':
      return { from: range.from || undefined, to: range.to || undefined };
    default:
      return {};
  }
}

const OF_SOURCE = '(game_id IN (SELECT id FROM games WHERE source_id = :source) OR game_id NOT IN (SELECT id FROM games))';

/**
 * The Accuracy figures are aggregated by SQLite, one row per group: a season is ~35,000 predictions, and
 * stepping through that many rows in sql.js costs more than the whole view may take. The groupings are
 * the ones of metrics/accuracy.ts (the unit tests check both give the same numbers); band edges come from
 * metrics/confidence.ts as band widths.
 */
const SCORED = `SELECT player_id, player_name, team_id, game_date, projected_points AS p, actual_points AS a,
    (actual_points >= floor AND actual_points <= ceiling) AS inside, ceiling - projected_points AS spread
  FROM predictions
  WHERE deleted = 0 AND did_play = 1 AND actual_points IS NOT NULL AND game_date >= :from AND game_date <= :to AND ${OF_SOURCE}`;
const FIGURES = `COUNT(*) AS n, AVG(ABS(a - p)) AS mae, AVG((a - p) * (a - p)) AS mse, AVG(a - p) AS bias, AVG(inside) AS hit,
  SUM(a > p) AS over, SUM(a < p) AS under, SUM(a = p) AS push`;

type Params = Record<string, string | number>;
function rows(db: Database, sql: string, params: Params): SqlValue[][] {
  const stmt = db.prepare(sql);
  const out: SqlValue[][] = [];
  try {
    stmt.bind(params);
    while (stmt.step()) out.push(stmt.get());
  } finally {
    stmt.free();
  }
  return out;
}

const n = (v: SqlValue) => (v === null ? null : Number(v));
function figures(r: SqlValue[], at = 0): PointsSummary {
  const count = Number(r[at] ?? 0);
  const mse = n(r[at + 2]);
  return {
    count,
    mae: count ? n(r[at + 1]) : null,
    rmse: count && mse !== null ? Math.sqrt(mse) : null,
    bias: count ? n(r[at + 3]) : null,
    hitRate: count ? n(r[at + 4]) : null,
    over: Number(r[at + 5] ?? 0),
    under: Number(r[at + 6] ?? 0),
    push: Number(r[at + 7] ?? 0),
  };
}
const asBreakdown = (key: string, label: string, s: PointsSummary): Breakdown => ({ key, label, count: s.count, mae: s.mae, bias: s.bias, hitRate: s.hitRate });

export function accuracyView(db: Database, input: { range: AccuracyRange; today: IsoDate; sourceId: string }) {
  const { from, to } = resolveRange(input.range, input.today);
  const p: Params = { ':from': from ?? '0000-00-00', ':to': to ?? '9999-99-99', ':source': input.sourceId };
  const points = figures(rows(db, `SELECT ${FIGURES} FROM (${SCORED})`, p)[0]);
  const dnp = Number(
    rows(db, `SELECT COUNT(*) FROM predictions WHERE deleted = 0 AND did_play = 0 AND game_date >= :from AND game_date <= :to AND ${OF_SOURCE}`, p)[0][0],
  );

  // Bands by width: confidence ≥ min ⇔ spread ≤ maxSpreadFor(min).
  const high = CONFIDENCE_BANDS.find((b) => b.id === 'high')!;
  const medium = CONFIDENCE_BANDS.find((b) => b.id === 'medium')!;
  const byBand = new Map(
    rows(db, `SELECT CASE WHEN spread <= :high THEN 'high' WHEN spread <= :medium THEN 'medium' ELSE 'low' END AS band, ${FIGURES} FROM (${SCORED}) GROUP BY band`, {
      ...p,
      ':high': maxSpreadFor(high.min),
      ':medium': maxSpreadFor(medium.min),
    }).map((r) => [String(r[0]), figures(r, 1)]),
  );
  const bands = CONFIDENCE_BANDS.map((b) => {
    const s = byBand.get(b.id) ?? figures([]);
    return { band: b.label, count: s.count, mae: s.mae, hitRate: s.hitRate };
  });

  const tierCase = TIERS.map((t, i) => (Number.isFinite(t.max) ? `WHEN p < ${t.max} THEN ${i}` : `ELSE ${i}`)).join(' ');
  const byTier = new Map(rows(db, `SELECT CASE ${tierCase} END AS tier, ${FIGURES} FROM (${SCORED}) GROUP BY tier`, p).map((r) => [Number(r[0]), figures(r, 1)]));
  const tiers = TIERS.map((t, i) => [t, byTier.get(i)] as const)
    .filter(([, s]) => s)
    .map(([t, s]) => asBreakdown(t.label, t.label, s!));
  const teams = rows(db, `SELECT team_id, ${FIGURES} FROM (${SCORED}) GROUP BY team_id ORDER BY team_id`, p).map((r) => asBreakdown(String(r[0]), String(r[0]), figures(r, 1)));
  const players = rows(db, `SELECT player_id, MAX(player_name), ${FIGURES} FROM (${SCORED}) GROUP BY player_id ORDER BY n DESC, MAX(player_name) LIMIT 25`, p).map((r) => ({
    ...asBreakdown(String(r[0]), String(r[1]), figures(r, 2)),
    playerName: String(r[1]),
  }));
  const daily = rows(db, `SELECT game_date, COUNT(*), AVG(ABS(a - p)) FROM (${SCORED}) GROUP BY game_date ORDER BY game_date`, p).map((r) => ({
    date: String(r[0]),
    count: Number(r[1]),
    mae: Number(r[2]),
  }));
  const calibration = rows(db, `SELECT CAST(p / 5 AS INTEGER) AS bucket, COUNT(*), AVG(p), AVG(a) FROM (${SCORED}) GROUP BY bucket ORDER BY bucket`, p).map((r) => ({
    bucket: `${Number(r[0]) * 5}–${(Number(r[0]) + 1) * 5}`,
    count: Number(r[1]),
    projected: Number(r[2]),
    actual: Number(r[3]),
  }));
  const games = listGamePredictions(db, { from, to, sourceId: input.sourceId });
  return {
    from,
    to,
    points,
    dnp,
    bands,
    tiers,
    teams,
    players,
    daily,
    rolling: rollingFromDaily(daily, ROLLING_WINDOW_DAYS),
    calibration,
    picks: summarizeGamePicks(games),
    winCalibration: winProbabilityCalibration(games),
  };
}
export type AccuracyView = ReturnType<typeof accuracyView>;
