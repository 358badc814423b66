// The local journal's changesets: every row a write inserted, changed or deleted, noted by SQLite's update hook
// (sqlite3_update_hook: it sees every row change, those made by the schema's own triggers included, adds nothing
// to the database and nothing to its change counts) and replayed exactly — same rowids, same values in every
// column, including local-only columns and tables that sync never carries. Replaying a database's entries in order
// over its base gives back the database, row for row. Pure: any sql.js Database, in the browser and in Node.
import type { Database, SqlValue } from 'sql.js';
import { z } from 'zod';

/**
 * A table whose one row holds the schema's own change-tracking switch ("sync bit"). Replay sets the switch
 * while it writes rows, so the schema's triggers do not stamp replayed rows as new local changes, and writes
 * this table's row last, which restores it exactly as it was captured.
 */
const SYNC_META = 'sync_meta';

interface Capture {
  touched: Map<string, Set<number>>;
  /** Touched rows already read (checkpointChanges), per table: each row as it was read, null where it was gone. */
  read: Map<string, { columns: string[]; rows: Map<number, Changeset['tables'][number]['rows'][number] | null> }>;
  paused: boolean;
  /** The main schema's version (PRAGMA schema_version) the triggers were made for: unchanged, nothing to add. */
  schema: number;
}
const captures = new WeakMap<Database, Capture>();

/** An entry bigger than this is not a journal entry but a reason to write a new base. */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

const FORMAT = 1;

const value = z.lazy(() => z.union([z.number(), z.string(), z.null(), z.object({ b64: z.string() })]));
const changeset = z.lazy(() => z.object({
  format: z.literal(FORMAT),
  tables: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      columns: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).min(1).max(200),
      /** [rowid, ...values in `columns` order] */
      rows: z.array(z.array(value)),
      deleted: z.array(z.number().int()),
    }),
  ),
}));
type Changeset = z.infer<typeof changeset>;

export class JournalEntryError extends Error {
  override name = 'JournalEntryError';
}

const userTables = (db: Database): string[] =>
  (db.exec("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")[0]?.values ?? []).map((r) =>
    String(r[0]),
  );

/**
 * Starts noting the rows every write touches, for takeChanges() (idempotent). A rowid noted by a write that was
 * rolled back is harmless: takeChanges() stores each noted row as it is now.
 */
export function installCapture(db: Database): void {
  // SQLite empties a table by "DELETE FROM t" without visiting its rows (the truncate optimization), and then
  // tells the update hook nothing. A delete trigger turns that off; this one does nothing else (no change counted).
  // The hook is not told either about a row that INSERT OR REPLACE deletes to make room: a BEFORE INSERT trigger
  // notes the rowid holding the new row's primary key (a SELECT of a function: no change counted).
  const schema = Number(db.exec('PRAGMA main.schema_version')[0]?.values[0]?.[0]);
  let capture = captures.get(db);
  if (capture?.schema === schema) return;
  if (!capture) {
    const created: Capture = { touched: new Map(), read: new Map(), paused: false, schema };
    capture = created;
    db.create_function('_journal_touch', (table: SqlValue, rowid: SqlValue) => {
      if (!created.paused && typeof table === 'string' && typeof rowid === 'number') note(created, table, rowid);
      return null;
    });
  }
  for (const name of userTables(db)) {
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS _journal_${name}_rows AFTER DELETE ON main.${name} BEGIN SELECT 1; END;`);
    const key = (db.exec(`PRAGMA main.table_info(${name})`)[0]?.values ?? []).filter((c) => Number(c[5]) > 0).map((c) => String(c[1]));
    if (key.length) {
      const match = key.map((k) => `${k} IS NEW.${k}`).join(' AND ');
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS _journal_${name}_replaced BEFORE INSERT ON main.${name}
         BEGIN SELECT _journal_touch('${name}', (SELECT rowid FROM main.${name} WHERE ${match})); END;`,
      );
    }
  }
  capture.schema = schema;
  if (captures.has(db)) return;
  captures.set(db, capture);
  const hooked = capture;
  db.updateHook((_operation, database, table, rowid) => {
    if (!hooked.paused && database === 'main') note(hooked, table, Number(rowid));
  });
}

function note(capture: Capture, table: string, rowid: number): void {
  let rows = capture.touched.get(table);
  if (!rows) capture.touched.set(table, (rows = new Set()));
  rows.add(rowid);
}

/**
 * The tables with rows touched since the last takeChanges() (a superset of what the last write changed: a rolled
 * back write's rows stay noted), or null when this database is not captured.
 */
