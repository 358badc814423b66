// The one description of every table that sync carries: columns, keys, which columns a write versions,
// which are derived, and the rule that orders two versions of one row. The repos, the change-tracking
// triggers (schema v4), the changeset builder/applier, the full merge and the restore all read it.
// Pure: no browser or network imports.
import type { SqlValue } from 'sql.js';

export type TableName = 'teams' | 'players' | 'games' | 'player_game_logs' | 'source_days' | 'predictions' | 'game_predictions';

export interface TableSpec {
  name: TableName;
  /** Every column that travels (changesets, snapshots), in a fixed order. The local `_v` column never travels. */
  columns: readonly string[];
  key: readonly string[];
  /**
   * Columns a write sets. A change in one of them is a new version of the row: the triggers stamp a new
   * hybrid-logical-clock value (`hlc`). Changes to other columns (actual results filled by scoring) are
   * recorded for the next changeset but keep the row's version.
   */
  versioned: readonly string[];
  /** Actual results (box-score facts joined into the row: known beats unknown). `actuals[0]` tells known from unknown. */
  actuals: readonly string[];
  /** Recomputed from actuals and the winning version (never compared). */
  derived: readonly string[];
  /** Columns the triggers stamp besides `hlc`: human-readable time and writer, for display only. */
  humanStamp: boolean;
  /**
   * "Further along" before the clock: a final game beats a live one whatever the clocks said, a complete
   * source day beats an incomplete one. Higher wins. Absent: the clock alone decides.
   */
  rank?: (row: Record<string, SqlValue>) => number;
  /** The same rank as an SQL expression over the row alias `row` (the set-based full merge uses it). */
  rankSql?: (row: string) => string;
}

const STATUS_RANK: Record<string, number> = { scheduled: 0, postponed: 0, live: 1, final: 2 };

const t = (spec: Omit<TableSpec, 'actuals' | 'derived' | 'humanStamp'> & Partial<TableSpec>): TableSpec => ({
  actuals: [],
  derived: [],
  humanStamp: false,
  ...spec,
});

const withoutMeta = (columns: readonly string[], exclude: readonly string[]) =>
  columns.filter((c) => !exclude.includes(c) && c !== 'hlc' && c !== 'updated_at' && c !== 'device_id');

const PREDICTION_COLUMNS = [
  'player_id', 'game_date', 'prediction_date', 'game_id', 'player_name', 'team_id', 'opponent_id',
  'projected_points', 'floor', 'ceiling', 'confidence', 'games_played', 'season_avg', 'last3_avg', 'last5_avg',
  'vs_opp_avg', 'vs_opp_games', 'opp_def_factor', 'pace_factor', 'home', 'rest_days', 'model_version',
  'actual_points', 'actual_minutes', 'did_play', 'error', 'abs_error', 'in_range', 'updated_at', 'device_id', 'deleted',
  'availability_status', 'hlc',
] as const;
const PREDICTION_ACTUALS = ['did_play', 'actual_points', 'actual_minutes'];
const PREDICTION_DERIVED = ['error', 'abs_error', 'in_range'];

const GAME_PREDICTION_COLUMNS = [
  'game_id', 'game_date', 'prediction_date', 'home_team_id', 'away_team_id', 'home_win_prob', 'projected_margin',
  'model_version', 'home_score', 'away_score', 'home_won', 'updated_at', 'device_id', 'deleted',
  'market_home_win_prob', 'market_home_margin', 'market_spread', 'market_total', 'hlc',
] as const;
const GAME_PREDICTION_ACTUALS = ['home_won', 'home_score', 'away_score'];

const GAME_COLUMNS = ['id', 'date', 'tipoff', 'home_team_id', 'away_team_id', 'status', 'home_score', 'away_score', 'source_id', 'hlc'] as const;
const LOG_COLUMNS = [
  'game_id', 'player_id', 'team_id', 'opponent_id', 'date', 'home', 'played', 'starter',
  'minutes', 'points', 'rebounds', 'assists', 'threes_made', 'dnp_reason', 'hlc',
] as const;

