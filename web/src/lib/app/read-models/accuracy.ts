// What Accuracy shows for a time range: point metrics, breakdowns, calibration and game picks.
// Reads only the columns the metrics need, as arrays (a season is ~35,000 rows).
import type { Database } from 'sql.js';
import { addDays, seasonOf, seasonStart } from '../../domain/dates';
import type { IsoDate } from '../../domain/types';
import { listGamePredictions } from '../../db/predictions-repo';
import {
  countDnp, dailyMae, maeByConfidence, maeByPlayer, maeByTeam, maeByTier, pointsCalibration, rollingMae, summarizeGamePicks,
  summarizePoints, winProbabilityCalibration, type PointRow,
} from '../../metrics/accuracy';

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

const OF_SOURCE = '(game_id IN (SELECT id FROM games WHERE source_id = ?) OR game_id NOT IN (SELECT id FROM games))';

/** Logged predictions whose result is in (played or DNP), lean rows for the metrics. */
function resultRows(db: Database, from: IsoDate | undefined, to: IsoDate | undefined, sourceId: string): PointRow[] {
  const stmt = db.prepare(
    `SELECT player_id, game_date, player_name, team_id, projected_points, floor, ceiling, actual_points, did_play
     FROM predictions WHERE deleted = 0 AND did_play IS NOT NULL AND game_date >= ? AND game_date <= ? AND ${OF_SOURCE}`,
  );
  const rows: PointRow[] = [];
  try {
    stmt.bind([from ?? '0000-00-00', to ?? '9999-99-99', sourceId]);
    while (stmt.step()) {
      const r = stmt.get();
      rows.push({
        playerId: String(r[0]),
        gameDate: String(r[1]),
        playerName: String(r[2]),
        teamId: String(r[3]),
        projectedPoints: Number(r[4]),
        floor: Number(r[5]),
        ceiling: Number(r[6]),
        actualPoints: r[7] === null ? null : Number(r[7]),
        didPlay: Number(r[8]) === 1,
        deleted: false,
      });
    }
  } finally {
    stmt.free();
  }
  return rows;
}

export function accuracyView(db: Database, input: { range: AccuracyRange; today: IsoDate; sourceId: string }) {
  const { from, to } = resolveRange(input.range, input.today);
  const rows = resultRows(db, from, to, input.sourceId);
  const games = listGamePredictions(db, { from, to, sourceId: input.sourceId });
  return {
    from,
    to,
    points: summarizePoints(rows),
    dnp: countDnp(rows),
    bands: maeByConfidence(rows),
    tiers: maeByTier(rows),
    teams: maeByTeam(rows),
    players: maeByPlayer(rows).slice(0, 25),
    daily: dailyMae(rows),
    rolling: rollingMae(rows, ROLLING_WINDOW_DAYS),
    calibration: pointsCalibration(rows),
    picks: summarizeGamePicks(games),
    winCalibration: winProbabilityCalibration(games),
  };
}
export type AccuracyView = ReturnType<typeof accuracyView>;
