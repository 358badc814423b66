// The database schema as forward-only migrations, tracked in `PRAGMA user_version`.
// Pure: works on any sql.js Database, in the browser and in Node.
import type { Database } from 'sql.js';
import { TABLES, triggerSql } from './tables';

/**
 * v3: change tracking inside the database (see tables.ts). Built from the table description as it was when v3
 * shipped; a later migration that changes a table's columns must drop and re-create that table's triggers.
 * - `sync_meta` (one row): this database's random id (sync state is tied to it), the hybrid logical clock
 *   (ms, counter, node), the local change counter, the wall clock the write path sets, and the sync bit.
 * - every synced and fact table gets `hlc` (the ordering key of the row's version) and `_v` (the local change
 *   counter when the row last changed here; 0 = exactly as the chain has it). Rows stored before v3 get
 *   `_v = 1` (unknown whether the chain has them) and prediction rows an `hlc` from their updated_at/device_id.
 * - `live_games`: running scores, local only (never tracked, never synced: each online device fetches its own).
 */
function changeTrackingMigration(): string {
  const perTable = TABLES.map(
    (t) => `ALTER TABLE ${t.name} ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
    ALTER TABLE ${t.name} ADD COLUMN _v INTEGER NOT NULL DEFAULT 0;
    UPDATE ${t.name} SET _v = 1;
    CREATE INDEX ${t.name}_local_version ON ${t.name}(_v);`,
  ).join('\n');
  return `
  CREATE TABLE sync_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    db_id TEXT NOT NULL,
    node TEXT NOT NULL,
    wall INTEGER,
    hlc_ms INTEGER NOT NULL DEFAULT 0,
    hlc_counter INTEGER NOT NULL DEFAULT 0,
    local_version INTEGER NOT NULL DEFAULT 0,
    applying INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO sync_meta (id, db_id, node) VALUES (1, lower(hex(randomblob(16))), lower(hex(randomblob(8))));
  ${perTable}
  UPDATE predictions SET hlc = printf('%015d.%06d.%s', updated_at, 0, device_id);
  UPDATE game_predictions SET hlc = printf('%015d.%06d.%s', updated_at, 0, device_id);
  UPDATE sync_meta SET
    local_version = 1,
    hlc_ms = MAX(0, COALESCE((SELECT MAX(updated_at) FROM predictions), 0), COALESCE((SELECT MAX(updated_at) FROM game_predictions), 0));
  CREATE TABLE live_games (
    game_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    home_score INTEGER,
    away_score INTEGER,
    period INTEGER,
    clock TEXT,
    observed_at INTEGER NOT NULL
  );
  ${TABLES.map(triggerSql).join('\n')}
  `;
}