/** In dependency order (facts first), which is also the order a changeset is applied in. */
export const TABLES: readonly TableSpec[] = [
  t({ name: 'teams', columns: ['id', 'city', 'name', 'conference', 'hlc'], key: ['id'], versioned: ['city', 'name', 'conference'] }),
  t({ name: 'players', columns: ['id', 'name', 'team_id', 'position', 'source_id', 'hlc'], key: ['id'], versioned: ['name', 'team_id', 'position', 'source_id'] }),
  t({
    name: 'games',
    columns: GAME_COLUMNS,
    key: ['id'],
    versioned: withoutMeta(GAME_COLUMNS, ['id']),
    rank: (row) => {
      const rank = STATUS_RANK[String(row.status)];
      if (rank === undefined) throw new Error(`unknown game status ${JSON.stringify(row.status)}`);
      return rank;
    },
    rankSql: (row) => `CASE ${row}.status ${Object.entries(STATUS_RANK).map(([status, rank]) => `WHEN '${status}' THEN ${rank}`).join(' ')} END`,
  }),
  // Box-score lines: two upstreams may disagree about one final game; the later observation (clock) wins,
  // so every device ends on the same line whatever order it heard them in.
  t({ name: 'player_game_logs', columns: LOG_COLUMNS, key: ['game_id', 'player_id'], versioned: withoutMeta(LOG_COLUMNS, ['game_id', 'player_id']) }),
  t({
    name: 'source_days',
    columns: ['source_id', 'date', 'complete', 'fetched_at', 'hlc'],
    key: ['source_id', 'date'],
    versioned: ['complete', 'fetched_at'],
    rank: (row) => Number(row.complete ?? 0),
    rankSql: (row) => `COALESCE(${row}.complete, 0)`,
  }),
  t({
    name: 'predictions',
    columns: PREDICTION_COLUMNS,
    key: ['player_id', 'game_date'],
    versioned: withoutMeta(PREDICTION_COLUMNS, ['player_id', 'game_date', ...PREDICTION_ACTUALS, ...PREDICTION_DERIVED]),
    actuals: PREDICTION_ACTUALS,
    derived: PREDICTION_DERIVED,
    humanStamp: true,
  }),
  t({
    name: 'game_predictions',
    columns: GAME_PREDICTION_COLUMNS,
    key: ['game_id'],
    versioned: withoutMeta(GAME_PREDICTION_COLUMNS, ['game_id', ...GAME_PREDICTION_ACTUALS]),
    actuals: GAME_PREDICTION_ACTUALS,
    humanStamp: true,
  }),
];

export const TABLE: Record<TableName, TableSpec> = Object.fromEntries(TABLES.map((s) => [s.name, s])) as Record<TableName, TableSpec>;

/** `INSERT OR REPLACE` of all travelling columns (plus `_v` when asked) in `spec.columns` order. */
export function insertSql(spec: TableSpec, extra: readonly string[] = []): string {
  const columns = [...spec.columns, ...extra];
  return `INSERT OR REPLACE INTO ${spec.name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/** Values of `record` in `spec.columns` order (missing ones are null; the triggers stamp hlc and the human stamp). */
export function valuesOf(spec: TableSpec, record: Record<string, SqlValue>): SqlValue[] {
  return spec.columns.map((c) => record[c] ?? (c === 'hlc' ? '' : null));
}

// ---------------------------------------------------------------------------------------------
// Change tracking (cr-sqlite style): triggers that stamp versions and count local changes, silent while
// remote changes are applied (`sync_meta.applying = 1`, the "sync bit").

/** Wall-clock ms for a stamp: the one the write path set (`sync_meta.wall`), else SQLite's own clock. */
const WALL = `COALESCE(wall, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))`;

/** Hybrid logical clock step for a local write (Actual Budget's `Timestamp.send`), in one UPDATE. */
const TICK = `UPDATE sync_meta SET
    hlc_ms = CASE WHEN ${WALL} > hlc_ms THEN ${WALL} WHEN hlc_counter >= 999999 THEN hlc_ms + 1 ELSE hlc_ms END,
    hlc_counter = CASE WHEN ${WALL} > hlc_ms THEN 0 WHEN hlc_counter >= 999999 THEN 0 ELSE hlc_counter + 1 END,
    local_version = local_version + 1;`;

export const HLC_SQL = `printf('%015d.%06d.%s', hlc_ms, hlc_counter, node)`;

const tuple = (prefix: string, columns: readonly string[]) => `(${columns.map((c) => `${prefix}.${c}`).join(', ')})`;
const silent = `(SELECT applying FROM sync_meta) = 0`;

function stampSql(spec: TableSpec): string {
  const human = spec.humanStamp ? `, updated_at = (SELECT ${WALL} FROM sync_meta), device_id = (SELECT node FROM sync_meta)` : '';
  return `${TICK}
    UPDATE ${spec.name} SET hlc = (SELECT ${HLC_SQL} FROM sync_meta)${human}, _v = (SELECT local_version FROM sync_meta) WHERE rowid = NEW.rowid;`;
}

/** The triggers of one table (recursive triggers are off in SQLite, so the stamping UPDATE does not re-fire them). */
export function triggerSql(spec: TableSpec): string {
  const n = spec.name;
  const unversioned = [...spec.actuals, ...spec.derived];
  const onlyResults = unversioned.length
    ? `CREATE TRIGGER ${n}_track_results AFTER UPDATE ON ${n}
       WHEN ${silent} AND ${tuple('OLD', spec.versioned)} IS ${tuple('NEW', spec.versioned)} AND ${tuple('OLD', unversioned)} IS NOT ${tuple('NEW', unversioned)}
       BEGIN UPDATE sync_meta SET local_version = local_version + 1;
         UPDATE ${n} SET _v = (SELECT local_version FROM sync_meta) WHERE rowid = NEW.rowid; END;`
    : '';
  return `
    CREATE TRIGGER ${n}_track_insert AFTER INSERT ON ${n} WHEN ${silent} BEGIN ${stampSql(spec)} END;
    CREATE TRIGGER ${n}_track_update AFTER UPDATE ON ${n}
      WHEN ${silent} AND ${tuple('OLD', spec.versioned)} IS NOT ${tuple('NEW', spec.versioned)}
      BEGIN ${stampSql(spec)} END;
    ${onlyResults}`;
}

export function dropTriggersSql(spec: TableSpec): string {
  return ['insert', 'update', 'results'].map((k) => `DROP TRIGGER IF EXISTS ${spec.name}_track_${k};`).join('\n');
}
