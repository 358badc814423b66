// Row-by-row merge of a remote copy of the database into the local one (whole-file sync).
// Pure: works on any two sql.js Databases, in the browser and in Node. No network, no DOM.
//
// Synced tables (predictions, game_predictions) are last-writer-wins registers per natural key,
// ordered by (updated_at, device_id, row content), so the merge is idempotent, commutative and
// associative. Actual results (the box-score columns) are not part of the versioned content: they
// are derived facts, joined separately (known beats unknown), so scoring a prediction never needs to
// win by timestamp and never overrides a user's newer edit. League facts are unions with a
// "further along wins" rule for games and source days.
import type { Database, SqlValue } from 'sql.js';
import { scoreFinishedGames } from '../db/predictions-repo';
import { schemaVersion } from '../db/schema';
import { runMany, transaction } from '../db/sql';

/**
 * Per synced table: `inserted` keys only the remote had; `updated` keys where the remote version won;
 * `keptLocal` keys where the local version was newer (identical versions are counted nowhere).
 * `facts` counts rows written into each local table.
 */
export interface MergeReport {
  predictions: { inserted: number; updated: number; keptLocal: number };
  gamePredictions: { inserted: number; updated: number; keptLocal: number };
  facts: { games: number; logs: number; players: number; teams: number; sourceDays: number };
  /** True when the local database has rows (or newer row versions) that the remote lacks: the device must upload. */
  localAhead: boolean;
  /**
   * Remote timestamps from the future that were clamped to `now` (local rows left in the future by an
   * earlier wrong clock are clamped too and counted here).
   */
  clampedTimestamps: number;
}

export interface MergeOptions {
  /** Wall-clock ms of this merge. */
  now: number;
  /** A synced row stamped later than now + this is treated as written `now`. Default 5 minutes. */
  maxClockSkewMs?: number;
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

type Values = SqlValue[];

// ---------------------------------------------------------------------------------------------
// Synced tables

interface SyncedTable {
  name: string;
  columns: readonly string[];
  key: readonly number[];
  /** Columns a user's write sets: compared (after updated_at and device_id) to order two versions. */
  versioned: readonly number[];
  /** Box-score columns. The group is "known" when `actuals[0]` is not null. */
  actuals: readonly number[];
  updatedAt: number;
  deviceId: number;
  /** Loser's actuals may fill the winner only when these columns agree (same game). */
  sameFact: readonly number[];
  /** Recomputes columns derived from the actuals and the winner's projection, in place. */
  derive?: (row: Values) => void;
}

function tableSpec(
  name: string,
  columns: readonly string[],
  spec: { key: string[]; actuals: string[]; sameFact: string[]; derived?: string[]; derive?: (at: (c: string) => number) => (row: Values) => void },
): SyncedTable {
  const at = (c: string) => {
    const i = columns.indexOf(c);
    if (i < 0) throw new Error(`merge: unknown column ${name}.${c}`);
    return i;
  };
  const nonVersioned = new Set([...spec.actuals, ...(spec.derived ?? []), 'updated_at', 'device_id']);
  return {
    name,
    columns,
    key: spec.key.map(at),
    versioned: columns.filter((c) => !nonVersioned.has(c)).map(at),
    actuals: spec.actuals.map(at),
    updatedAt: at('updated_at'),
    deviceId: at('device_id'),
    sameFact: spec.sameFact.map(at),
    derive: spec.derive?.(at),
  };
}

const PREDICTIONS = tableSpec(
  'predictions',
  [
    'player_id', 'game_date', 'prediction_date', 'game_id', 'player_name', 'team_id', 'opponent_id',
    'projected_points', 'floor', 'ceiling', 'confidence', 'games_played', 'season_avg', 'last3_avg', 'last5_avg',
    'vs_opp_avg', 'vs_opp_games', 'opp_def_factor', 'pace_factor', 'home', 'rest_days', 'model_version',
    'actual_points', 'actual_minutes', 'did_play', 'error', 'abs_error', 'in_range', 'updated_at', 'device_id', 'deleted',
    'availability_status',
  ],
  {
    key: ['player_id', 'game_date'],
    // did_play first: it is set (0 or 1) by scoring, so it tells "scored" apart from "not yet".
    actuals: ['did_play', 'actual_points', 'actual_minutes'],
    derived: ['error', 'abs_error', 'in_range'],
    sameFact: ['game_id', 'player_id'],
    // Same arithmetic as scoreFinishedGames, against the winning projection.
    derive(at) {
      const [actualPoints, didPlay, projected, floor, ceiling, error, absError, inRange] = [
        'actual_points', 'did_play', 'projected_points', 'floor', 'ceiling', 'error', 'abs_error', 'in_range',
      ].map(at);
      return (row) => {
        const actual = row[actualPoints];
        if (row[didPlay] === 1 && typeof actual === 'number') {
          const e = actual - Number(row[projected]);
          row[error] = e;
          row[absError] = Math.abs(e);
          row[inRange] = actual >= Number(row[floor]) && actual <= Number(row[ceiling]) ? 1 : 0;
        } else {
          row[error] = null;
          row[absError] = null;
          row[inRange] = null;
        }
      };
    },
  },
);

const GAME_PREDICTIONS = tableSpec(
  'game_predictions',
  [
    'game_id', 'game_date', 'prediction_date', 'home_team_id', 'away_team_id', 'home_win_prob', 'projected_margin',
    'model_version', 'home_score', 'away_score', 'home_won', 'updated_at', 'device_id', 'deleted',
    'market_home_win_prob', 'market_home_margin', 'market_spread', 'market_total',
  ],
  { key: ['game_id'], actuals: ['home_won', 'home_score', 'away_score'], sameFact: ['game_id'] },
);

// ---------------------------------------------------------------------------------------------
// Small utilities

function readRows(db: Database, table: string, columns: readonly string[]): Values[] {
  const stmt = db.prepare(`SELECT ${columns.join(', ')} FROM ${table}`);
  try {
    const out: Values[] = [];
    while (stmt.step()) out.push(stmt.get());
    return out;
  } finally {
    stmt.free();
  }
}

function keyOf(row: Values, key: readonly number[]): string {
  return key.length === 1 ? String(row[key[0]]) : key.map((i) => String(row[i])).join('\u0000');
}

function indexRows(rows: Values[], key: readonly number[]): Map<string, Values> {
  const map = new Map<string, Values>();
  for (const row of rows) map.set(keyOf(row, key), row);
  return map;
}

const typeRank = (v: SqlValue): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3);