export function touchedTables(db: Database): string[] | null {
  const capture = captures.get(db);
  return capture ? [...new Set([...capture.touched.keys(), ...capture.read.keys()])] : null;
}

/** Forgets what was captured (the state it describes is already durable some other way: a new base). */
export function discardChanges(db: Database): void {
  captures.get(db)?.touched.clear();
  captures.get(db)?.read.clear();
}

/**
 * The rows touched since the last call, as one encoded changeset, and clears the capture.
 * Null when nothing was touched.
 */
export function takeChanges(db: Database): Uint8Array | null {
  const capture = captures.get(db);
  if (!capture) return null;
  readTouched(db, capture);
  if (capture.read.size === 0) return null;
  const out: Changeset = { format: FORMAT, tables: [] };
  for (const [name, table] of [...capture.read].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rows: Changeset['tables'][number]['rows'] = [];
    const deleted: number[] = [];
    for (const [rowid, row] of [...table.rows].sort(([a], [b]) => a - b)) {
      if (row) rows.push(row);
      else deleted.push(rowid);
    }
    out.tables.push({ name, columns: table.columns, rows, deleted });
  }
  capture.read.clear();
  return new TextEncoder().encode(JSON.stringify(out));
}

/**
 * Reads the rows touched so far as they are now and keeps them for the next takeChanges(), which then encodes
 * them with the rows touched after (a row touched again is read again). A write made of many steps (a backfill's
 * batch of days) calls it after each, so the reading is spread over the steps' tasks instead of being one long
 * task at the save. The entry takeChanges() makes is the same, byte for byte, as without it.
 */
export function checkpointChanges(db: Database): void {
  const capture = captures.get(db);
  if (capture) readTouched(db, capture);
}

/**
 * Drops the rows checkpointChanges() read, keeping them noted as touched (the next takeChanges() reads them as they
 * are then): for when the copies may no longer be what the database holds (a replay writes rows without the
 * capture seeing it), or are not needed (a write that changed nothing).
 */
export function forgetCheckpoints(db: Database): void {
  const capture = captures.get(db);
  if (capture) forgetRead(capture);
}

function forgetRead(capture: Capture): void {
  for (const [name, table] of capture.read) for (const rowid of table.rows.keys()) note(capture, name, rowid);
  capture.read.clear();
}

/** Moves the touched rows into capture.read, as they are now (null: no longer there). */
function readTouched(db: Database, capture: Capture): void {
  for (const [name, rowids] of capture.touched) {
    let table = capture.read.get(name);
    // One query per table, the rowids passed as one JSON array: sql.js's per-call cost would dominate per row.
    // The ids drive the loop (CROSS JOIN keeps them outer), each row looked up by rowid: a third of the time of
    // "rowid IN (…) ORDER BY rowid", which builds and sorts a temporary index. A prepared statement stepped row by
    // row takes about half the time of db.exec.
    const stmt = db.prepare(`SELECT t.rowid AS _journal_rowid, t.* FROM json_each(?) AS j CROSS JOIN main.${name} AS t ON t.rowid = j.value`);
    const ids = [...rowids].sort((a, b) => a - b);
    try {
      stmt.bind([JSON.stringify(ids)]);
      if (!table) capture.read.set(name, (table = { columns: stmt.getColumnNames().slice(1), rows: new Map() }));
      // Gone unless found below (deleted, or rolled back after it was inserted).
      for (const rowid of ids) table.rows.set(rowid, null);
      while (stmt.step()) {
        const row = stmt.get();
        for (let i = 1; i < row.length; i++) if (row[i] instanceof Uint8Array) row[i] = encodeValue(row[i]) as never;
        table.rows.set(Number(row[0]), row as Changeset['tables'][number]['rows'][number]);
      }
    } finally {
      stmt.free();
    }
    if (table.columns.length === 0) table.columns = columnsOf(db, name);
  }
  capture.touched.clear();
}

/**
 * Applies an entry written by takeChanges(), in one transaction (a throw leaves `db` unchanged), without
 * capturing it again. Throws JournalEntryError for anything that is not a well-formed entry for this database.
 */
export function replay(db: Database, bytes: Uint8Array): void {
  const steps = replaySteps(db, bytes, Infinity);
  while (!steps.next().done);
}

/**
 * replay() in steps of at most `rowsPerStep` rows, awaiting `pause()` between them so the UI thread can paint
 * and handle input. Only for a database nothing else reads or writes meanwhile (one being opened): between steps
 * it holds a half-applied entry inside an open savepoint.
 */
export async function replayInSteps(db: Database, bytes: Uint8Array, rowsPerStep: number, pause: () => Promise<void>): Promise<void> {
  const steps = replaySteps(db, bytes, rowsPerStep);
  while (!steps.next().done) await pause();
}

