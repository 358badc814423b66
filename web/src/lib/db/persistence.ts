// Where the database lives between visits: a base (the whole SQLite file) plus a journal of the changesets
// written since (journal.ts), in one IndexedDB object store. Every step is one IndexedDB transaction:
// - append: one journal entry and the generation counter, only if the base it belongs to is still current;
// - save (a new base, also how the journal is compacted): the base, the generation, and the deletion of every
//   journal entry, together;
// - load: the base and its entries read in one transaction, so they always belong together.
// A database stored by earlier versions (one record, format 1) is read as a base with an empty journal; the
// next base the store writes converts it.
//
// Storage formats (STORAGE_FORMAT), and why this one keeps tabs of older builds harmless:
// 1. one record, the whole file (before the journal);
// 2. a base record {format: 2} plus gzip changesets, one value each, under ['journal', baseId, generation]
//    (stop 13). The stop-14 build also wrote plain and split entries under those keys, with no marker;
// 3. (this build) entries under ['entries', baseId, generation(, part)], plain or gzip, split past PART_BYTES,
//    and the format number under FORMAT_KEY.
// A tab of an older build that is still open reads only ['journal', …] entries and the base record. It never
// sees format-3 entries, so its reload finds nothing newer ("unchanged"), never "unreadable" — which would make
// it set the journal aside and write its own stale copy as a new base. Its next write then fails the append's
// generation check (StaleJournalError: refused, nothing written), and a reload gets the new build. So the base
// record stays {format: 2} and its schema version what older builds read, and nothing new goes under 'journal'.
// The rule for the next change: raise STORAGE_FORMAT. Every build from this one reads FORMAT_KEY in each load,
// append and save, and one that meets a format above its own opens read-only and says so (kind 'newer',
// NewerStorageError) instead of reading, setting aside or overwriting data it does not understand.
//
// What a tab holds is a Head: (base id, generation), never the generation alone. An older build's tab stores a
// whole new base when a write does not fit its journal (or it adopts a sync snapshot), at its own generation + 1,
// which may be equal to or below this build's, and without reading this build's entries. So every check of "did
// storage change under me" (the store's pre-write check, compaction, reload, the other-tab message, append, and
// save with `expect`) compares both. The entries that base dropped stay stored under their old base id (orphans;
// that build's save deletes only its own 'journal' keys): a load returns them, and the store merges them into the
// stored base by key (orphans.ts) and stores the result as a new base that drops them, in one transaction.
// Orphans that cannot be read or merged are kept aside under a quarantine key, never deleted.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { DATABASE_NAME, takeOpened } from './early-reads';
import { BASE_ID_KEY, GENERATION_KEY, headOf, type Head } from './head';
import { z } from 'zod';

const DB_KEY = 'database';
/** The storage format this build writes, and the highest it reads (see the list above). */
export const STORAGE_FORMAT = 3;
/** The highest storage format written to this database; absent before format 3. */
const FORMAT_KEY = 'storage-format';
/** Format 2 entries (and the stop-14 build's): read, never written. */
const LEGACY_JOURNAL = 'journal';
/** Format 3 entries: [ENTRIES, baseId, generation], or [ENTRIES, baseId, generation, part] for an entry in parts. */
const ENTRIES = 'entries';
/** Every key under `prefix` (arrays sort after strings, so [prefix, []] is above every [prefix, baseId, …]). */
const allUnder = (prefix: string) => IDBKeyRange.bound([prefix], [prefix, []]);
const entriesOf = (prefix: string, baseId: string) => IDBKeyRange.bound([prefix, baseId, 0], [prefix, baseId, Infinity]);

/**
 * The whole database file as of `generation`; `baseId` names the journal that continues it (none for format 1);
 * `sha256` is the file's digest when it was saved (hex), so a load can tell the bytes are exactly those saved.
 */
export type StoredDatabase = { format: 1 | 2; generation: number; savedAt: number; bytes: Uint8Array; baseId?: string; sha256?: string };
/** One changeset, the write that took the database from generation - 1 to `generation`. */
export type StoredEntry = { generation: number; bytes: Uint8Array };
export type { Head } from './head';
/**
 * Format-3 entries of a base that is no longer stored (a tab of an older build replaced it without reading them):
 * writes of this build the stored base lacks. `journal` in generation order, or why they cannot be read.
 */
