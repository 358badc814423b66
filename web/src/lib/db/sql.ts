// Tiny helpers over sql.js so queries read as one line each.
import type { Database, SqlValue } from 'sql.js';

export type Params = Record<string, SqlValue> | SqlValue[];
export type Row = Record<string, SqlValue>;

export function all(db: Database, sql: string, params: Params = []): Row[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const out: Row[] = [];
    while (stmt.step()) out.push(stmt.getAsObject());
    return out;
  } finally {
    stmt.free();
  }
}

export function one(db: Database, sql: string, params: Params = []): Row | undefined {
  return all(db, sql, params)[0];
}

/** Runs one prepared statement for many parameter sets (much faster than db.run in a loop). */
export function runMany(db: Database, sql: string, paramSets: Iterable<Params>): void {
  const stmt = db.prepare(sql);
  try {
    for (const params of paramSets) stmt.run(params);
  } finally {
    stmt.free();
  }
}

/** Runs `fn` in a transaction; any throw rolls everything back. Nested calls join the outer one. */
export function transaction<T>(db: Database, fn: () => T): T {
  // sql.js has no way to ask "am I in a transaction?" other than autocommit semantics; use a savepoint.
  db.exec('SAVEPOINT tx');
  try {
    const result = fn();
    db.exec('RELEASE tx');
    return result;
  } catch (error) {
    db.exec('ROLLBACK TO tx');
    db.exec('RELEASE tx');
    throw error;
  }
}

export const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
export const fromBool = (v: SqlValue): boolean | null => (v === null || v === undefined ? null : Number(v) !== 0);
export const num = (v: SqlValue): number | null => (v === null || v === undefined ? null : Number(v));
