// Writes journaled after a base that another tab has since replaced without reading them: a tab of an older build
// stores a whole new base when a write does not fit its journal (or adopts a sync snapshot), and it never reads
// this build's entries (persistence.ts, storage formats). Both copies continued the same base, so they gave the
// same rowids to different rows: the entries cannot be replayed over the new base as they are (journal.ts replays
// by rowid). They are merged into it by key instead, with the merge rule of sync (changes.ts: rank, then clock,
// actual results joined), so neither tab's writes are lost.
// Pure: any sql.js Database, in the browser and in Node.
import type { Database, SqlValue } from 'sql.js';
import { applyRows, formatHlc, localVersion, observeClock, silently, type TableRows } from './changes';
import { JournalEntryError, readChangeset } from './journal';
import { transaction } from './sql';
import { TABLES, type TableSpec } from './tables';

/** Local-only tables merged by primary key, as the latest copy (running scores: each device fetches its own). */
const LOCAL_ONLY = new Set(['live_games']);

/**
 * Merges `changesets` (journal entries, in the order they were written) into `db`. In one transaction: a throw
 * (JournalEntryError for an entry that does not fit this database) leaves `db` unchanged.
 *
 * Afterwards every row that is pending upload in either copy stays pending, above every change counter either
 * copy reached: the two copies counted local changes from the same base on their own, so sync's record of what
 * was uploaded (a counter value) may be in either one's numbering. Uploading a row twice is harmless (the merge is
 * idempotent); missing one is not. Likewise the clock goes on after every value either copy reached (its stamps,
 * and the remote versions it saw), so this device's later writes are ordered after all of them.
 */
export function mergeOrphanChangesets(db: Database, changesets: readonly Uint8Array[]): void {
  if (changesets.length === 0) return;
  const rows: TableRows = {};
  const pending = new Map<TableSpec, SqlValue[][]>();
  const local: { name: string; columns: string[]; rows: SqlValue[][] }[] = [];
  let counter = localVersion(db);
  let clock = { ms: 0, counter: 0 };
  for (const bytes of changesets) {
    for (const t of readChangeset(db, bytes)) {
      const at = (column: string) => t.columns.indexOf(column) + 1; // + 1: rows start with their rowid
      if (t.name === 'sync_meta') {
        const [v, ms, c] = [at('local_version'), at('hlc_ms'), at('hlc_counter')];
        for (const row of t.rows) {
          if (v > 0 && typeof row[v] === 'number') counter = Math.max(counter, row[v] as number);
          const seen = { ms: ms > 0 ? Number(row[ms]) : NaN, counter: c > 0 ? Number(row[c]) : NaN };
          if (Number.isSafeInteger(seen.ms) && Number.isSafeInteger(seen.counter) && (seen.ms > clock.ms || (seen.ms === clock.ms && seen.counter > clock.counter))) clock = seen;
        }
        continue;
      }
      if (LOCAL_ONLY.has(t.name)) {
        local.push({ name: t.name, columns: t.columns, rows: t.rows.map((row) => row.slice(1)) });
        continue;
      }
      const spec = TABLES.find((s) => s.name === t.name);
      if (!spec) throw new JournalEntryError(`A journal entry of a replaced base names a table that cannot be merged (${t.name}).`);
      const index = spec.columns.map(at);
      const missing = spec.columns.find((_, i) => index[i] === 0);
      if (missing) throw new JournalEntryError(`A journal entry of a replaced base lacks ${t.name}.${missing}.`);
      const version = at('_v');
      const list = (rows[spec.name] ??= []);
      const keys = pending.get(spec) ?? [];
      pending.set(spec, keys);
      for (const row of t.rows) {
        list.push(index.map((i) => row[i]));
        if (version === 0 || Number(row[version]) !== 0) keys.push(spec.key.map((k) => row[at(k)]));
      }
      // Deleted rows: the tables sync carries are never deleted from (a deletion is a tombstone row).
    }
  }
  const stamp = counter + 1;
  transaction(db, () => {
    applyRows(db, rows);
    silently(db, () => restamp(db, local, pending, stamp));
    if (clock.ms > 0 || clock.counter > 0) observeClock(db, formatHlc(clock.ms, clock.counter, ''));
  });
}

function restamp(db: Database, local: { name: string; columns: string[]; rows: SqlValue[][] }[], pending: Map<TableSpec, SqlValue[][]>, stamp: number): void {
  {
    for (const t of local) {
      const insert = db.prepare(`INSERT OR REPLACE INTO main.${t.name} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
      try {
        for (const row of t.rows) insert.run(row);
      } finally {
        insert.free();
      }
    }
    for (const spec of TABLES) {
      db.run(`UPDATE ${spec.name} SET _v = ? WHERE _v > 0`, [stamp]);
      const keys = pending.get(spec);
      if (!keys?.length) continue;
      const mark = db.prepare(`UPDATE ${spec.name} SET _v = ? WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`);
      try {
        for (const key of keys) mark.run([stamp, ...key]);
      } finally {
        mark.free();
      }
    }
    db.run('UPDATE sync_meta SET local_version = ?', [stamp]);
  }
}