export type OrphanJournal = { baseId: string; journal: StoredEntry[] } | { baseId: string; unreadable: string };

const storedBase = z.lazy(() => z.union([
  z.object({ format: z.literal(1), generation: z.number().int().nonnegative(), savedAt: z.number(), bytes: z.instanceof(Uint8Array) }),
  z.object({
    format: z.literal(2),
    generation: z.number().int().nonnegative(),
    savedAt: z.number(),
    bytes: z.instanceof(Uint8Array),
    baseId: z.string().min(1).max(64),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  }),
]));
const storedEntry = z.lazy(() => z.object({
  generation: z.number().int().positive(),
  bytes: z.instanceof(Uint8Array),
  /** An entry bigger than PART_BYTES is stored as parts 0..parts-1 under [journal, baseId, generation, part]. */
  part: z.number().int().nonnegative().optional(),
  parts: z.number().int().min(2).max(10_000).optional(),
}));

/**
 * The largest IndexedDB value an entry is stored in. Chromium moves a value over 64 KiB out of its database into a
 * blob file of its own, which costs a save several milliseconds more than two small values in the same transaction.
 */
export const PART_BYTES = 60 * 1024;

export type LoadResult =
  /** `head`: the stored head keys, when some are left without a base (what a new base must be checked against). */
  | { kind: 'empty'; head?: Head }
  /**
   * `intact`: the base's bytes have the digest they were saved with, so they are the healthy file this app wrote
   * (the store then skips SQLite's page-by-page check, the longest step of opening a big database).
   */
  | {
      kind: 'ok';
      record: StoredDatabase;
      journal: StoredEntry[];
      intact: boolean;
      /** The stored head, read in the same transaction (it may disagree with the base and its entries). */
      head: Head;
      /**
       * Format-3 entries that continue no stored base, by the base they continued: an older build's tab replaced
       * that base without seeing them (a write too big for its journal, or a sync snapshot it adopted). The store
       * merges the readable ones into the stored base (orphans.ts); setAsideOrphans() keeps the others.
       */
      orphans?: OrphanJournal[];
    }
  /** `head`: the stored head read with it, what replacing it checks (Persistence.replaceUnreadable). */
  | { kind: 'foreign'; raw: unknown; reason: string; head: Head }
  /** Written by a newer build in a storage format this one does not know: left exactly as it is. */
  | { kind: 'newer'; format: number; reason: string };

/** A newer build stored this database in a format this one does not know: nothing was written. */
export class NewerStorageError extends Error {
  override name = 'NewerStorageError';
  constructor(readonly format: number) {
    super(newerReason(format));
  }
}

const newerReason = (format: number) =>
  `This data was saved by a newer version of NBA Daily (storage format ${format}; this version reads up to ${STORAGE_FORMAT}). It is left untouched and this tab saves nothing: reload the page to get the new version.`;

/** The stored format number, or a throw of NewerStorageError if it is above this build's. */
async function checkFormat(store: IDBObjectStore): Promise<number> {
  return formatOf(await promisifyRequest(store.get(FORMAT_KEY)));
}

/** The stored format number read from FORMAT_KEY (0 when none), or a throw of NewerStorageError if it is above this build's. */
function formatOf(raw: unknown): number {
  const format = typeof raw === 'number' && Number.isFinite(raw) ? raw : 0;
  if (format > STORAGE_FORMAT) throw new NewerStorageError(format);
  return format;
}

/**
 * The results of requests issued together in one transaction (IndexedDB runs them in order and answers each), so
 * they cost one round trip instead of one each. Every rejection is observed: a failed request aborts the transaction,
 * which fails the rest too.
 */
async function readAll<T extends readonly IDBRequest[]>(requests: T): Promise<{ [K in keyof T]: T[K] extends IDBRequest<infer V> ? V : never }> {
  const settled = await Promise.allSettled(requests.map((request) => promisifyRequest(request)));
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as never;
}

