// The changeset format: the rows one device changed since its previous upload, as gzip JSON.
//
//   { "format": "nba-daily/changeset", "version": 1, "schema": 3,
//     "db": "<writer's database id>", "node": "<writer's clock node>", "damaged": [seq, …],
//     "damagedSnapshots": [seq, …] (optional),
//     "tables": { "<table>": { "columns": [...], "rows": [[...], ...] }, ... } }
//
// Column names travel with the rows so a reader checks them against its own table description (tables.ts)
// instead of trusting positions. `version` is the format, `schema` the writer's database schema: either
// newer than this app's means "update the app" and nothing is touched. `damaged` lists chain seqs the
// writer found unreadable, so their writers re-send what those objects carried (docs/API.md).
// Validated with zod on read and bounded in size both packed and unpacked.
import type { SqlValue } from 'sql.js';
import { z } from 'zod';
import type { TableRows } from '../db/changes';
import { SCHEMA_VERSION } from '../db/schema';
import { TABLE, TABLES, type TableName } from '../db/tables';
import { RemoteDataError } from './errors';
import { gunzipBounded, TooLargeError } from './gzip';

export const CHANGESET_FORMAT = 'nba-daily/changeset';
export const CHANGESET_VERSION = 1;
/** Packed and unpacked bounds: two seasons of history imported at once is about 1 MB packed, 8 MB unpacked. */
export const MAX_CHANGESET_BYTES = 32 * 1024 * 1024;
export const MAX_CHANGESET_UNPACKED_BYTES = 128 * 1024 * 1024;
export const MAX_CHANGESET_ROWS = 500_000;

export interface Changeset {
  format: typeof CHANGESET_FORMAT;
  version: number;
  schema: number;
  db: string;
  node: string;
  damaged: number[];
  /** Snapshot seqs the writer could not use: a device in sync answers by writing a fresh snapshot. */
  damagedSnapshots: number[];
  tables: TableRows;
}

const header = z.lazy(() => z.object({ format: z.literal(CHANGESET_FORMAT), version: z.number().int().positive(), schema: z.number().int().positive() }));
const value = z.lazy(() => z.union([z.number(), z.string().max(10_000), z.null()]));
const tableNames = TABLES.map((t) => t.name) as [TableName, ...TableName[]];
const body = z.lazy(() => z.object({
  db: z.string().min(1).max(200),
  node: z.string().min(1).max(200),
  damaged: z.array(z.number().int().positive()).max(1000),
  // optional: absent in changesets written before the snapshot fallback (and whenever empty)
  damagedSnapshots: z.array(z.number().int().positive()).max(1000).optional(),
  tables: z.partialRecord(
    z.enum(tableNames),
    z.object({ columns: z.array(z.string().max(100)).max(200), rows: z.array(z.array(value)).max(MAX_CHANGESET_ROWS) }),
  ),
}));

export type ChangesetHead = Pick<Changeset, 'db' | 'node' | 'damaged'> & { damagedSnapshots?: number[] };

export async function encodeChangeset(cs: ChangesetHead & { tables: TableRows }): Promise<Uint8Array> {
  const encoder = new ChangesetEncoder(cs);
  for (const t of TABLES) {
    const rows = cs.tables[t.name];
    if (rows?.length) encoder.add(t.name, rows);
  }
  return encoder.finish();
}

/**
 * Writes a changeset piece by piece into gzip: the rows of each table in one or more add() calls, tables in TABLES
 * order; flush() hands what was added to gzip (one write per step of the caller, not one per add). The bytes are
 * those of one JSON.stringify of the whole changeset, but no step holds more than the rows given to it, so a big
 * changeset (a first sync: the whole database) is built across tasks that each stay short.
 */
export class ChangesetEncoder {
  private readonly stream = new CompressionStream('gzip');
  private readonly writer = this.stream.writable.getWriter();
  private readonly packed: Promise<Uint8Array>;
  private readonly text = new TextEncoder();
  /** JSON text added since the last flush. */
  private pending: string[] = [];
  /** The table being written (its rows array is open), and the index in TABLES of the last one opened. */
  private open: TableName | null = null;
  private lastIndex = -1;
  private rowsInTable = 0;