/**
 * Each entry moves the schema from version i to i + 1. Never edit a shipped entry: add a new one.
 * Synced tables (predictions, game_predictions) carry `updated_at`, `device_id` and a `deleted`
 * tombstone so two devices can merge row by row without losing anything.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    city TEXT NOT NULL,
    name TEXT NOT NULL,
    conference TEXT NOT NULL
  );
  CREATE TABLE players (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    team_id TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX players_team ON players(team_id);
  CREATE TABLE games (
    id TEXT PRIMARY KEY,
    date TEXT NOT NULL,
    tipoff TEXT NOT NULL,
    home_team_id TEXT NOT NULL,
    away_team_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'final', 'postponed')),
    home_score INTEGER,
    away_score INTEGER
  );
  CREATE INDEX games_date ON games(date);
  CREATE TABLE player_game_logs (
    game_id TEXT NOT NULL,
    player_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    opponent_id TEXT NOT NULL,
    date TEXT NOT NULL,
    home INTEGER NOT NULL,
    played INTEGER NOT NULL,
    starter INTEGER NOT NULL DEFAULT 0,
    minutes REAL NOT NULL,
    points INTEGER NOT NULL,
    rebounds INTEGER NOT NULL,
    assists INTEGER NOT NULL,
    threes_made INTEGER NOT NULL,
    dnp_reason TEXT,
    PRIMARY KEY (game_id, player_id)
  );
  CREATE INDEX logs_player_date ON player_game_logs(player_id, date);
  CREATE TABLE source_days (
    source_id TEXT NOT NULL,
    date TEXT NOT NULL,
    complete INTEGER NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (source_id, date)
  );
  CREATE TABLE predictions (
    player_id TEXT NOT NULL,
    game_date TEXT NOT NULL,
    prediction_date TEXT NOT NULL,
    game_id TEXT NOT NULL,
    player_name TEXT NOT NULL,
    team_id TEXT NOT NULL,
    opponent_id TEXT NOT NULL,
    projected_points REAL NOT NULL,
    floor REAL NOT NULL,
    ceiling REAL NOT NULL,
    confidence REAL NOT NULL,
    games_played INTEGER NOT NULL,
    season_avg REAL,
    last3_avg REAL,
    last5_avg REAL,
    vs_opp_avg REAL,
    vs_opp_games INTEGER NOT NULL,
    opp_def_factor REAL NOT NULL,
    pace_factor REAL NOT NULL,
    home INTEGER NOT NULL,
    rest_days INTEGER,
    model_version TEXT NOT NULL,
    actual_points INTEGER,
    actual_minutes REAL,
    did_play INTEGER,
    error REAL,
    abs_error REAL,
    in_range INTEGER,
    updated_at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (player_id, game_date)
  );
  CREATE INDEX predictions_game_date ON predictions(game_date);
  CREATE INDEX predictions_game ON predictions(game_id);
  CREATE TABLE game_predictions (
    game_id TEXT PRIMARY KEY,
    game_date TEXT NOT NULL,
    prediction_date TEXT NOT NULL,
    home_team_id TEXT NOT NULL,
    away_team_id TEXT NOT NULL,
    home_win_prob REAL NOT NULL,
    projected_margin REAL NOT NULL,
    model_version TEXT NOT NULL,
    home_score INTEGER,
    away_score INTEGER,
    home_won INTEGER,
    updated_at INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX game_predictions_date ON game_predictions(game_date);
  `,
  // v2: league facts remember their source, so a simulated league and real NBA data can share one
  // database without mixing rosters, schedules or ratings. Everything stored before came from the simulation.
  `
  ALTER TABLE games ADD COLUMN source_id TEXT NOT NULL DEFAULT 'simulated';
  ALTER TABLE players ADD COLUMN source_id TEXT NOT NULL DEFAULT 'simulated';
  CREATE INDEX games_source_date ON games(source_id, date);
  CREATE INDEX players_source_team ON players(source_id, team_id);
  `,
  // v3: the player's injury-report status at
  // prediction time, and the betting market logged beside each game pick.
  `
  ALTER TABLE predictions ADD COLUMN availability_status TEXT
    CHECK (availability_status IS NULL OR availability_status IN ('out', 'doubtful', 'questionable', 'probable', 'available'));
  ALTER TABLE game_predictions ADD COLUMN market_home_win_prob REAL;
  ALTER TABLE game_predictions ADD COLUMN market_home_margin REAL;
  ALTER TABLE game_predictions ADD COLUMN market_spread REAL;
  ALTER TABLE game_predictions ADD COLUMN market_total REAL;
  `,
  // v4: change tracking (issue 8), generated from the table description in tables.ts, which already
  // includes v3's columns. A later change to that description needs a new migration that re-creates the triggers.
  changeTrackingMigration(),
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaError extends Error {
  constructor(
    message: string,
    readonly kind: 'newer' | 'migration-failed',
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

export function schemaVersion(db: Database): number {
  return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
}

/**
 * Brings `db` up to SCHEMA_VERSION. Each step runs in its own transaction, so a failing step
 * leaves the database exactly at the previous version. A database from a newer app is refused
 * untouched, never downgraded.
 */
export function migrate(db: Database, migrations: readonly string[] = MIGRATIONS): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > migrations.length) {
    throw new SchemaError(
      `This database has schema version ${from}, newer than this app understands (${migrations.length}). Update the app to open it.`,
      'newer',
    );
  }
  for (let version = from; version < migrations.length; version++) {
    try {
      db.exec('BEGIN');
      db.exec(migrations[version]);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (cause) {
      db.exec('ROLLBACK');
      throw new SchemaError(
        `Upgrading the database from version ${version} to ${version + 1} failed: ${(cause as Error).message}`,
        'migration-failed',
      );
    }
  }
  return { from, to: migrations.length };
}