/** Another tab wrote a new base (or entry) since this tab last read: the append would continue a stale state. */
export class StaleJournalError extends Error {
  override name = 'StaleJournalError';
}

export interface Persistence {
  load(): Promise<LoadResult>;
  /** Cheap read of the stored generation, to tell whether another tab wrote since we loaded. */
  generation(): Promise<number>;
  /** The stored base's id and generation, read together without the base itself (start-up checks a cache by them). */
  head(): Promise<{ baseId: string | null; generation: number }>;
  /** The id of the base this tab's appends continue (from its last load or save), null before or for format 1. */
  baseId(): string | null;
  /**
   * Writes a new base at `generation` and drops the journal it replaces, atomically. With `expect`, only if the
   * stored head is still exactly that (else StaleJournalError, nothing written): the base then holds everything
   * stored. `absorbed`: bases whose orphan entries the new base holds (merged), dropped in the same transaction.
   * Resolves with the new base's id.
   */
  save(bytes: Uint8Array, generation: number, options?: { expect?: Head; absorbed?: readonly string[] }): Promise<string | void>;
  /**
   * Keeps `raw` (what a load found unreadable) under a quarantine key and writes a new base over it, in one
   * transaction, only if the stored head is still `expect` (the head read with `raw`), else StaleJournalError and
   * nothing written: another tab may have replaced it already, and its base is not to be overwritten.
   */
  replaceUnreadable(bytes: Uint8Array, generation: number, options: { expect: Head; raw: unknown; reason: string }): Promise<{ baseId: string; key: string }>;
  /**
   * Appends the changeset that made `generation` to the journal of base `baseId` (default: the base last loaded or
   * saved). Throws StaleJournalError (writing nothing) when the stored head is no longer (`baseId`, `generation - 1`).
   */
  append(bytes: Uint8Array, generation: number, baseId?: string | null): Promise<void>;
  /** Copies unreadable data to a key of its own (never one already used) so it is never lost; returns that key. */
  quarantine(raw: unknown, reason: string): Promise<string>;
  /**
   * Moves the journal entries that continue no stored base (LoadResult `orphans`; only those of `baseIds` when
   * given) to one quarantine key, in one transaction; returns that key, or null when there were none.
   */
  setAsideOrphans?(reason: string, baseIds?: readonly string[]): Promise<string | null>;
}

/**
 * SHA-256 of `bytes` (hex) through WebCrypto, which hashes off the UI thread; undefined where it is missing
 * (an insecure context): the base is then checked page by page as before.
 */
export async function digest(bytes: Uint8Array): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  try {
    const hash = new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource));
    return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined;
  }
}

const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Runs `fn` in one transaction and resolves when it committed. Anything `fn` throws aborts the transaction,
 * so a half-done step (a base put, the journal not yet dropped) never commits.
 */
function inTransaction<T>(kv: UseStore, mode: IDBTransactionMode, fn: (store: IDBObjectStore) => Promise<T> | T): Promise<T> {
  return kv(mode, async (store) => {
    const done = promisifyRequest(store.transaction);
    // Observed from the start: a failed request rejects it at once, while `fn` may still wait for other requests
    // of its batch (readAll), which fail in later tasks; it is awaited (and its error thrown) below all the same.
    done.catch(() => undefined);
    try {
      const result = await fn(store);
      await done;
      return result;
    } catch (error) {
      try {
        store.transaction.abort();
      } catch {
        // Already finished or aborted.
      }
      throw error;
    }
  });
}

