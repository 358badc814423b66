// Reads and writes of the prediction log (player points and game picks), and scoring against results.
import type { Database, SqlValue } from 'sql.js';
import type { GamePrediction, IsoDate, Prediction } from '../domain/types';
import { all, bool, fromBool, num, one, type Row } from './sql';
import { TABLE } from './tables';

const PREDICTIONS = TABLE.predictions;
const GAME_PREDICTIONS = TABLE.game_predictions;

/** A prediction as a row (the triggers stamp hlc, updated_at and device_id when it is written). */
function predictionRecord(p: Prediction): Record<string, SqlValue> {
  const f = p.factors;
  return {
    player_id: p.playerId, game_date: p.gameDate, prediction_date: p.predictionDate, game_id: p.gameId,
    player_name: p.playerName, team_id: p.teamId, opponent_id: p.opponentId, projected_points: p.projectedPoints,
    floor: p.floor, ceiling: p.ceiling, confidence: p.confidence, games_played: f.gamesPlayed, season_avg: f.seasonAvg,
    last3_avg: f.last3Avg, last5_avg: f.last5Avg, vs_opp_avg: f.vsOppAvg, vs_opp_games: f.vsOppGames,
    opp_def_factor: f.oppDefFactor, pace_factor: f.paceFactor, home: bool(f.home), rest_days: f.restDays,
    model_version: p.modelVersion, actual_points: p.actualPoints, actual_minutes: p.actualMinutes, did_play: bool(p.didPlay),
    error: p.error, abs_error: p.absError, in_range: bool(p.inRange), updated_at: p.updatedAt, device_id: p.deviceId,
    deleted: bool(p.deleted), availability_status: p.availabilityStatus,
  };
}

export function rowToPrediction(r: Row): Prediction {
  return {
    playerId: String(r.player_id),
    gameDate: String(r.game_date),
    predictionDate: String(r.prediction_date),
    gameId: String(r.game_id),
    playerName: String(r.player_name),
    teamId: String(r.team_id),
    opponentId: String(r.opponent_id),
    projectedPoints: Number(r.projected_points),
    floor: Number(r.floor),
    ceiling: Number(r.ceiling),
    confidence: Number(r.confidence),
    factors: {
      gamesPlayed: Number(r.games_played),
      seasonAvg: num(r.season_avg),
      last3Avg: num(r.last3_avg),
      last5Avg: num(r.last5_avg),
      vsOppAvg: num(r.vs_opp_avg),
      vsOppGames: Number(r.vs_opp_games),
      oppDefFactor: Number(r.opp_def_factor),
      paceFactor: Number(r.pace_factor),
      home: Number(r.home) === 1,
      restDays: num(r.rest_days),
    },
    modelVersion: String(r.model_version),
    actualPoints: num(r.actual_points),
    actualMinutes: num(r.actual_minutes),
    didPlay: fromBool(r.did_play),
    error: num(r.error),
    absError: num(r.abs_error),
    inRange: fromBool(r.in_range),
    updatedAt: Number(r.updated_at),
    deviceId: String(r.device_id),
    deleted: Number(r.deleted) === 1,
    availabilityStatus: r.availability_status == null ? null : (String(r.availability_status) as Prediction['availabilityStatus']),
  };
}

/** The fields a user would call "the prediction": if none changed, re-logging is a no-op. */
const PROJECTION_FIELDS = ['game_id', 'projected_points', 'floor', 'ceiling', 'confidence', 'model_version', 'availability_status', 'deleted'] as const;
const GAME_PROJECTION_FIELDS = [
  'home_win_prob', 'projected_margin', 'model_version', 'market_home_win_prob', 'market_home_margin', 'market_spread', 'market_total', 'deleted',
] as const;

/** Columns a save writes: every travelling column but `hlc`, which the change-tracking triggers stamp. */
const writtenColumns = (columns: readonly string[]) => columns.filter((c) => c !== 'hlc');
const PREDICTION_COLUMNS = writtenColumns(PREDICTIONS.columns);
const GAME_PREDICTION_COLUMNS = writtenColumns(GAME_PREDICTIONS.columns);
const valuesFor = (columns: readonly string[], record: Record<string, SqlValue>): SqlValue[] => columns.map((c) => record[c] ?? null);

