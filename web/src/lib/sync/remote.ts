// The one opener for remote whole databases (v1 generations, snapshots, backups): unpack within bounds,
// validate, migrate to this app's schema. Every failure is a RemoteDataError that says what it was;
// the caller's local data is never touched by a failed open.
import type { Database, SqlJsStatic } from 'sql.js';
import { InvalidDatabaseError, openValidated } from '../db/validate';
import { migrate } from '../db/schema';
import { RemoteDataError } from './errors';
import { gunzipBounded } from './gzip';

/** A database file unpacks to at most this much (two seasons are about 7 MB). */
export const MAX_DATABASE_BYTES = 256 * 1024 * 1024;

export async function openRemoteDatabase(SQL: SqlJsStatic, packed: Uint8Array, what: string, seq: number | null = null): Promise<Database> {
  let bytes: Uint8Array;
  try {
    bytes = await gunzipBounded(packed, MAX_DATABASE_BYTES);
  } catch (error) {
    throw new RemoteDataError(`${what} is not readable (${(error as Error).message || 'not gzip'}); local data was left untouched.`, 'damaged', seq);
  }
  return openRemoteBytes(SQL, bytes, what, seq);
}

export function openRemoteBytes(SQL: SqlJsStatic, bytes: Uint8Array, what: string, seq: number | null = null): Database {
  let db: Database;
  try {
    db = openValidated(SQL, bytes);
  } catch (error) {
    const reason = error instanceof InvalidDatabaseError ? error.message : String(error);
    const kind = error instanceof InvalidDatabaseError && error.kind === 'newer' ? 'newer' : 'damaged';
    throw new RemoteDataError(`${what} was not used: ${reason} Local data was left untouched.`, kind, seq);
  }
  try {
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw new RemoteDataError(`${what} could not be brought to this app's schema (${(error as Error).message}); local data was left untouched.`, 'unmergeable', seq);
  }
}