export function idbPersistence(dbName = DATABASE_NAME): Persistence {
  // Opened on first use, so a browser without IndexedDB fails inside load() where the store handles it (or already
  // by the page's first script, early-reads.ts: the same open, begun while the entry chunk loads).
  let opened: UseStore | undefined;
  const kv = (): UseStore => (opened ??= takeOpened(dbName) ?? createStore(dbName, 'kv'));
  /** The base this tab's appends continue (from the last load or save). */
  let currentBase: { id: string | null; generation: number } | null = null;

  /**
   * The new base, the generation, and the deletion of the journal it replaces, in one transaction; with `expect`,
   * only if the stored head is still that; with `setAside`, what was stored is first kept under a quarantine key.
   */
  async function writeBase(
    bytes: Uint8Array,
    generation: number,
    options: { expect?: Head; absorbed?: readonly string[]; setAside?: { raw: unknown; reason: string } },
  ): Promise<{ baseId: string; key?: string }> {
    const { expect, absorbed = [], setAside } = options;
    // Hashed before the transaction opens: an IndexedDB transaction commits on its own across a foreign await.
    const sha256 = await digest(bytes);
    const baseId = randomId();
    const record: StoredDatabase = { format: 2, generation, savedAt: Date.now(), bytes, baseId, ...(sha256 ? { sha256 } : {}) };
    const key = await inTransaction(kv(), 'readwrite', async (store) => {
      const [rawFormat, replaced, storedGeneration] = await readAll([store.get(FORMAT_KEY), store.get(BASE_ID_KEY), store.get(GENERATION_KEY)]);
      formatOf(rawFormat);
      if (expect) {
        const stored = headOf(replaced, storedGeneration);
        if (stored.baseId !== expect.baseId || stored.generation !== expect.generation) {
          throw new StaleJournalError('The stored database changed since this tab read it.');
        }
      }
      let key: string | undefined;
      if (setAside) {
        key = await unusedQuarantineKey(store);
        // The entries that continue the base replaced are deleted below: they are kept with it (its record may not
        // have parsed far enough for load to read them into `raw`).
        const journal = typeof replaced === 'string' ? (await readAll([store.getAll(entriesOf(LEGACY_JOURNAL, replaced)), store.getAll(entriesOf(ENTRIES, replaced))])).flat() : [];
        store.put({ reason: setAside.reason, raw: setAside.raw, ...(journal.length ? { journal } : {}) }, key);
      }
      store.put(STORAGE_FORMAT, FORMAT_KEY);
      store.put(record, DB_KEY);
      store.put(baseId, BASE_ID_KEY);
      store.put(generation, GENERATION_KEY);
      store.delete(allUnder(LEGACY_JOURNAL));
      // The entries of the base replaced (this tab's, which the new base holds), and the orphans it merged.
      // Entries of any other base are orphans an older build left behind: they stay (merged or set aside later).
      for (const id of new Set([replaced, expect ? expect.baseId : currentBase?.id, ...absorbed])) if (typeof id === 'string') store.delete(entriesOf(ENTRIES, id));
      return key;
    });
    currentBase = { id: baseId, generation };
    return { baseId, key };
  }

  return {
    async load() {
      let read;
      try {
        read = await inTransaction(kv(), 'readonly', async (store) => {
          // Requests issued together (readAll): two round trips to IndexedDB's backend in all, not nine.
          const [rawFormat, raw, storedId, storedGeneration, everyEntry] = await readAll([
            store.get(FORMAT_KEY),
            store.get(DB_KEY),
            store.get(BASE_ID_KEY),
            store.get(GENERATION_KEY),
            store.count(allUnder(ENTRIES)),
          ]);
          formatOf(rawFormat);
          const head = headOf(storedId, storedGeneration);
          const parsed = storedBase.safeParse(raw);
          if (!parsed.success || parsed.data.format === 1) return { raw, head, parsed, entries: [] as unknown[], keys: [] as IDBValidKey[], orphans: { keys: [] as IDBValidKey[], values: [] as unknown[] } };
          // Format 2 entries first: an older build's tab can only append while it holds every entry, so its
          // entries never follow one of this format (load checks the generations are consecutive all the same).
          const { baseId } = parsed.data;
          const [legacyEntries, legacyKeys, ownEntries, ownKeys] = await readAll([
            store.getAll(entriesOf(LEGACY_JOURNAL, baseId)),
            store.getAllKeys(entriesOf(LEGACY_JOURNAL, baseId)),
            store.getAll(entriesOf(ENTRIES, baseId)),
            store.getAllKeys(entriesOf(ENTRIES, baseId)),
          ]);
          const entries: unknown[] = [...legacyEntries, ...ownEntries];
          const keys: IDBValidKey[] = [...legacyKeys, ...ownKeys];
          const orphans: { keys: IDBValidKey[]; values: unknown[] } = { keys: [], values: [] };
          if (everyEntry > keys.filter((k) => Array.isArray(k) && k[0] === ENTRIES).length) {
            // Rare (an older build's tab replaced a base): read them all, the stored base's own left out below.
            orphans.values = await promisifyRequest(store.getAll(allUnder(ENTRIES)));
            orphans.keys = await promisifyRequest(store.getAllKeys(allUnder(ENTRIES)));
          }
          return { raw, head, parsed, entries, keys, orphans };
        });
      } catch (error) {
        if (error instanceof NewerStorageError) return { kind: 'newer', format: error.format, reason: error.message };
        throw error;
      }
      if (read.raw === undefined) {
        currentBase = null;
        return { kind: 'empty', head: read.head };
      }
      if (!read.parsed.success) return { kind: 'foreign', raw: read.raw, reason: read.parsed.error.issues[0]?.message ?? 'unexpected shape', head: read.head };
      const record = read.parsed.data as StoredDatabase;
      // A format-1 record never has a journal; entries next to it are not its own.
      const entries = record.format === 1 ? [] : read.entries;
      const assembled = assemble(entries, read.keys, record.generation + 1);
      if ('error' in assembled) return { kind: 'foreign', raw: { base: read.raw, journal: entries }, reason: assembled.error, head: read.head };
      const storedId = record.format === 2 ? (record.baseId ?? null) : null;
      const orphans = orphanJournals(read.orphans.keys, read.orphans.values, storedId);
      currentBase = { id: storedId, generation: record.generation };
      const intact = record.sha256 !== undefined && (await digest(record.bytes)) === record.sha256;
      return { kind: 'ok', record, journal: assembled.journal, intact, head: read.head, ...(orphans.length ? { orphans } : {}) };
    },
    async generation() {
      const value = await inTransaction(kv(), 'readonly', (store) => promisifyRequest(store.get(GENERATION_KEY)));
      return typeof value === 'number' ? value : 0;
    },
    async head() {
      const [baseId, generation] = await inTransaction(kv(), 'readonly', (store) => readAll([store.get(BASE_ID_KEY), store.get(GENERATION_KEY)]));
      return headOf(baseId, generation);
    },
    baseId() {
      return currentBase?.id ?? null;
    },
    async save(bytes, generation, options = {}) {
      return (await writeBase(bytes, generation, options)).baseId;
    },
    async replaceUnreadable(bytes, generation, { expect, raw, reason }) {
      const { baseId, key } = await writeBase(bytes, generation, { expect, setAside: { raw, reason } });
      return { baseId, key: key! };
    },
    async append(bytes, generation, continues) {
      const baseId = continues === undefined ? currentBase?.id : continues;
      if (!baseId) throw new StaleJournalError('No journaled base is loaded: write a base first.');
      await inTransaction(kv(), 'readwrite', async (store) => {
        // Small keys only: reading the base record here would cost a copy of the whole file per write. The three
        // are asked for at once: one round trip to IndexedDB's backend instead of three, on every write.
        const [rawFormat, storedBaseId, storedGeneration] = await readAll([store.get(FORMAT_KEY), store.get(BASE_ID_KEY), store.get(GENERATION_KEY)]);
        const format = formatOf(rawFormat);
        if (storedBaseId !== baseId || storedGeneration !== generation - 1) {
          throw new StaleJournalError('The stored database changed since this tab read it.');
        }
        if (format < STORAGE_FORMAT) store.put(STORAGE_FORMAT, FORMAT_KEY);
        if (bytes.length <= PART_BYTES) store.put({ generation, bytes } satisfies StoredEntry, [ENTRIES, baseId, generation]);
        else {
          const parts = Math.ceil(bytes.length / PART_BYTES);
          for (let part = 0; part < parts; part++) {
            store.put({ generation, bytes: bytes.slice(part * PART_BYTES, (part + 1) * PART_BYTES), part, parts }, [ENTRIES, baseId, generation, part]);
          }
        }
        store.put(generation, GENERATION_KEY);
      });
    },
    async setAsideOrphans(reason, baseIds) {
      return inTransaction(kv(), 'readwrite', async (store) => {
        const baseId = await promisifyRequest(store.get(BASE_ID_KEY));
        const keys = await promisifyRequest(store.getAllKeys(allUnder(ENTRIES)));
        const orphanKeys = keys.filter((k) => Array.isArray(k) && k[1] !== baseId && (!baseIds || baseIds.includes(String(k[1]))));
        if (orphanKeys.length === 0) return null;
        const entries: { key: IDBValidKey; value: unknown }[] = [];
        for (const k of orphanKeys) entries.push({ key: k, value: await promisifyRequest(store.get(k)) });
        const key = await unusedQuarantineKey(store);
        store.put({ reason, raw: { orphanEntries: entries } }, key);
        for (const k of orphanKeys) store.delete(k);
        return key;
      });
    },
    async quarantine(raw, reason) {
      return inTransaction(kv(), 'readwrite', async (store) => {
        const key = await unusedQuarantineKey(store);
        store.put({ reason, raw }, key);
        return key;
      });
    },
  };
}