/**
 * One upsert for every row: a new key is inserted; an existing one is replaced only when `changed`
 * (an SQL condition over the old row and `excluded`) holds, so an unchanged row is not even touched.
 */
function upsertSql(table: string, columns: readonly string[], key: readonly string[], changed: string): string {
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
    ON CONFLICT(${key.join(', ')}) DO UPDATE SET ${updates.join(', ')} WHERE ${changed}`;
}

const projectionChanged = (table: string, fields: readonly string[]) =>
  `(${fields.map((f) => `${table}.${f}`).join(', ')}) IS NOT (${fields.map((f) => `excluded.${f}`).join(', ')})`;

/** Runs one upsert statement over many rows and tells added / updated / unchanged apart from row counts. */
function upsertCounted(db: Database, table: string, sql: string, rows: SqlValue[][]): SaveCounts {
  const count = () => Number(one(db, `SELECT COUNT(*) AS n FROM ${table}`)?.n ?? 0);
  const before = count();
  let written = 0;
  const stmt = db.prepare(sql);
  try {
    for (const row of rows) {
      stmt.run(row);
      written += db.getRowsModified();
    }
  } finally {
    stmt.free();
  }
  const added = count() - before;
  return { added, updated: written - added, unchanged: rows.length - written };
}

export function getPrediction(db: Database, playerId: string, gameDate: IsoDate): Prediction | undefined {
  const r = one(db, 'SELECT * FROM predictions WHERE player_id = ? AND game_date = ?', [playerId, gameDate]);
  return r && rowToPrediction(r);
}

export interface SaveCounts {
  added: number;
  updated: number;
  unchanged: number;
}

const UPSERT_PREDICTION = upsertSql('predictions', PREDICTION_COLUMNS, ['player_id', 'game_date'], projectionChanged('predictions', PROJECTION_FIELDS));
const UPSERT_PREDICTION_IF_NEWER = upsertSql('predictions', PREDICTION_COLUMNS, ['player_id', 'game_date'], 'excluded.updated_at > predictions.updated_at');

/**
 * Logs predictions, one per (player, game date): a new key is added, an existing one is replaced only
 * when its projection changed (so logging the same slate twice changes nothing, not even timestamps).
 * `keepNewer` (imports, merges) replaces an existing row only when the incoming one is newer.
 * One upsert statement for the whole batch: no read per row.
 */
export function savePredictions(db: Database, predictions: Prediction[], options: { keepNewer?: boolean } = {}): SaveCounts {
  return upsertCounted(db, 'predictions', options.keepNewer ? UPSERT_PREDICTION_IF_NEWER : UPSERT_PREDICTION, predictions.map((p) => valuesFor(PREDICTION_COLUMNS, predictionRecord(p))));
}

export interface PredictionFilter {
  from?: IsoDate;
  to?: IsoDate;
  /** Case-insensitive substring of the player's name. */
  player?: string;
  /** Team id; matches the player's team. */
  team?: string;
  /** Only rows whose actual result is known (and the player played). */
  scoredOnly?: boolean;
  /** Only predictions for games of this data source (simulated league or live NBA). */
  sourceId?: string;
  /** Hit: actual inside floor–ceiling; miss: outside; dnp: did not play; pending: no result yet. */
  result?: 'hit' | 'miss' | 'dnp' | 'pending';
  /** Band width (ceiling − projection) bounds: how a confidence band is asked for (metrics/confidence.ts). */
  spread?: { min?: number; max?: number };
}

/** Columns History sorts by, each with its SQL expression. */
export const PREDICTION_SORTS = {
  date: 'game_date',
  player: 'player_name COLLATE NOCASE',
  team: 'team_id',
  projected: 'projected_points',
  actual: 'actual_points',
  error: 'error',
  confidence: '(ceiling - projected_points) * -1',
} as const;
export type PredictionSortKey = keyof typeof PREDICTION_SORTS;
export interface PredictionSort {
  key: PredictionSortKey;
  desc: boolean;
}

/** A prediction belongs to the source of its game; one whose game is not stored (say, imported from a CSV
 * before its day was fetched) is shown under every source rather than hidden. */
const OF_SOURCE = '(game_id IN (SELECT id FROM games WHERE source_id = ?) OR game_id NOT IN (SELECT id FROM games))';

function whereClause(filter: PredictionFilter): { sql: string; params: SqlValue[] } {
  const parts = ['deleted = 0'];
  const params: SqlValue[] = [];
  if (filter.from) (parts.push('game_date >= ?'), params.push(filter.from));
  if (filter.to) (parts.push('game_date <= ?'), params.push(filter.to));
  if (filter.player?.trim()) (parts.push("player_name LIKE ? ESCAPE '\\'"), params.push(`%${escapeLike(filter.player.trim())}%`));
  if (filter.team) (parts.push('team_id = ?'), params.push(filter.team));
  if (filter.scoredOnly) parts.push('did_play = 1 AND actual_points IS NOT NULL');
  if (filter.sourceId) (parts.push(OF_SOURCE), params.push(filter.sourceId));
  if (filter.result === 'hit') parts.push('did_play = 1 AND in_range = 1');
  if (filter.result === 'miss') parts.push('did_play = 1 AND in_range = 0');
  if (filter.result === 'dnp') parts.push('did_play = 0');
  if (filter.result === 'pending') parts.push('did_play IS NULL');
  if (filter.spread?.min !== undefined && Number.isFinite(filter.spread.min)) (parts.push('ceiling - projected_points > ?'), params.push(filter.spread.min));
  if (filter.spread?.max !== undefined && Number.isFinite(filter.spread.max)) (parts.push('ceiling - projected_points <= ?'), params.push(filter.spread.max));
  return { sql: parts.join(' AND '), params };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function countPredictions(db: Database, filter: PredictionFilter = {}): number {
  const where = whereClause(filter);
  return Number(one(db, `SELECT COUNT(*) AS n FROM predictions WHERE ${where.sql}`, where.params)?.n ?? 0);
}

/** Newest game date first, then highest projection. `limit` undefined returns every row. */
export function listPredictions(
  db: Database,
  filter: PredictionFilter = {},
  page?: { limit: number; offset: number },
  sort?: PredictionSort,
): Prediction[] {
  const where = whereClause(filter);
  const paging = page ? ` LIMIT ${Math.max(0, Math.floor(page.limit))} OFFSET ${Math.max(0, Math.floor(page.offset))}` : '';
  // Rows without the sorted value (pending actuals) go last either way.
  const first = sort && Object.hasOwn(PREDICTION_SORTS, sort.key)
    ? `${PREDICTION_SORTS[sort.key]} IS NULL, ${PREDICTION_SORTS[sort.key]} ${sort.desc ? 'DESC' : 'ASC'}, `
    : '';
  return all(
    db,
    `SELECT * FROM predictions WHERE ${where.sql} ORDER BY ${first}game_date DESC, projected_points DESC, player_id${paging}`,
    where.params,
  ).map(rowToPrediction);
}

export function rowToGamePrediction(r: Row): GamePrediction {
  return {
    gameId: String(r.game_id),
    gameDate: String(r.game_date),
    predictionDate: String(r.prediction_date),
    homeTeamId: String(r.home_team_id),
    awayTeamId: String(r.away_team_id),
    homeWinProb: Number(r.home_win_prob),
    projectedMargin: Number(r.projected_margin),
    modelVersion: String(r.model_version),
    homeScore: num(r.home_score),
    awayScore: num(r.away_score),
    homeWon: fromBool(r.home_won),
    updatedAt: Number(r.updated_at),
    deviceId: String(r.device_id),
    deleted: Number(r.deleted) === 1,
    marketHomeWinProb: num(r.market_home_win_prob),
    marketHomeMargin: num(r.market_home_margin),
    marketSpread: num(r.market_spread),
    marketTotal: num(r.market_total),
  };
}

const UPSERT_GAME_PREDICTION = upsertSql(
  'game_predictions', GAME_PREDICTION_COLUMNS, ['game_id'],
  projectionChanged('game_predictions', GAME_PROJECTION_FIELDS),
);
const UPSERT_GAME_PREDICTION_IF_NEWER = upsertSql('game_predictions', GAME_PREDICTION_COLUMNS, ['game_id'], 'excluded.updated_at > game_predictions.updated_at');

export function saveGamePredictions(db: Database, predictions: GamePrediction[], options: { keepNewer?: boolean } = {}): SaveCounts {
  const rows = predictions.map((g) =>
    valuesFor(GAME_PREDICTION_COLUMNS, {
      game_id: g.gameId, game_date: g.gameDate, prediction_date: g.predictionDate, home_team_id: g.homeTeamId,
      away_team_id: g.awayTeamId, home_win_prob: g.homeWinProb, projected_margin: g.projectedMargin,
      model_version: g.modelVersion, home_score: g.homeScore, away_score: g.awayScore, home_won: bool(g.homeWon),
      updated_at: g.updatedAt, device_id: g.deviceId, deleted: bool(g.deleted),
      market_home_win_prob: g.marketHomeWinProb, market_home_margin: g.marketHomeMargin,
      market_spread: g.marketSpread, market_total: g.marketTotal,
    }),
  );
  return upsertCounted(db, 'game_predictions', options.keepNewer ? UPSERT_GAME_PREDICTION_IF_NEWER : UPSERT_GAME_PREDICTION, rows);
}

export function listGamePredictions(db: Database, filter: { from?: IsoDate; to?: IsoDate; sourceId?: string } = {}): GamePrediction[] {
  const bySource = filter.sourceId ? ` AND ${OF_SOURCE}` : '';
  return all(
    db,
    `SELECT * FROM game_predictions WHERE deleted = 0 AND game_date >= ? AND game_date <= ?${bySource} ORDER BY game_date DESC, game_id`,
    [filter.from ?? '0000-00-00', filter.to ?? '9999-99-99', ...(filter.sourceId ? [filter.sourceId] : [])],
  ).map(rowToGamePrediction);
}

/**
 * Fills actual results into logged predictions whose game is final and not yet scored:
 * points, minutes, did-play, error, absolute error and whether the actual fell inside floor–ceiling.
 * A player with no line in a final game whose box score is stored is scored as did-not-play.
 * Tombstones are scored too: actuals are facts about the game, and a merge must reach the same rows
 * whichever device scored first. Returns how many player and game predictions were scored.
 *
 * Scoring does not touch updated_at / device_id: actual results are derived facts (from the box score),
 * not a user's write, and sync merges them separately from the row version (see sync/merge.ts). Bumping
 * the version here would let a device that scored an old projection override a newer edit made on
 * another device. `now` and `deviceId` are kept for callers and are currently unused.
 */
export function scoreFinishedGames(
  db: Database,
  onlyGames?: readonly string[],
  /** The games whose stored scores are checked against their facts (those just written); every game when omitted. */
  recheckGames: readonly string[] | undefined = onlyGames,
): { players: number; games: number; corrected: number } {
  // Each statement is driven by the unscored rows (indexed lookups into games and logs per row), not by a
  // list of every final game; `onlyGames` narrows it to those games (a sync apply rescores what it touched).
  if (onlyGames?.length === 0) return { players: 0, games: 0, corrected: 0 };
  // Nothing logged yet (a first visit's backfill): nothing to score or clear, and preparing the statements below
  // (with their tables' triggers) is most of a cold first write's scoring time.
  if (db.exec('SELECT EXISTS (SELECT 1 FROM predictions) OR EXISTS (SELECT 1 FROM game_predictions)')[0].values[0][0] === 0) {
    return { players: 0, games: 0, corrected: 0 };
  }
  const only = onlyGames ? 'AND game_id IN (SELECT value FROM json_each(?))' : '';
  const params = onlyGames ? [JSON.stringify(onlyGames)] : [];
  const line = 'l.game_id = predictions.game_id AND l.player_id = predictions.player_id';
  // Scores the facts no longer support are cleared first, then scored again below: the league corrects box
  // scores and final scores after the fact, and a device may have scored against a line a sync then replaced.
  // Only a stored line or final score that disagrees clears a score; a missing one keeps it.
  const recheck = recheckGames ? 'AND game_id IN (SELECT value FROM json_each(?))' : '';
  const recheckParams = recheckGames ? [JSON.stringify(recheckGames)] : [];
  db.run(
    `UPDATE predictions SET actual_points = NULL, actual_minutes = NULL, did_play = NULL, error = NULL, abs_error = NULL, in_range = NULL
     WHERE did_play IS NOT NULL ${recheck} AND EXISTS (SELECT 1 FROM player_game_logs l WHERE ${line} AND (
       l.played IS NOT did_play OR (l.played = 1 AND (l.points IS NOT actual_points OR l.minutes IS NOT actual_minutes))))`,
    recheckParams,
  );
  const corrected = db.getRowsModified();
  db.run(
    `UPDATE game_predictions SET home_score = NULL, away_score = NULL, home_won = NULL
     WHERE home_won IS NOT NULL ${recheck} AND EXISTS (SELECT 1 FROM games g WHERE g.id = game_predictions.game_id AND g.status = 'final'
       AND g.home_score IS NOT NULL AND g.away_score IS NOT NULL
       AND (g.home_score IS NOT game_predictions.home_score OR g.away_score IS NOT game_predictions.away_score))`,
    recheckParams,
  );
  const correctedGames = db.getRowsModified();
  db.run(
    `UPDATE predictions SET
       actual_points = (SELECT l.points FROM player_game_logs l WHERE ${line} AND l.played = 1),
       actual_minutes = (SELECT l.minutes FROM player_game_logs l WHERE ${line} AND l.played = 1),
       did_play = COALESCE((SELECT l.played FROM player_game_logs l WHERE ${line}), 0)
     WHERE did_play IS NULL ${only}
       AND EXISTS (SELECT 1 FROM games g WHERE g.id = predictions.game_id AND g.status = 'final')
       AND EXISTS (SELECT 1 FROM player_game_logs l WHERE l.game_id = predictions.game_id)`,
    params,
  );
  const players = db.getRowsModified();
  db.run(
    `UPDATE predictions SET error = actual_points - projected_points,
       abs_error = ABS(actual_points - projected_points),
       in_range = (actual_points >= floor AND actual_points <= ceiling)
     WHERE did_play = 1 AND actual_points IS NOT NULL AND error IS NULL ${only}`,
    params,
  );
  db.run(
    `UPDATE game_predictions SET
       home_score = (SELECT g.home_score FROM games g WHERE g.id = game_predictions.game_id),
       away_score = (SELECT g.away_score FROM games g WHERE g.id = game_predictions.game_id),
       home_won = (SELECT g.home_score > g.away_score FROM games g WHERE g.id = game_predictions.game_id)
     WHERE home_won IS NULL ${only}
       AND EXISTS (SELECT 1 FROM games g WHERE g.id = game_predictions.game_id AND g.status = 'final'
                   AND g.home_score IS NOT NULL AND g.away_score IS NOT NULL)`,
    params,
  );
  return { players, games: db.getRowsModified(), corrected: corrected + correctedGames };
}

/** Game dates with logged predictions that are all scored (or DNP): the day's record is complete. */
export function completedPredictionDates(db: Database, since: IsoDate): IsoDate[] {
  return all(
    db,
    `SELECT game_date FROM predictions WHERE deleted = 0 AND game_date >= ?
     GROUP BY game_date HAVING SUM(did_play IS NULL) = 0 ORDER BY game_date`,
    [since],
  ).map((r) => String(r.game_date));
}
