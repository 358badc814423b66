// Reading and applying row changes tracked by the v4 triggers (tables.ts): the local half of sync.
// Pure: any sql.js Database, in the browser and in Node.
//
// Merge rule for two versions of one key (the same on every device, so merging is commutative,
// associative and idempotent): the table's rank ("further along": a final game, a complete day) decides
// first, then the hybrid logical clock `hlc` (later wins; its node part breaks ties between devices), then
// the versioned content. Actual results are not part of the version: they are joined (known beats unknown,
// two different known results ordered by value) and derived columns recomputed against the winner.
import type { Database, SqlValue } from 'sql.js';
import { scoreFinishedGames } from './predictions-repo';
import { transaction } from './sql';
import { TABLES, type TableName, type TableSpec } from './tables';

export type Values = SqlValue[];

// ---------------------------------------------------------------------------------------------
// sync_meta

const meta = (db: Database, column: string): SqlValue => db.exec(`SELECT ${column} FROM sync_meta`)[0]?.values[0]?.[0] ?? null;

/** The random id created with this database: sync state belongs to it and to nothing else. */
export function databaseId(db: Database): string {
  return String(meta(db, 'db_id'));
}

/** The local change counter: every tracked row change raised it; rows carry the value of their last change in `_v`. */
export function localVersion(db: Database): number {
  return Number(meta(db, 'local_version'));
}

/** The clock node this database stamps with (the device id). */
export function setNode(db: Database, node: string): void {
  if (meta(db, 'node') !== node) db.run('UPDATE sync_meta SET node = ?', [node]);
}

/** The wall clock the next writes are stamped with (the write path sets it; tests set any time). */
export function setWall(db: Database, ms: number): void {
  db.run('UPDATE sync_meta SET wall = ?', [Math.round(ms)]);
}

/** A new random database id: a database adopted from a snapshot is a new database, not the writer's. */
export function renewDatabaseId(db: Database): string {
  db.run('UPDATE sync_meta SET db_id = lower(hex(randomblob(16))), applying = 0, wall = NULL');
  return databaseId(db);
}

/** The clock value this database would stamp next is after `hlc` (Actual Budget's `Timestamp.recv`). */
export function observeClock(db: Database, hlc: string): void {
  const parsed = parseHlc(hlc);
  if (!parsed) return;
  db.run(
    `UPDATE sync_meta SET
       hlc_counter = CASE WHEN ? > hlc_ms THEN ? WHEN ? = hlc_ms THEN MAX(hlc_counter, ?) ELSE hlc_counter END,
       hlc_ms = MAX(hlc_ms, ?)
     WHERE ? > hlc_ms OR (? = hlc_ms AND ? > hlc_counter)`,
    [parsed.ms, parsed.counter, parsed.ms, parsed.counter, parsed.ms, parsed.ms, parsed.ms, parsed.counter],
  );
  metaWriteCounts.set(db, metaWrites(db) + db.getRowsModified());
}

/** `hlc` = 15-digit ms, 6-digit counter, node: string order is clock order. */
export function parseHlc(hlc: string): { ms: number; counter: number; node: string } | null {
  const m = /^(\d{15})\.(\d{6})\.(.*)$/.exec(hlc);
  return m ? { ms: Number(m[1]), counter: Number(m[2]), node: m[3] } : null;
}

export function formatHlc(ms: number, counter: number, node: string): string {
  return `${String(ms).padStart(15, '0')}.${String(counter).padStart(6, '0')}.${node}`;
}

/** True when no tracked table has a row (a new device: a snapshot is adopted as it is). */
export function isEmpty(db: Database): boolean {
  return TABLES.every((t) => db.exec(`SELECT 1 FROM ${t.name} LIMIT 1`).length === 0);
}

const metaWriteCounts = new WeakMap<Database, number>();

/**
 * How many row changes this module made to sync_meta alone (the sync bit going on and off). The store
 * subtracts them from SQLite's change count, so a merge that brings nothing new is still "no change":
 * nothing saved, nothing announced, nothing to sync.
 */
export function metaWrites(db: Database): number {
  return metaWriteCounts.get(db) ?? 0;
}