/**
 * `quarantine-<time>`, with `-2`, `-3`… when that key is taken (two set-asides in one millisecond, or by two tabs):
 * a kept copy is never overwritten. Read and written in one readwrite transaction, which IndexedDB runs alone
 * over this object store, so two tabs cannot both take one key.
 */
async function unusedQuarantineKey(store: IDBObjectStore): Promise<string> {
  const stem = `quarantine-${new Date().toISOString()}`;
  for (let n = 1; ; n++) {
    const key = n === 1 ? stem : `${stem}-${n}`;
    if ((await promisifyRequest(store.count(key))) === 0) return key;
  }
}

/**
 * One base's entries, in key order, as a journal continuing generation `first - 1` (parts joined); or why not.
 * `first` undefined: whatever generation the first entry has (an orphan journal, whose base is gone).
 */
function assemble(entries: readonly unknown[], keys: readonly IDBValidKey[], first?: number): { journal: StoredEntry[] } | { error: string } {
  const journal: StoredEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = storedEntry.safeParse(entries[i]);
    if (!entry.success) return { error: `a journal entry is malformed (${String(keys[i])})` };
    const expected = (first ?? entry.data.generation) + journal.length;
    if (entry.data.generation !== expected) return { error: `journal entry ${entry.data.generation} where ${expected} was expected` };
    first ??= entry.data.generation;
    if (entry.data.parts === undefined) {
      journal.push({ generation: entry.data.generation, bytes: entry.data.bytes });
      continue;
    }
    // Parts 0..parts-1 of one entry, in key order.
    const parts: Uint8Array[] = [];
    for (let part = 0; part < entry.data.parts; part++) {
      const piece = storedEntry.safeParse(entries[i + part]);
      if (!piece.success || piece.data.generation !== expected || piece.data.part !== part || piece.data.parts !== entry.data.parts) {
        return { error: `journal entry ${expected} is missing part ${part} of ${entry.data.parts}` };
      }
      parts.push(piece.data.bytes);
    }
    i += entry.data.parts - 1;
    journal.push({ generation: expected, bytes: concat(parts) });
  }
  return { journal };
}

/** The format-3 entries (keys and values of every one, in key order) that continue a base other than `storedId`. */
function orphanJournals(keys: readonly IDBValidKey[], values: readonly unknown[], storedId: string | null): OrphanJournal[] {
  const byBase = new Map<string, { keys: IDBValidKey[]; values: unknown[] }>();
  keys.forEach((key, i) => {
    const baseId = Array.isArray(key) ? key[1] : undefined;
    if (typeof baseId !== 'string' || baseId === storedId) return;
    const group = byBase.get(baseId) ?? { keys: [], values: [] };
    byBase.set(baseId, group);
    group.keys.push(key);
    group.values.push(values[i]);
  });
  return [...byBase].map(([baseId, group]) => {
    const assembled = assemble(group.values, group.keys);
    return 'error' in assembled ? { baseId, unreadable: assembled.error } : { baseId, journal: assembled.journal };
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(String((error as Error)?.message));
}