  constructor(head: ChangesetHead) {
    this.packed = new Response(this.stream.readable).arrayBuffer().then((b) => new Uint8Array(b));
    this.packed.catch(() => undefined); // observed by finish(); an abandoned encoder rejects quietly
    const json = JSON.stringify({
      format: CHANGESET_FORMAT,
      version: CHANGESET_VERSION,
      schema: SCHEMA_VERSION,
      db: head.db,
      node: head.node,
      damaged: head.damaged,
      ...(head.damagedSnapshots?.length ? { damagedSnapshots: head.damagedSnapshots } : {}),
    });
    this.pending.push(`${json.slice(0, -1)},"tables":{`);
  }

  /** Appends rows of `table` (values in TABLES column order); empty `rows` add nothing. */
  add(table: TableName, rows: readonly SqlValue[][]): void {
    if (rows.length === 0) return;
    if (this.open !== table) {
      const index = TABLES.findIndex((t) => t.name === table);
      if (index <= this.lastIndex) throw new Error(`changeset tables out of order: ${table}`);
      this.pending.push(`${this.open ? ']},' : ''}${JSON.stringify(table)}:{"columns":${JSON.stringify(TABLE[table].columns)},"rows":[`);
      this.open = table;
      this.lastIndex = index;
      this.rowsInTable = 0;
    }
    const json = JSON.stringify(rows);
    this.pending.push(`${this.rowsInTable ? ',' : ''}${json.slice(1, -1)}`);
    this.rowsInTable += rows.length;
  }

  /** Compresses what was added so far. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    await this.writer.write(this.text.encode(chunk));
  }

  /** The gzipped changeset. */
  async finish(): Promise<Uint8Array> {
    this.pending.push(`${this.open ? ']}' : ''}}}`);
    await this.flush();
    await this.writer.close();
    return this.packed;
  }

  /** Gives up on it (nothing is returned). */
  abort(): void {
    this.pending = [];
    void this.writer.abort().catch(() => undefined);
  }
}

/** Parses a downloaded changeset. Throws RemoteDataError: 'newer' (update the app), 'damaged' or 'unmergeable'. */
export async function decodeChangeset(packed: Uint8Array, seq: number | null = null): Promise<Changeset> {
  const damaged = (why: string) => new RemoteDataError(`Version ${seq ?? ''} on the server is not readable (${why}); it was skipped and changed nothing here.`, 'damaged', seq);
  if (packed.length > MAX_CHANGESET_BYTES) throw damaged(`${packed.length} bytes, more than ${MAX_CHANGESET_BYTES}`);
  let json: unknown;
  try {
    const bytes = await gunzipBounded(packed, MAX_CHANGESET_UNPACKED_BYTES);
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw damaged(error instanceof TooLargeError ? error.message : 'not gzip JSON');
  }
  const head = header.safeParse(json);
  if (!head.success) throw damaged('not an NBA Daily changeset');
  if (head.data.version > CHANGESET_VERSION || head.data.schema > SCHEMA_VERSION) {
    throw new RemoteDataError(
      `Another device synced with a newer version of NBA Daily (changeset format ${head.data.version}, schema ${head.data.schema}). Update the app to keep syncing; nothing was changed.`,
      'newer',
      seq,
    );
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) throw damaged(parsed.error.issues[0]?.message ?? 'unexpected shape');
  const tables: TableRows = {};
  let total = 0;
  for (const [name, part] of Object.entries(parsed.data.tables) as [TableName, { columns: string[]; rows: SqlValue[][] }][]) {
    const spec = TABLE[name];
    if (part.columns.length !== spec.columns.length || part.columns.some((c, i) => c !== spec.columns[i])) {
      throw new RemoteDataError(
        `Version ${seq ?? ''} on the server has columns this app does not expect for ${name} (${part.columns.join(', ')}); it was skipped.`,
        'unmergeable',
        seq,
      );
    }
    const bad = part.rows.findIndex((r) => r.length !== spec.columns.length);
    if (bad >= 0) throw damaged(`${name} row ${bad} has ${part.rows[bad].length} values`);
    total += part.rows.length;
    tables[name] = part.rows;
  }
  if (total > MAX_CHANGESET_ROWS) throw damaged(`${total} rows`);
  return { format: CHANGESET_FORMAT, version: head.data.version, schema: head.data.schema, db: parsed.data.db, node: parsed.data.node, damaged: parsed.data.damaged, damagedSnapshots: parsed.data.damagedSnapshots ?? [], tables };
}
