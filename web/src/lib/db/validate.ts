// Checks that a byte array is a healthy NBA Daily SQLite database before anything relies on it.
// Used for what IndexedDB hands back and (later) for databases downloaded from S3.
import type { Database, SqlJsStatic } from 'sql.js';
import { SCHEMA_VERSION, schemaVersion } from './schema';

const SQLITE_HEADER = 'SQLite format 3\u0000';

export class InvalidDatabaseError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-sqlite' | 'corrupt' | 'foreign' | 'newer',
  ) {
    super(message);
    this.name = 'InvalidDatabaseError';
  }
}

export function hasSqliteHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  for (let i = 0; i < SQLITE_HEADER.length; i++) if (bytes[i] !== SQLITE_HEADER.charCodeAt(i)) return false;
  return true;
}

/**
 * Opens `bytes` as a database and checks it: the SQLite header, `PRAGMA quick_check`, a schema version
 * this app understands, and (for a non-empty schema) the tables this app expects.
 * `intact`: the bytes are known to be a file this app saved, unchanged (their digest matches): the page-by-page
 * quick_check is skipped; the header, schema version and tables are still checked.
 * Throws InvalidDatabaseError; on success the caller owns the returned Database.
 */
export function openValidated(SQL: SqlJsStatic, bytes: Uint8Array, options: { intact?: boolean } = {}): Database {
  if (!hasSqliteHeader(bytes)) throw new InvalidDatabaseError('The data is not a SQLite database.', 'not-sqlite');
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const check = options.intact ? 'ok' : String(db.exec('PRAGMA quick_check')[0]?.values[0]?.[0] ?? '');
    if (check !== 'ok') throw new InvalidDatabaseError(`The database is damaged (quick_check: ${check.slice(0, 200)}).`, 'corrupt');
    const version = schemaVersion(db);
    if (version > SCHEMA_VERSION) {
      throw new InvalidDatabaseError(
        `This database was written by a newer version of NBA Daily (schema ${version}; this app knows up to ${SCHEMA_VERSION}). Update the app to use it.`,
        'newer',
      );
    }
    if (version > 0) {
      const tables = new Set((db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map((r) => String(r[0])));
      const missing = ['predictions', 'game_predictions', 'games', 'player_game_logs'].filter((t) => !tables.has(t));
      if (missing.length) throw new InvalidDatabaseError(`This SQLite file is not an NBA Daily database (no ${missing.join(', ')}).`, 'foreign');
    }
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof InvalidDatabaseError) throw error;
    throw new InvalidDatabaseError(`The database could not be opened: ${(error as Error).message}`, 'corrupt');
  }
}
