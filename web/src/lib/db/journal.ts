// The local journal's changesets: every row a write inserted, changed or deleted, captured by temporary triggers
// (TEMP: they live only in this connection, never in the file, need no migration and do not interfere with the
// schema's own triggers) and replayed exactly — same rowids, same values in every column, including local-only
// columns and tables that sync never carries. Replaying a database's entries in order over its base gives back
// the database, byte for byte at the row level. Pure: any sql.js Database, in the browser and in Node.
import type { Database, SqlValue } from 'sql.js';
import { z } from 'zod';

const CAPTURE = 'temp._journal_rows';
/** While set, the capture triggers record nothing (a replay's rows are already in the journal). */
const PAUSED = 'temp._journal_paused';
/**
 * A table whose one row holds the schema's own change-tracking switch ("sync bit"). Replay sets the switch
 * while it writes rows, so the schema's triggers do not stamp replayed rows as new local changes, and writes
 * this table's row last, which restores it exactly as it was captured.
 */
const SYNC_META = 'sync_meta';

/** An entry bigger than this is not a journal entry but a reason to write a new base. */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

const FORMAT = 1;

const value = z.union([z.number(), z.string(), z.null(), z.object({ b64: z.string() })]);
const changeset = z.object({
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
});
type Changeset = z.infer<typeof changeset>;

export class JournalEntryError extends Error {
  override name = 'JournalEntryError';
}

const userTables = (db: Database): string[] =>
  (db.exec("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")[0]?.values ?? []).map((r) =>
    String(r[0]),
  );

/**
 * Installs the capture triggers on every table of `db` (again after a migration adds tables; idempotent).
 * From then on every committed write leaves the rowids it touched for takeChanges().
 */
export function installCapture(db: Database): void {
  captureTables(db);
  for (const name of userTables(db)) {
    const record = (row: 'NEW' | 'OLD') => `INSERT INTO ${CAPTURE} VALUES ('${name}', ${row}.rowid)`;
    const when = `WHEN NOT EXISTS (SELECT 1 FROM ${PAUSED})`;
    db.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS _journal_${name}_i AFTER INSERT ON main.${name} ${when} BEGIN ${record('NEW')}; END;
      CREATE TEMP TRIGGER IF NOT EXISTS _journal_${name}_u AFTER UPDATE ON main.${name} ${when} BEGIN ${record('OLD')}; ${record('NEW')}; END;
      CREATE TEMP TRIGGER IF NOT EXISTS _journal_${name}_d AFTER DELETE ON main.${name} ${when} BEGIN ${record('OLD')}; END;`);
  }
}

function captureTables(db: Database): void {
  // No unique key: a trigger's own conflict clause is overridden by the outer statement's (an outer
  // UPDATE OR ABORT would make a duplicate fail the write), so duplicates are kept and collapsed when read.
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS _journal_rows (tbl TEXT NOT NULL, rid INTEGER NOT NULL);
           CREATE TEMP TABLE IF NOT EXISTS _journal_paused (x INTEGER);`);
}

/** Forgets what was captured (the state it describes is already durable some other way: a new base). */
export function discardChanges(db: Database): void {
  db.exec(`DELETE FROM ${CAPTURE}`);
}

/**
 * The rows touched since the last call, as one encoded changeset, and clears the capture.
 * Null when nothing was touched.
 */
export function takeChanges(db: Database): Uint8Array | null {
  const touched = (db.exec(`SELECT DISTINCT tbl FROM ${CAPTURE} ORDER BY tbl`)[0]?.values ?? []).map((r) => String(r[0]));
  if (touched.length === 0) return null;
  const out: Changeset = { format: FORMAT, tables: [] };
  for (const name of touched) {
    // One query per table (a join with the captured rowids), not one per row: sql.js's per-call cost dominates.
    const found = db.exec(
      `SELECT t.rowid AS _journal_rowid, t.* FROM main.${name} t WHERE t.rowid IN (SELECT rid FROM ${CAPTURE} WHERE tbl = ?) ORDER BY t.rowid`,
      [name],
    )[0];
    const deleted = (
      db.exec(`SELECT DISTINCT rid FROM ${CAPTURE} WHERE tbl = ? AND rid NOT IN (SELECT rowid FROM main.${name}) ORDER BY rid`, [name])[0]?.values ?? []
    ).map((r) => Number(r[0]));
    const columns = found ? found.columns.slice(1) : columnsOf(db, name);
    const rows = (found?.values ?? []).map((row) => row.map(encodeValue)) as Changeset['tables'][number]['rows'];
    out.tables.push({ name, columns, rows, deleted });
  }
  discardChanges(db);
  return new TextEncoder().encode(JSON.stringify(out));
}

/**
 * Applies an entry written by takeChanges(), in one transaction (a throw leaves `db` unchanged), without
 * capturing it again. Throws JournalEntryError for anything that is not a well-formed entry for this database.
 */
export function replay(db: Database, bytes: Uint8Array): void {
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
  captureTables(db);
  const hasSyncBit = tables.has(SYNC_META) && columnsOf(db, SYNC_META).includes('applying');
  const ordered = [...parsed.tables.filter((t) => t.name !== SYNC_META), ...parsed.tables.filter((t) => t.name === SYNC_META)];
  db.exec('SAVEPOINT journal_replay');
  try {
    db.exec(`INSERT INTO ${PAUSED} VALUES (1)`);
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
      if (t.rows.length) {
        const ins = db.prepare(`INSERT OR REPLACE INTO main.${t.name} (rowid, ${t.columns.join(', ')}) VALUES (${['?', ...t.columns.map(() => '?')].join(', ')})`);
        try {
          for (const row of t.rows) ins.run(row.map(decodeValue));
        } finally {
          ins.free();
        }
      }
    }
    // The entry did not carry the switch's row: put it back as it was.
    if (hasSyncBit && !ordered.some((t) => t.name === SYNC_META)) db.run(`UPDATE ${SYNC_META} SET applying = ?`, [syncBit ?? 0]);
    db.exec(`DELETE FROM ${PAUSED}`);
    db.exec('RELEASE journal_replay');
  } catch (error) {
    db.exec('ROLLBACK TO journal_replay; RELEASE journal_replay');
    throw error instanceof JournalEntryError ? error : new JournalEntryError(`A journal entry does not apply: ${(error as Error).message}`);
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