/** One changeset's rows as stored, values decoded: per table, its columns and `[rowid, ...values]` rows. */
export type ChangesetTables = { name: string; columns: string[]; rows: SqlValue[][]; deleted: number[] }[];

/**
 * An entry's changeset, checked against `db`'s tables (each must exist, each row must have every column), values
 * decoded. Throws JournalEntryError for anything else.
 */
export function readChangeset(db: Database, bytes: Uint8Array): ChangesetTables {
  const { parsed } = parseChangeset(db, bytes);
  return parsed.tables.map((t) => ({ name: t.name, columns: t.columns, rows: t.rows.map((row) => row.map(decodeValue)), deleted: t.deleted }));
}

function parseChangeset(db: Database, bytes: Uint8Array): { parsed: Changeset; tables: Set<string> } {
  if (bytes.length > MAX_ENTRY_BYTES) throw new JournalEntryError(`A journal entry is too large (${bytes.length} bytes).`);
  let parsed: Changeset;
  try {
    parsed = changeset.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch (error) {
    throw new JournalEntryError(`A journal entry is unreadable: ${(error as Error).message.slice(0, 200)}`);
  }
  const tables = new Set(userTables(db));
  for (const t of parsed.tables) {
    if (!tables.has(t.name)) throw new JournalEntryError(`A journal entry names a table this database lacks (${t.name}).`);
    for (const row of t.rows) if (row.length !== t.columns.length + 1) throw new JournalEntryError(`A journal entry has a malformed row in ${t.name}.`);
  }
  return { parsed, tables };
}

function* replaySteps(db: Database, bytes: Uint8Array, rowsPerStep: number): Generator<void, void, void> {
  const { parsed, tables } = parseChangeset(db, bytes);
  yield;
  const hasSyncBit = tables.has(SYNC_META) && columnsOf(db, SYNC_META).includes('applying');
  const ordered = [...parsed.tables.filter((t) => t.name !== SYNC_META), ...parsed.tables.filter((t) => t.name === SYNC_META)];
  const capture = captures.get(db);
  const wasPaused = capture?.paused ?? false;
  // The rows it writes are not captured: copies read before of any of them would be stale.
  if (capture) forgetRead(capture);
  if (capture) capture.paused = true;
  db.exec('SAVEPOINT journal_replay');
  try {
    const syncBit = hasSyncBit ? db.exec(`SELECT applying FROM ${SYNC_META}`)[0]?.values[0]?.[0] : undefined;
    if (hasSyncBit) db.run(`UPDATE ${SYNC_META} SET applying = 1`);
    for (const t of ordered) {
      if (t.deleted.length) {
        const del = db.prepare(`DELETE FROM main.${t.name} WHERE rowid = ?`);
        try {
          for (const rid of t.deleted) del.run([rid]);
        } finally {
          del.free();
        }
      }
      for (let from = 0; from < t.rows.length; from += rowsPerStep) {
        if (from > 0) yield;
        const ins = db.prepare(`INSERT OR REPLACE INTO main.${t.name} (rowid, ${t.columns.join(', ')}) VALUES (${['?', ...t.columns.map(() => '?')].join(', ')})`);
        try {
          for (const row of t.rows.slice(from, from + rowsPerStep)) ins.run(row.map(decodeValue));
        } finally {
          ins.free();
        }
      }
    }
    // The entry did not carry the switch's row: put it back as it was.
    if (hasSyncBit && !ordered.some((t) => t.name === SYNC_META)) db.run(`UPDATE ${SYNC_META} SET applying = ?`, [syncBit ?? 0]);
    db.exec('RELEASE journal_replay');
  } catch (error) {
    db.exec('ROLLBACK TO journal_replay; RELEASE journal_replay');
    throw error instanceof JournalEntryError ? error : new JournalEntryError(`A journal entry does not apply: ${(error as Error).message}`);
  } finally {
    if (capture) capture.paused = wasPaused;
  }
}

function columnsOf(db: Database, table: string): string[] {
  return (db.exec(`PRAGMA main.table_info(${table})`)[0]?.values ?? []).map((r) => String(r[1]));
}

function encodeValue(v: SqlValue): SqlValue | { b64: string } {
  if (v instanceof Uint8Array) {
    let s = '';
    for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]);
    return { b64: btoa(s) };
  }
  return v;
}

function decodeValue(v: z.infer<typeof value>): SqlValue {
  if (v !== null && typeof v === 'object') return Uint8Array.from(atob(v.b64), (c) => c.charCodeAt(0));
  return v;
}