/** SQLite's count of rows changed since the database opened (less metaWrites(): the rows a write changed). */
export function totalChanges(db: Database): number {
  return Number(db.exec('SELECT total_changes()')[0].values[0][0]);
}

/** Runs `fn` with the sync bit set: the triggers record nothing (remote changes are not local changes). */
export function silently<T>(db: Database, fn: () => T): T {
  return transaction(db, () => {
    db.run('UPDATE sync_meta SET applying = 1');
    const result = fn();
    db.run('UPDATE sync_meta SET applying = 0');
    metaWriteCounts.set(db, metaWrites(db) + 2);
    return result;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading changes

export type TableRows = Partial<Record<TableName, Values[]>>;

/** Rows changed here after local version `since` (in TABLES column order), and the version they run through. */
export function changedRows(db: Database, since: number): { rows: TableRows; through: number; count: number } {
  const rows: TableRows = {};
  let count = 0;
  for (const t of TABLES) {
    const found = readRows(db, t, `WHERE _v > ?`, [since]);
    if (found.length) {
      rows[t.name] = found;
      count += found.length;
    }
  }
  return { rows, through: localVersion(db), count };
}

/** Where a paged read of one table's changed rows stopped: the last row's `_v` and rowid (the `_v` index order). */
export type PageCursor = { v: number; rowid: number };

/**
 * One page of changedRows for one table: up to `limit` rows with `since < _v <= through` after `cursor`, in
 * (`_v`, rowid) order, and the cursor to continue from (null when the table has no more). Rows written after
 * `through` was read are left out (they stay pending, for the next round), so pages read across tasks give a
 * changeset as of `through` for every row they carry. Two index ranges (the rest of the cursor's `_v`, then the
 * `_v` after it), so a page costs its own rows whatever its position.
 */
export function changedPage(db: Database, t: TableSpec, since: number, through: number, cursor: PageCursor | null, limit: number): { rows: Values[]; next: PageCursor | null } {
  const cols = t.columns.join(', ');
  const found: Values[] = [];
  const read = (sql: string, params: SqlValue[]) => {
    const stmt = db.prepare(sql);
    try {
      stmt.bind(params);
      while (found.length < limit && stmt.step()) found.push(stmt.get());
    } finally {
      stmt.free();
    }
  };
  if (cursor) read(`SELECT ${cols}, _v, rowid FROM ${t.name} WHERE _v = ? AND rowid > ? ORDER BY rowid LIMIT ?`, [cursor.v, cursor.rowid, limit]);
  if (found.length < limit) {
    read(`SELECT ${cols}, _v, rowid FROM ${t.name} WHERE _v > ? AND _v <= ? ORDER BY _v, rowid LIMIT ?`, [Math.max(since, cursor?.v ?? since), through, limit - found.length]);
  }
  const last = found.at(-1);
  const n = t.columns.length;
  return { rows: found.map((r) => r.slice(0, n)), next: found.length === limit && last ? { v: Number(last[n]), rowid: Number(last[n + 1]) } : null };
}

/** Whether any row changed with `since < _v <= through` (an index probe per table, not a count). */
export function hasChanges(db: Database, since: number, through: number): boolean {
  return TABLES.some((t) => db.exec(`SELECT 1 FROM ${t.name} WHERE _v > ? AND _v <= ? LIMIT 1`, [since, through]).length > 0);
}

export function pendingCount(db: Database, since: number): number {
  return TABLES.reduce((n, t) => n + Number(db.exec(`SELECT COUNT(*) FROM ${t.name} WHERE _v > ${Math.floor(since)}`)[0].values[0][0]), 0);
}

/** Every row of every table (the full-merge fallback reads a remote database this way). */
export function allRows(db: Database): TableRows {
  return Object.fromEntries(TABLES.map((t) => [t.name, readRows(db, t)]));
}

function readRows(db: Database, t: TableSpec, where = '', params: SqlValue[] = [], from: string = t.name): Values[] {
  const stmt = db.prepare(`SELECT ${t.columns.join(', ')} FROM ${from} ${where}`);
  try {
    stmt.bind(params);
    const out: Values[] = [];
    while (stmt.step()) out.push(stmt.get());
    return out;
  } finally {
    stmt.free();
  }
}

/**
 * The re-send rule for damaged objects: rows this device stamped after `afterHlc` are marked changed again,
 * so its next changeset carries them (whatever the damaged object held of them comes back).
 */
export function markForResend(db: Database, node: string, afterHlc: string): number {
  return silently(db, () => {
    db.run('UPDATE sync_meta SET local_version = local_version + 1');
    const v = localVersion(db);
    let n = 0;
    for (const t of TABLES) {
      db.run(`UPDATE ${t.name} SET _v = ? WHERE hlc > ? AND substr(hlc, 24) = ?`, [v, afterHlc, node]);
      n += db.getRowsModified();
    }
    return n;
  });
}

// ---------------------------------------------------------------------------------------------
// Applying changes

interface Compiled {
  spec: TableSpec;
  key: number[];
  versioned: number[];
  actuals: number[];
  hlc: number;
  sameFact: number[];
  /** The column holding the game a row's scoring depends on (tables that scoring reads), else -1. */
  scoringGame: number;
  rank?: (row: Values) => number;
  derive?: (row: Values) => void;
  select: string;
  write: string;
}

const compiled = new Map<TableName, Compiled>();

/** What scoring reads (scoreFinishedGames): a change to one of these rows can change the scores of its game. */
const SCORING_GAME: Partial<Record<TableName, string>> = { predictions: 'game_id', game_predictions: 'game_id', games: 'id', player_game_logs: 'game_id' };

function compile(spec: TableSpec): Compiled {
  const cached = compiled.get(spec.name);
  if (cached) return cached;
  const at = (c: string) => {
    const i = spec.columns.indexOf(c);
    if (i < 0) throw new Error(`${spec.name}: unknown column ${c}`);
    return i;
  };
  const rank = spec.rank;
  const c: Compiled = {
    spec,
    key: spec.key.map(at),
    versioned: spec.versioned.map(at),
    actuals: spec.actuals.map(at),
    hlc: at('hlc'),
    sameFact: spec.name === 'predictions' ? [at('game_id'), at('player_id')] : spec.name === 'game_predictions' ? [at('game_id')] : [],
    scoringGame: SCORING_GAME[spec.name] ? at(SCORING_GAME[spec.name]!) : -1,
    rank: rank && ((row) => rank(Object.fromEntries(spec.columns.map((col, i) => [col, row[i]])))),
    derive: spec.name === 'predictions' ? derivePrediction(at) : undefined,
    select: `SELECT ${spec.columns.join(', ')}, _v FROM ${spec.name} WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`,
    write: `INSERT OR REPLACE INTO ${spec.name} (${spec.columns.join(', ')}, _v) VALUES (${spec.columns.map(() => '?').join(', ')}, ?)`,
  };
  compiled.set(spec.name, c);
  return c;
}

/** Same arithmetic as scoreFinishedGames, against the winning projection. */
function derivePrediction(at: (c: string) => number) {
  const [actualPoints, didPlay, projected, floor, ceiling, error, absError, inRange] = [
    'actual_points', 'did_play', 'projected_points', 'floor', 'ceiling', 'error', 'abs_error', 'in_range',
  ].map(at);
  return (row: Values) => {
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
}

const typeRank = (v: SqlValue): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3);

/** A total order on SQL values: null < numbers < text < blobs. */
export function compareValues(a: SqlValue, b: SqlValue): number {
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

function sameRow(a: Values, b: Values, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[i] !== b[i] && compareValues(a[i], b[i]) !== 0) return false;
  return true;
}

/** > 0 when version `a` wins over `b` (see the rule at the top of this file). */
export function compareVersions(spec: TableSpec, a: Values, b: Values): number {
  const c = compile(spec);
  return (c.rank ? c.rank(a) - c.rank(b) : 0) || compareValues(a[c.hlc], b[c.hlc]) || compareColumns(a, b, c.versioned);
}

const known = (c: Compiled, row: Values) => c.actuals.length > 0 && row[c.actuals[0]] !== null && row[c.actuals[0]] !== undefined;

/** The winner's version plus the join of both actual-result groups, derived columns recomputed. */
function mergeVersions(c: Compiled, winner: Values, loser: Values): Values {
  const out = winner.slice(0, c.spec.columns.length);
  if (known(c, loser) && compareColumns(winner, loser, c.sameFact) === 0) {
    if (!known(c, winner) || compareColumns(loser, winner, c.actuals) > 0) for (const i of c.actuals) out[i] = loser[i];
  }
  c.derive?.(out);
  return out;
}

export interface ApplyCounts {
  inserted: number;
  updated: number;
  keptLocal: number;
}
export type ApplyReport = Partial<Record<TableName, ApplyCounts>> & { rescored: boolean; maxHlc: string };

/**
 * Merges remote rows into `db` with the sync bit set, in one transaction (a throw leaves `db` unchanged).
 * A local row that ends up exactly as the remote one is no longer pending (`_v = 0`: the chain holds it);
 * one that keeps something the remote lacks stays pending. Then scores predictions whose results arrived
 * (silently: every device derives the same actuals from the same facts) and moves the clock past every
 * version seen.
 */
export interface ApplyOptions {
  /**
   * Local rows with `_v` above this were never uploaded (the sync state's `uploadedThrough`). Such a pending
   * fact row (a table without actual results: teams, players, games, box-score lines, source days) whose
   * versioned content equals the incoming version is not a change: it yields to the incoming
   * version whatever its clock says, and is no longer pending. This keeps a device that loaded the same
   * history before its first sync (a backfill) from uploading facts the chain already has. Sound because
   * nobody else has seen the pending version. Omitted: no local row counts as pending.
   */
  pendingAbove?: number;
}

/** A table of upstream facts (no actual results joined into its rows), as opposed to a user's writes. */
const isFact = (spec: TableSpec) => spec.actuals.length === 0;

export function applyRows(db: Database, incoming: TableRows, options: ApplyOptions = {}): ApplyReport {
  const pendingAbove = options.pendingAbove ?? Infinity;
  return silently(db, () => {
    const run: ApplyRun = { report: { rescored: false, maxHlc: '' }, written: 0, touchedGames: new Set() };
    for (const spec of TABLES) {
      const rows = incoming[spec.name];
      if (rows?.length) applyTableRows(db, spec, rows, pendingAbove, run);
    }
    return finishApply(db, run);
  });
}

interface ApplyRun {
  report: ApplyReport;
  written: number;
  touchedGames: Set<string>;
}

function finishApply(db: Database, run: ApplyRun): ApplyReport {
  const { report } = run;
  // Scoring depends only on what is stored: only the games of rows written here can score differently
  // (the rest was scored when it was written; tests/unit/rescore.property.test.ts checks the equality).
  report.rescored = run.written > 0 && rescoreFromFacts(db, [...run.touchedGames]);
  if (report.maxHlc) observeClock(db, report.maxHlc);
  return report;
}

/** The merge rule row by row (the changeset path, and tables with actual results in a full merge). */
function applyTableRows(db: Database, spec: TableSpec, rows: Values[], pendingAbove: number, run: ApplyRun): void {
  const { report, touchedGames } = run;
  const c = compile(spec);
  const n = spec.columns.length;
  const counts: ApplyCounts = { inserted: 0, updated: 0, keptLocal: 0 };
  const select = db.prepare(c.select);
  const write = db.prepare(c.write);
  try {
    for (const r of rows) {
      if (r.length !== n) throw new Error(`${spec.name}: a row has ${r.length} values, expected ${n}`);
      const hlc = r[c.hlc];
      if (typeof hlc === 'string' && hlc > report.maxHlc) report.maxHlc = hlc;
      select.bind(c.key.map((i) => r[i]));
      const local = select.step() ? select.get() : null;
      select.reset();
      if (!local) {
        const row = r.slice();
        c.derive?.(row);
        row.push(0);
        write.run(row);
        run.written++;
        if (c.scoringGame >= 0) touchedGames.add(String(row[c.scoringGame]));
        counts.inserted++;
        continue;
      }
      const localV = Number(local[n]);
      // Facts only: equal content is the same fact whoever fetched it. A user's write (a prediction, a pick)
      // keeps the clock rule even when equal: it must stay ordered after every edit its device had seen.
      const sameContent = isFact(spec) && localV > pendingAbove && compareColumns(local, r, c.versioned) === 0;
      const order = sameContent ? -1 : compareVersions(spec, local, r);
      const merged = order >= 0 ? mergeVersions(c, local, r) : mergeVersions(c, r, local);
      if (order > 0) counts.keptLocal++;
      else if (order < 0) counts.updated++;
      const v = sameRow(merged, r, n) ? 0 : localV;
      if (v !== localV || !sameRow(merged, local, n)) {
        merged.push(v);
        write.run(merged);
        run.written++;
        if (c.scoringGame >= 0) touchedGames.add(String(merged[c.scoringGame]));
      }
    }
  } finally {
    select.free();
    write.free();
  }
  report[spec.name] = counts;
}

/** SQL for "a > b" in compareValues' order (null lowest), for two values already known to differ (IS NOT). */
const sqlGreater = (a: string, b: string) => `(${b} IS NULL OR (${a} IS NOT NULL AND ${a} > ${b}))`;

/**
 * The merge rule of compareVersions as one SQL condition "the remote row R beats the local row L": rank, then
 * hlc, then the versioned columns in order, each compared in SQLite's order (null < numbers < text < blobs,
 * text by bytes: the same as compareValues for the ASCII stamps and values the tables hold). A pending local
 * row with the same versioned content yields (ApplyOptions.pendingAbove); only fact tables take this path.
 */
function remoteWinsSql(spec: TableSpec): string {
  const ordered = ['hlc', ...spec.versioned];
  const chain = ordered.map((col) => `WHEN R.${col} IS NOT L.${col} THEN ${sqlGreater(`R.${col}`, `L.${col}`)}`).join(' ');
  const content = `(CASE ${chain} ELSE 0 END)`;
  const sameVersioned = spec.versioned.map((col) => `R.${col} IS L.${col}`).join(' AND ');
  const byRank = spec.rankSql
    ? `(${spec.rankSql('R')} > ${spec.rankSql('L')} OR (${spec.rankSql('R')} = ${spec.rankSql('L')} AND ${content}))`
    : content;
  return `((L._v > :pending AND ${sameVersioned}) OR ${byRank})`;
}

/**
 * Full merge of the database attached as `alias` (same schema) into `db`: the same result as applyRows of
 * every remote row, set-based. Tables without actual results (the facts: 50k+ box-score lines for two seasons)
 * take four statements each — inserts, identical rows (no longer pending), remote winners, and a count of
 * local winners — instead of a lookup and a write per row. Tables with actual results (predictions, game
 * picks: joined and derived per row) keep the row-by-row rule. tests/unit/merge-bulk.property.test.ts checks
 * that both paths give the same database and report.
 */
export function applyAttached(db: Database, alias: string, options: ApplyOptions = {}): ApplyReport {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`bad alias ${alias}`);
  const pendingAbove = options.pendingAbove ?? Infinity;
  const pending = Number.isFinite(pendingAbove) ? pendingAbove : Number.MAX_SAFE_INTEGER;
  return silently(db, () => {
    const run: ApplyRun = { report: { rescored: false, maxHlc: '' }, written: 0, touchedGames: new Set() };
    for (const spec of TABLES) {
      const remote = `${alias}.${spec.name}`;
      if (!isFact(spec)) {
        const rows = readRows(db, spec, '', [], remote);
        if (rows.length) applyTableRows(db, spec, rows, pendingAbove, run);
        continue;
      }
      if (!db.exec(`SELECT 1 FROM ${remote} LIMIT 1`).length) continue; // (as applyRows: no rows, no entry)
      if (spec.rank) {
        // the rank function refuses values it does not know; so does the set-based path
        const bad = db.exec(`SELECT ${spec.columns.join(', ')} FROM ${remote} R WHERE ${spec.rankSql!('R')} IS NULL LIMIT 1`)[0]?.values[0];
        if (bad) spec.rank(Object.fromEntries(spec.columns.map((col, i) => [col, bad[i]])));
      }
      const hlc = db.exec(`SELECT MAX(hlc) FROM ${remote}`)[0]?.values[0]?.[0];
      if (typeof hlc === 'string' && hlc > run.report.maxHlc) run.report.maxHlc = hlc;
      const cols = spec.columns.join(', ');
      const keyMatch = spec.key.map((k) => `L.${k} = R.${k}`).join(' AND ');
      const identical = spec.columns.map((col) => `L.${col} IS R.${col}`).join(' AND ');
      const counts: ApplyCounts = { inserted: 0, updated: 0, keptLocal: 0 };
      const inserts = `FROM ${remote} R WHERE NOT EXISTS (SELECT 1 FROM ${spec.name} L WHERE ${keyMatch})`;
      const differing = `FROM ${remote} R JOIN ${spec.name} L ON ${keyMatch} WHERE NOT (${identical})`;
      const wins = remoteWinsSql(spec);
      const gameColumn = SCORING_GAME[spec.name];
      if (gameColumn) {
        // The games of every row written below (as the row-by-row path collects them), for rescoring; only
        // games with a prediction or pick can score differently, so only those are looked at.
        const scored = `R.${gameColumn} IN (SELECT game_id FROM predictions UNION SELECT game_id FROM game_predictions) AND`;
        const touched = db.exec(
          `SELECT R.${gameColumn} ${inserts.replace('WHERE', `WHERE ${scored}`)}
           UNION SELECT R.${gameColumn} FROM ${remote} R JOIN ${spec.name} L ON ${keyMatch} WHERE ${scored} ${identical} AND L._v <> 0
           UNION SELECT R.${gameColumn} ${differing.replace('WHERE', `WHERE ${scored}`)} AND ${wins}`,
          { ':pending': pending },
        )[0]?.values ?? [];
        for (const [game] of touched) run.touchedGames.add(String(game));
      }
      db.run(`INSERT INTO ${spec.name} (${cols}, _v) SELECT ${cols}, 0 ${inserts}`);
      counts.inserted = db.getRowsModified();
      // a pending row identical to the remote one counts as updated, as on the row-by-row path
      const pendingSame = Number(db.exec(`SELECT COUNT(*) FROM ${remote} R JOIN ${spec.name} L ON ${keyMatch} WHERE ${identical} AND L._v > :pending`, { ':pending': pending })[0].values[0][0]);
      db.run(`UPDATE ${spec.name} AS L SET _v = 0 WHERE L._v <> 0 AND EXISTS (SELECT 1 FROM ${remote} R WHERE ${keyMatch} AND ${identical})`);
      const cleared = db.getRowsModified();
      counts.keptLocal = Number(db.exec(`SELECT COUNT(*) ${differing} AND NOT ${wins}`, { ':pending': pending })[0].values[0][0]);
      // (INSERT OR REPLACE, as the row path writes; UPDATE … FROM measured slower here: it fires the update triggers per row)
      db.run(`INSERT OR REPLACE INTO ${spec.name} (${cols}, _v) SELECT ${spec.columns.map((col) => `R.${col}`).join(', ')}, 0 ${differing} AND ${wins}`, { ':pending': pending });
      counts.updated = db.getRowsModified() + pendingSame;
      run.written += counts.inserted + cleared + counts.updated;
      run.report[spec.name] = counts;
    }
    return finishApply(db, run);
  });
}

/**
 * Fills actual results from the facts, for the games `gameIds` (all games when omitted). Scores a stored line or
 * final score contradicts are cleared and scored again (scoreFinishedGames): a did-not-play scored from a box
 * score that lacked the player's line (one device's partial copy), or a box score corrected later, so the final
 * state does not depend on the order devices merged in. Returns true if any row changed.
 */
export function rescoreFromFacts(db: Database, gameIds?: readonly string[]): boolean {
  const s = scoreFinishedGames(db, gameIds);
  return s.corrected + s.players + s.games > 0;
}

/** The clock node this database stamps with. */
export function clockNode(db: Database): string {
  return String(meta(db, 'node'));
}

/** The newest clock value this database has stamped or seen. */
export function currentHlc(db: Database): string {
  const row = db.exec('SELECT hlc_ms, hlc_counter, node FROM sync_meta')[0]?.values[0];
  return row ? formatHlc(Number(row[0]), Number(row[1]), String(row[2])) : '';
}