/** A total order on SQL values: null < numbers < text < blobs. */
function compareValues(a: SqlValue, b: SqlValue): number {
  if (a === b) return 0;
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  if (ta === 1) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ta === 2) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ta === 3) {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  return 0;
}

function compareColumns(a: Values, b: Values, columns: readonly number[]): number {
  for (const i of columns) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function sameRow(a: Values, b: Values): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && compareValues(a[i], b[i]) !== 0) return false;
  return true;
}

function insertSql(table: string, columns: readonly string[], verb = 'INSERT OR REPLACE'): string {
  return `${verb} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// LWW merge of one synced table

interface SyncedCounts {
  inserted: number;
  updated: number;
  keptLocal: number;
}

/**
 * Orders two versions of one key: > 0 when `a` wins. (updated_at, device_id) decide; if those tie,
 * the versioned content decides so that merging is still commutative when two different versions
 * share a stamp. When a stamp was clamped, the same device writing the same content is the same
 * version whatever `now` the clamp produced, so re-merging an uncorrected remote changes nothing.
 */
function compareVersions(t: SyncedTable, a: Values, b: Values, clamped: boolean): number {
  if (clamped && a[t.deviceId] === b[t.deviceId] && compareColumns(a, b, t.versioned) === 0) return 0;
  return (
    compareValues(a[t.updatedAt], b[t.updatedAt]) ||
    compareValues(a[t.deviceId], b[t.deviceId]) ||
    compareColumns(a, b, t.versioned)
  );
}

const known = (t: SyncedTable, row: Values) => row[t.actuals[0]] !== null && row[t.actuals[0]] !== undefined;

/**
 * The merged row of two versions: the winner's versioned content and stamp, plus the join of both
 * actual-result groups (known beats unknown; two different known groups, which only happen if box
 * scores disagreed, are ordered by value so every device picks the same one), with derived columns
 * recomputed against the winner's projection.
 */
function mergeVersions(t: SyncedTable, winner: Values, loser: Values): Values {
  const out = winner.slice();
  if (known(t, loser) && compareColumns(winner, loser, t.sameFact) === 0) {
    if (!known(t, winner) || compareColumns(loser, winner, t.actuals) > 0) for (const i of t.actuals) out[i] = loser[i];
  }
  return normalize(t, out);
}

/** Canonical form of a stored row: derived columns recomputed from actuals and projection. */
function normalize(t: SyncedTable, row: Values): Values {
  t.derive?.(row);
  return row;
}

/** The row with a far-future updated_at replaced by `now` (a copy), or the row itself. */
function clamp(t: SyncedTable, row: Values, now: number, limit: number, state: { clamped: number }): Values {
  const stamp = row[t.updatedAt];
  if (typeof stamp !== 'number' || stamp <= limit) return row;
  state.clamped++;
  const copy = row.slice();
  copy[t.updatedAt] = now;
  return copy;
}

function mergeSynced(
  local: Database,
  remote: Database,
  t: SyncedTable,
  now: number,
  limit: number,
  state: { localAhead: boolean; clamped: number },
): SyncedCounts {
  const counts: SyncedCounts = { inserted: 0, updated: 0, keptLocal: 0 };
  const remoteRows = indexRows(readRows(remote, t.name, t.columns), t.key);
  const toWrite: Values[] = [];
  const seen = new Set<string>();

  for (const localRaw of readRows(local, t.name, t.columns)) {
    const key = keyOf(localRaw, t.key);
    const remoteRaw = remoteRows.get(key);
    const l = clamp(t, localRaw, now, limit, state);
    if (!remoteRaw) {
      state.localAhead = true;
      const normal = normalize(t, l === localRaw ? l.slice() : l);
      if (!sameRow(normal, localRaw)) toWrite.push(normal);
      continue;
    }
    seen.add(key);
    const r = clamp(t, remoteRaw, now, limit, state);
    const order = compareVersions(t, l, r, l !== localRaw || r !== remoteRaw);
    const merged = order >= 0 ? mergeVersions(t, l, r) : mergeVersions(t, r, l);
    if (order > 0) counts.keptLocal++;
    else if (order < 0) counts.updated++;
    if (!sameRow(merged, localRaw)) toWrite.push(merged);
    if (!sameRow(merged, remoteRaw)) state.localAhead = true;
  }

  for (const [key, remoteRaw] of remoteRows) {
    if (seen.has(key)) continue;
    const r = clamp(t, remoteRaw, now, limit, state);
    // A clamped row: the remote still carries the future stamp, so upload the corrected one.
    if (r !== remoteRaw) state.localAhead = true;
    toWrite.push(normalize(t, r));
    counts.inserted++;
  }

  runMany(local, insertSql(t.name, t.columns), toWrite);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// League facts

const STATUS_RANK: Record<string, number> = { scheduled: 0, postponed: 0, live: 1, final: 2 };

function statusRank(status: SqlValue): number {
  const rank = STATUS_RANK[String(status)];
  if (rank === undefined) throw new Error(`merge: unknown game status ${JSON.stringify(status)}`);
  return rank;
}

const GAME_COLUMNS = ['id', 'date', 'tipoff', 'home_team_id', 'away_team_id', 'status', 'home_score', 'away_score', 'source_id'];
const scoreTotal = (g: Values): number => (g[6] === null || g[7] === null ? -1 : Number(g[6]) + Number(g[7]));
const ALL_GAME_COLUMNS = GAME_COLUMNS.map((_, i) => i);

/**
 * > 0 when game `a` is further along than `b`: by status (scheduled = postponed < live < final), then
 * by points on the board (a later live snapshot), then by content so both devices pick the same row.
 */
function compareGames(a: Values, b: Values): number {
  return statusRank(a[5]) - statusRank(b[5]) || scoreTotal(a) - scoreTotal(b) || compareColumns(a, b, ALL_GAME_COLUMNS);
}

const SOURCE_DAY_COLUMNS = ['source_id', 'date', 'complete', 'fetched_at'];
/** complete = 1 beats 0; then the later fetch wins. */
const compareSourceDays = (a: Values, b: Values): number => compareColumns(a, b, [2, 3]);

/** Games by id, missing ones treated as "not even scheduled". */
function gameOrderOf(localGames: Map<string, Values>, remoteGames: Map<string, Values>) {
  return (gameId: string): number => {
    const l = localGames.get(gameId);
    const r = remoteGames.get(gameId);
    if (!l || !r) return (l ? 1 : 0) - (r ? 1 : 0);
    return compareGames(l, r);
  };
}

const LOG_COLUMNS = [
  'game_id', 'player_id', 'team_id', 'opponent_id', 'date', 'home', 'played', 'starter',
  'minutes', 'points', 'rebounds', 'assists', 'threes_made', 'dnp_reason',
];

/**
 * Facts keyed by `key`: remote rows missing locally are inserted; for keys on both sides, `compare`
 * (if given) decides whether the remote row replaces the local one. Without `compare`, an existing
 * local row is left as is (same key = same fact). Returns rows written.
 */
function mergeFacts(
  local: Database,
  remote: Database,
  table: string,
  columns: string[],
  key: number[],
  state: { localAhead: boolean },
  compare?: (a: Values, b: Values) => number,
): number {
  const remoteRows = indexRows(readRows(remote, table, columns), key);
  const keyColumns = key.map((i) => columns[i]);
  // Without a compare rule only the local keys matter.
  const localRows = readRows(local, table, compare ? columns : keyColumns);
  const localKey = compare ? key : key.map((_, i) => i);
  const toWrite: Values[] = [];
  const seen = new Set<string>();
  for (const l of localRows) {
    const k = keyOf(l, localKey);
    const r = remoteRows.get(k);
    if (!r) {
      state.localAhead = true;
      continue;
    }
    seen.add(k);
    if (!compare) continue;
    const order = compare(l, r);
    if (order > 0) state.localAhead = true;
    else if (order < 0) toWrite.push(r);
  }
  for (const [k, r] of remoteRows) if (!seen.has(k)) toWrite.push(r);
  runMany(local, insertSql(table, columns), toWrite);
  return toWrite.length;
}

// ---------------------------------------------------------------------------------------------
// Scoring after the facts arrived

const LINE = 'l.game_id = predictions.game_id AND l.player_id = predictions.player_id';

/**
 * Fills actual results from the merged facts. Returns true if any row changed.
 *
 * Actuals are a join of everything known, so the final state must not depend on the order devices
 * merged in. Two things would make it depend on it, and are handled here before scoreFinishedGames:
 * - a did-not-play scored from a box score that lacked the player's line (one device's partial copy)
 *   is cleared once a played line is here, so scoring fills the real result;
 * - a tombstone can inherit actuals in a merge from a live version scored on another device, which is
 *   why scoreFinishedGames scores tombstones as well.
 */
function rescoreFromFacts(db: Database): boolean {
  let changed = 0;
  db.run(
    `UPDATE predictions SET actual_points = NULL, actual_minutes = NULL, did_play = NULL, error = NULL, abs_error = NULL, in_range = NULL
     WHERE did_play = 0 AND EXISTS (SELECT 1 FROM player_game_logs l WHERE ${LINE} AND l.played = 1)`,
  );
  changed += db.getRowsModified();
  // Scores every row whose game is final, and computes error / abs_error / in_range.
  const scored = scoreFinishedGames(db);
  return changed + scored.players + scored.games > 0;
}

// ---------------------------------------------------------------------------------------------

/**
 * Merges `remote` into `local` and scores predictions whose results arrived with the facts.
 * Runs in a savepoint of its own (the caller may wrap it in a wider transaction): if it throws,
 * `local` is unchanged. `remote` is only read.
 */
export function mergeDatabase(local: Database, remote: Database, options: MergeOptions): MergeReport {
  const now = options.now;
  const limit = now + (options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS);
  const localVersion = schemaVersion(local);
  const remoteVersion = schemaVersion(remote);
  if (localVersion !== remoteVersion) {
    throw new Error(`merge: schema versions differ (local ${localVersion}, remote ${remoteVersion}); migrate both first`);
  }

  return transaction(local, () => {
    const state = { localAhead: false, clamped: 0 };
    const predictions = mergeSynced(local, remote, PREDICTIONS, now, limit, state);
    const gamePredictions = mergeSynced(local, remote, GAME_PREDICTIONS, now, limit, state);
    // Box-score lines follow their game: a line stored while the game was live is replaced by the
    // line of the side whose game is further along (e.g. final); otherwise same key = same fact.
    const gameOrder = gameOrderOf(
      indexRows(readRows(local, 'games', GAME_COLUMNS), [0]),
      indexRows(readRows(remote, 'games', GAME_COLUMNS), [0]),
    );
    const compareLogs = (l: Values, r: Values) => (sameRow(l, r) ? 0 : gameOrder(String(l[0])));
    const facts = {
      teams: mergeFacts(local, remote, 'teams', ['id', 'city', 'name', 'conference'], [0], state),
      players: mergeFacts(local, remote, 'players', ['id', 'name', 'team_id', 'position', 'source_id'], [0], state),
      games: mergeFacts(local, remote, 'games', GAME_COLUMNS, [0], state, compareGames),
      logs: mergeFacts(local, remote, 'player_game_logs', LOG_COLUMNS, [0, 1], state, compareLogs),
      sourceDays: mergeFacts(local, remote, 'source_days', SOURCE_DAY_COLUMNS, [0, 1], state, compareSourceDays),
    };
    // Rows scored here lacked actuals on both sides before (or had a stale did-not-play), so the remote lacks them.
    if (rescoreFromFacts(local)) state.localAhead = true;
    return { predictions, gamePredictions, facts, localAhead: state.localAhead, clampedTimestamps: state.clamped };
  });
}
