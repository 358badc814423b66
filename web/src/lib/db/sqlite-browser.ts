// Loads the sql.js WASM from the app's own origin (Vite emits it as a hashed, precached asset).
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import emptyDatabase from 'virtual:nba-daily/empty-database';
import { gunzipBounded } from '../sync/gzip';

let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlite(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: () => wasmUrl });
  return loading;
}

/** The new-database file the build ships (empty-database.ts), or null if it cannot be read (the migrations then run). */
export async function loadEmptyDatabase(): Promise<Uint8Array | null> {
  try {
    return await gunzipBounded(Uint8Array.from(atob(emptyDatabase), (c) => c.charCodeAt(0)), 4 * 1024 * 1024);
  } catch {
    return null;
  }
}
