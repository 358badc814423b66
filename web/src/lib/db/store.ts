// The app's one database: sql.js in memory, every committed write persisted to IndexedDB before the
// caller hears "done". A write costs what it changed: its changeset (journal.ts) is appended to the journal
// after the stored base; when the journal grows past a share of the base, the next write stores a new base
// instead, which drops the journal in the same IndexedDB transaction (persistence.ts).
// Tabs share it safely: writes take a Web Lock, reload if another tab wrote first, and announce each write on
// a BroadcastChannel with its changeset, which the other tabs apply instead of reloading the file. "Wrote first"
// is judged by the stored base id and generation together (persistence.ts Head): a tab of an older build can store
// a new base at a generation not above this tab's; its base is read, and this build's entries it dropped are
// merged back (orphans.ts).
import type { Database, SqlJsStatic } from 'sql.js';
import { gunzipBounded, gzip } from '../sync/gzip';
import { checkpointChanges, discardChanges, forgetCheckpoints, installCapture, JournalEntryError, MAX_ENTRY_BYTES, replay, replayInSteps, takeChanges, touchedTables } from './journal';
import { isQuotaError, NewerStorageError, StaleJournalError, STORAGE_FORMAT, type Head, type LoadResult, type OrphanJournal, type Persistence, type StoredEntry } from './persistence';
import { mergeOrphanChangesets } from './orphans';
import { migrate, SchemaError } from './schema';
import { openEmptyDatabase, openEmptyDatabaseInSteps, rehearseWrites } from './empty-database';
import { transaction } from './sql';
import { InvalidDatabaseError, openValidated } from './validate';
import { currentHlc, localVersion, metaWrites, observeClock, renewDatabaseId, setNode, setWall, totalChanges } from './changes';
import { yieldToUi } from './yield';

export type StoreMode = 'persistent' | 'memory' | 'read-only';

export interface Notice {
  level: 'error' | 'warning';
  message: string;
}

export class WriteRefusedError extends Error {
  override name = 'WriteRefusedError';
}

/** A later step of a write in steps threw (`cause`): the steps before it are committed and are saved first. */
class StepFailedError extends Error {
  override name = 'StepFailedError';
  constructor(override readonly cause: unknown) {
    super('A step of a write failed.');
  }
}

interface StoreOptions {
  SQL: SqlJsStatic;
  persistence: Persistence;
  lockName?: string;
  channelName?: string;
  /**
   * A read of `persistence` already under way (the app starts it while the WASM compiles, so the two overlap);
   * handled exactly like the store's own load, failure included.
   */
  initialLoad?: Promise<LoadResult>;
  /** When the journal is compacted into a new base (defaults: JOURNAL_LIMITS). */
  journalLimits?: Partial<JournalLimits>;
  /** The clock node every local write is stamped with (the device id). */
  node?: string;
  /** Wall clock for the stamps (tests inject skewed or stepped clocks). */
  now?: () => number;
  /** The file of a new database (empty-database.ts): a fresh start opens a copy instead of running the migrations. */
  emptyDatabase?: Uint8Array | null;
  /**
   * True when storage is known to hold nothing before it is read (the page's first read of the stored head found
   * none: a first visit). The new database is then made while `initialLoad` is read, in the tasks it leaves idle,
   * and used if storage is indeed empty.
   */
  likelyEmpty?: Promise<boolean>;
}

/** DatabaseStore.savePoint(). */
export interface SavePoint {
  /** The local change counter and clock as of what is stored (a write being saved has stamped rows above them). */
  localVersion: number;
  hlc: string;
  /** How many writes have begun in this tab (each write's number), and the one being saved now (null: none). */
  writesBegun: number;
  saving: number | null;
  /** How many times the live database was replaced by another copy (a failed save undone, a stored copy swapped in). */
  replaced: number;
}

/** A write made by a bulk() backfill (store.write's shape). */
export type BulkWriter = <T>(fn: (db: Database) => T) => Promise<T>;

/**
 * A write too long for one task (a backfill's batch of days), as a generator: each part up to a `yield` is a step,
 * run in a transaction and a task of its own; what it returns is the write's result. See writeInSteps().
 */
export type WriteSteps<T> = (db: Database) => Generator<void, T, void>;
/** bulk()'s writer of WriteSteps (store.writeInSteps' shape). */
export type BulkStepWriter = <T>(steps: WriteSteps<T>) => Promise<T>;

/** `tables`: the tables a local write changed (at most these), when the store knows them; else anything may have. */
type Listener = (origin: 'local' | 'other-tab', tables?: readonly string[]) => void;

/**
 * When a write stores a new base instead of a journal entry: once the journal's changesets (their bytes before
 * any gzip: what a load has to parse and replay) would pass this share of the base's size (with a floor, so a
 * small database is not rewritten on every write), or it has this many entries. 16% of the base is a journal
 * holding roughly a sixth of the database's rows' worth of changes: replaying it on load stays a fraction of
 * opening the base, while everyday writes (a logged slate is ~60 KB of changeset) go to the journal for weeks
 * between compactions.
 */
export interface JournalLimits {
  shareOfBase: number;
  minBytes: number;
  maxEntries: number;
}
export const JOURNAL_LIMITS: Readonly<JournalLimits> = { shareOfBase: 0.16, minBytes: 256 * 1024, maxEntries: 50 };
/**
 * The limits inside bulk() (a backfill): a base only when the journal's changesets reach 4× the base (about half
 * its size once gzipped, as backfill entries are stored), so a first backfill writes about 1.5× the final
 * database instead of rewriting it every few batches; bulk() compacts to the everyday limits when it ends.
 */
export const BULK_JOURNAL_LIMITS: Readonly<JournalLimits> = { shareOfBase: 4, minBytes: 256 * 1024, maxEntries: 2000 };

/**
 * A changeset up to this size is stored as it is: gzip would cost the save more time (an asynchronous stream,
 * several tasks) than it saves IndexedDB bytes. Bigger ones (backfill batches, imports) are gzipped. Replay tells
 * the two apart by gzip's magic bytes (a changeset is JSON and starts with "{").
 */
export const RAW_ENTRY_MAX_BYTES = 256 * 1024;
/**
 * A bulk() backfill's own writes, which no one waits on one by one: changesets above this size are gzipped too: a
 * backfill makes dozens to hundreds of 50–200 KB entries, which stored as they are would write about twice the final
 * database (scripts/bench-backfill.ts).
 */
export const BULK_RAW_ENTRY_MAX_BYTES = 16 * 1024;
const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * What one tab tells the others after a write: the generation (`at`), and the changeset when it went to the
 * journal. Older builds' tabs sent (and listen for) `{ generation, entry }`; this shape has no `generation`, so
 * they ignore it: one of them applying an entry it heard would catch up without the stored entries it cannot
 * read, and go on appending where a later load of its own would not follow (persistence.ts, storage formats).
 */
type WriteMessage = { storageFormat: number; at: number; baseId?: string | null; entry?: Uint8Array };
/** An older build's message: its entries are format-2 ones, which this build reads. */
type LegacyWriteMessage = { generation: number; entry?: Uint8Array };

export class DatabaseStore {
  private listeners = new Set<Listener>();
  private channel: BroadcastChannel | null = null;
  /** The stored base and the journal after it: the last state known to be on disk, what a failed save falls back to. */
  private savedBytes: Uint8Array | null = null;
  private journal: StoredEntry[] = [];
  /** The journal's changeset bytes (before gzip), what JOURNAL_LIMITS bound. */
  private journalBytes = 0;
  /** False until a base of the journaled format is stored (a new database, or one stored by an earlier version). */
  private journaled = false;
  /** Inside bulk(): compaction waits for its end. */
  private bulkDepth = 0;
  /** The last compaction: it moved the generation from a state (`content`) to `to` without changing a row. */
  private compacted: { content: number; to: number } | null = null;
  /** The stored base this tab's state continues (null: none yet, or format 1); with `generation`, its Head. */
  private baseId: string | null = null;

  private constructor(
    private readonly options: StoreOptions,
    private db: Database,
    private generation: number,
    public mode: StoreMode,
    public modeReason: string | null,
  ) {
    this.adoptNode(db);
  }

  private adoptNode(db: Database): void {
    if (this.options.node) setNode(db, this.options.node);
  }

  static async open(options: StoreOptions, reopened = 0): Promise<{ store: DatabaseStore; notices: Notice[] }> {
    const { SQL, persistence } = options;
    /** Another tab stored something between our read and our first save: read again (a few times, then degrade). */
    const again = (store: DatabaseStore) => {
      store.close();
      return DatabaseStore.open({ ...options, initialLoad: undefined, likelyEmpty: undefined }, reopened + 1);
    };
    const mayRetry = reopened < OPEN_ATTEMPTS;
    const notices: Notice[] = [];
    const fresh = () => openEmptyDatabase(SQL, options.emptyDatabase, options.node);
    // A new database's first SQLite work, each step in a task of its own (on a first visit the code SQLite runs is
    // still cold): the copy of the file, its first statement (which parses the schema), the change capture.
    const freshInSteps = async () => {
      const db = await openEmptyDatabaseInSteps(SQL, options.emptyDatabase, options.node, yieldToUi);
      await yieldToUi();
      installCapture(db);
      // The first real write's code compiled too (its rows are dropped from the capture by the first base's save).
      await yieldToUi();
      rehearseWrites(db);
      return db;
    };
    const reading = performance.now();
    const loading = options.initialLoad ?? persistence.load();
    const early = options.likelyEmpty?.then((empty) => (empty ? freshInSteps() : null)).catch(() => null) ?? Promise.resolve(null);

    let loaded: Awaited<ReturnType<Persistence['load']>>;
    try {
      loaded = await loading;
      performance.measure('nba-daily:idb-read', { start: reading });
    } catch (error) {
      void early.then((db) => db?.close());
      const reason = `Storage is unavailable in this browser (${(error as Error).message || 'the browser refused'}), as in some private windows. The app works, but nothing you log will be kept after this tab closes.`;
      notices.push({ level: 'error', message: reason });
      return { store: new DatabaseStore(options, fresh(), 0, 'memory', reason), notices };
    }

    if (loaded.kind === 'empty') {
      const opening = performance.now();
      // Head keys left without a base (the base key alone deleted): the new base goes above them, checked against them.
      const head = loaded.head ?? NO_HEAD;
      const db = (await early) ?? (await freshInSteps());
      const store = new DatabaseStore(options, db, head.generation, 'persistent', null);
      if (!sameHead(head, NO_HEAD)) store.nextBase = { expect: head };
      const created = performance.now();
      // Its first save (an export of the file) in a task of its own.
      await yieldToUi();
      if ((await store.persistOrDegrade(notices, 'base', mayRetry)) === 'stale') return again(store);
      performance.measure('nba-daily:db-open', { start: opening, detail: { fresh: true, createMs: created - opening, saveMs: performance.now() - created } });
      return { store: store.listen(), notices };
    }

    const setAside = async (raw: unknown, reason: string, head: Head): Promise<{ store: DatabaseStore; notices: Notice[] }> => {
      const store = new DatabaseStore(options, fresh(), 0, 'persistent', null);
      // Kept aside and replaced by a new base in one transaction, only if storage still holds what was read:
      // another tab that read it too may have replaced it already, and written on its new base.
      store.nextBase = { expect: head, setAside: { raw, reason } };
      try {
        await store.persist('base');
      } catch (error) {
        if (error instanceof StaleJournalError && mayRetry) return again(store);
        store.close();
        if (error instanceof NewerStorageError) {
          notices.push({ level: 'error', message: error.message });
          return { store: new DatabaseStore(options, fresh(), 0, 'read-only', error.message), notices };
        }
        const why = `The stored database could not be read (${reason}) and could not be set aside (${(error as Error).message}). It is left untouched; changes in this tab will not be saved.`;
        notices.push({ level: 'error', message: why });
        return { store: new DatabaseStore(options, fresh(), 0, 'memory', why), notices };
      }
      notices.push({
        level: 'error',
        message: `The stored database could not be read (${reason}). It was kept aside in this browser's storage (as "${store.takeKeptAside()}") and a new, empty database was started.`,
      });
      return { store: store.listen(), notices };
    };

    void early.then((db) => db?.close());
    if (loaded.kind === 'foreign') return setAside(loaded.raw, `unexpected data: ${loaded.reason}`, loaded.head);
    if (loaded.kind === 'newer') {
      notices.push({ level: 'error', message: loaded.reason });
      return { store: new DatabaseStore(options, fresh(), 0, 'read-only', loaded.reason), notices };
    }

    const { record, journal } = loaded;
    let db: Database;
    let journalSize = 0;
    const opening = performance.now();
    try {
      db = openValidated(SQL, record.bytes, { intact: loaded.intact });
    } catch (error) {
      if (error instanceof InvalidDatabaseError && error.kind === 'newer') {
        notices.push({ level: 'error', message: error.message });
        return { store: new DatabaseStore(options, fresh(), record.generation, 'read-only', error.message), notices };
      }
      return setAside(journal.length ? { base: record, journal } : record, (error as Error).message, loaded.head);
    }
    const validated = performance.now();
    try {
      // Opening is several steps of one task each (deserialize + check, each replay step, migrate).
      if (journal.length) await yieldToUi();
      journalSize = await replayJournal(db, journal);
    } catch (error) {
      db.close();
      return setAside({ base: record, journal }, (error as Error).message, loaded.head);
    }
    const replayed = performance.now();
    const generation = record.generation + journal.length;
    try {
      const { from, to } = migrate(db);
      const detail = { bytes: record.bytes.length, entries: journal.length, journalBytes: journalSize, intact: loaded.intact, validateMs: validated - opening, replayMs: replayed - validated };
      performance.measure('nba-daily:db-open', { start: opening, detail });
      const storedId = record.format === 2 ? (record.baseId ?? null) : null;
      // The stored head is not this base and its entries: no append can follow it; a new base checked against that
      // head, above both generations, makes storage agree with itself again (as reloadFromStorage does).
      const headDisagrees = !sameHead(loaded.head, { baseId: storedId, generation });
      const store = new DatabaseStore(options, db, headDisagrees ? Math.max(generation, loaded.head.generation) : generation, 'persistent', null);
      store.baseId = storedId;
      store.adoptStored(record.bytes, journal, journalSize, record.format === 2);
      if (headDisagrees) store.nextBase = { expect: loaded.head };
      const merged = loaded.orphans ? await store.takeInOrphans(loaded.orphans, notices) : false;
      // A migrated database is stored as a new base: journal entries never span schema versions. So is one that
      // took in orphaned entries, which drops them, and one whose stored head disagrees.
      if ((from !== to || merged || headDisagrees) && (await store.persistOrDegrade(notices, 'base', mayRetry)) === 'stale') return again(store);
      return { store: store.listen(), notices };
    } catch (error) {
      db.close();
      const reason =
        error instanceof SchemaError
          ? `${error.message} Your data is untouched; this tab shows nothing and saves nothing until the app is updated.`
          : `The database could not be opened: ${(error as Error).message}`;
      notices.push({ level: 'error', message: reason });
      return { store: new DatabaseStore(options, fresh(), record.generation, 'read-only', reason), notices };
    }
  }

  /**
   * Writes of this version that an older version's tab dropped from the live database (it replaced the stored
   * base without reading them): merged into this database by key (orphans.ts), to be dropped by the next base
   * saved (`absorbed`). Entries that cannot be read or merged are kept aside and explained, never deleted.
   * Returns whether any were merged.
   */
  private async takeInOrphans(orphans: readonly OrphanJournal[], notices: Notice[]): Promise<boolean> {
    const { merged, unreadable } = await mergeOrphans(this.db, orphans);
    this.absorbed = merged;
    const kept = unreadable.length ? await this.keepOrphans(unreadable) : null;
    if (kept) notices.push(kept);
    return merged.length > 0;
  }

  /** Bases whose orphaned entries this database holds (merged): the next base saved drops them. */
  private absorbed: string[] = [];
  /**
   * What storage holds is not this tab's to continue (unreadable, or storage cleared, or a head that disagrees with
   * its base): the next base is saved only if storage still has head `expect` (what was read), and first keeps
   * `setAside` (the unreadable data) under a quarantine key in the same transaction.
   */
  private nextBase: { expect: Head; setAside?: { raw: unknown; reason: string } } | null = null;
  /** The quarantine key the last base saved kept unreadable data under, until it is told. */
  private keptAside: string | null = null;
  private noticeListeners = new Set<(notice: Notice) => void>();

  /** Notices after open (open returns its own): data kept aside by a running tab. */
  onNotice(listener: (notice: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  private announce(notice: Notice): void {
    for (const listener of this.noticeListeners) listener(notice);
  }

  private takeKeptAside(): string | null {
    const key = this.keptAside;
    this.keptAside = null;
    return key;
  }

  private async keepOrphans(baseIds: readonly string[]): Promise<Notice | null> {
    const reason = 'changes an older version of the app, open in another tab, replaced without seeing them (they could not be merged)';
    try {
      const key = await this.options.persistence.setAsideOrphans?.(reason, baseIds);
      if (key) {
        return {
          level: 'warning',
          message: `Some changes saved in this browser were replaced by an older version of NBA Daily open in another tab and could not be merged back. They were kept aside in this browser's storage (as "${key}"); nothing was deleted.`,
        };
      }
    } catch {
      // Left where they are: the next open tries again (a save never deletes them).
    }
    return null;
  }

  /** First save of a new or migrated database; if storage refuses, keep running in memory and say so. */
  private async persistOrDegrade(notices: Notice[], kind: 'base' | 'auto' = 'base', staleIsRetried = false): Promise<'stale' | void> {
    try {
      await this.persist(kind);
    } catch (error) {
      if (error instanceof StaleJournalError && staleIsRetried) return 'stale';
      this.mode = 'memory';
      notices.push({ level: 'error', message: describeSaveError(error) });
    }
  }

  /** Records what is on disk, and starts capturing changesets on top of it. */
  private adoptStored(base: Uint8Array, journal: StoredEntry[], journalSize: number, journaled: boolean): void {
    this.savedBytes = base;
    this.journal = journal;
    this.journalBytes = journalSize;
    this.journaled = journaled;
    if (this.mode === 'persistent') {
      installCapture(this.db);
      discardChanges(this.db);
    }
  }

  private listen(): this {
    if (typeof BroadcastChannel === 'undefined') return this;
    this.channel = new BroadcastChannel(this.options.channelName ?? 'nba-daily-db');
    this.channel.onmessage = (event: MessageEvent<Partial<WriteMessage & LegacyWriteMessage> | null>) => {
      const data = event.data ?? {};
      const generation = typeof data.at === 'number' ? data.at : data.generation;
      const entry = data.entry instanceof Uint8Array ? data.entry : undefined;
      if (typeof generation !== 'number') return;
      // Which base the write continues; undefined from an older build, whose messages do not say.
      const baseId = typeof data.baseId === 'string' || data.baseId === null ? data.baseId : undefined;
      // A newer build's write: what it stored is read (and found newer: this tab turns read-only), never applied.
      const newer = typeof data.storageFormat === 'number' && data.storageFormat > STORAGE_FORMAT;
      // This tab already holds it. (An older build's base may come at a generation not above this tab's.)
      if (!newer && generation <= this.generation && baseId === this.baseId) return;
      void this.applyOtherTab(generation, entry, baseId, newer).then((applied) => applied && this.emit('other-tab'));
    };
    return this;
  }

  /**
   * Another tab's write: its changeset applies directly when it continues this tab's state (this tab's base, at
   * generation - 1); otherwise (a new base, a missed message) the stored copy is read again if its head is not
   * this tab's. `baseId` undefined (an older build's message): the stored head tells which base the entry continues.
   */
  private async applyOtherTab(generation: number, entry: Uint8Array | undefined, baseId: string | null | undefined, newer = false): Promise<boolean> {
    const continuesOurs = () => !newer && generation === this.generation + 1 && this.mode === 'persistent' && this.journaled;
    if (entry && continuesOurs()) {
      try {
        const onOurBase = baseId !== undefined ? baseId === this.baseId : (await this.options.persistence.head()).baseId === this.baseId;
        const changes = !onOurBase ? null : isGzip(entry) ? await gunzipBounded(entry, MAX_ENTRY_BYTES) : entry;
        // Checked again after the await: a write of this tab may have reloaded meanwhile.
        if (changes && continuesOurs() && (baseId === undefined || baseId === this.baseId)) {
          replay(this.db, changes);
          this.journal.push({ generation, bytes: entry });
          this.journalBytes += changes.length;
          this.generation = generation;
          return true;
        }
      } catch {
        // Fall through: read what is stored.
      }
    }
    if (this.mode !== 'persistent') return false;
    // Under the write lock: a reload may store a merged base (reloadFromStorage).
    return this.withLock(async () => {
      try {
        if (!newer && !this.storedMoved(await this.options.persistence.head())) return false;
        return (await this.reloadFromStorage()) === 'reloaded';
      } catch {
        // This tab's next write reads storage again.
        return false;
      }
    });
  }

  /** Whether storage no longer holds exactly what this tab's state continues (another base, or another generation). */
  private storedMoved(head: Head): boolean {
    return head.baseId !== this.baseId || head.generation !== this.generation;
  }

  /** Synchronous read of the current in-memory copy. */
  read<T>(fn: (db: Database) => T): T {
    return fn(this.db);
  }

  /**
   * Runs `fn` in one transaction and resolves only once the result is safely in IndexedDB.
   * If the save fails (quota, storage gone), the in-memory change is undone and the error thrown,
   * so the UI never reports a write that is not stored.
   */
  async write<T>(fn: (db: Database) => T): Promise<T> {
    return (await this.writeTracked(fn)).result;
  }

  /**
   * Like write(), and also tells which generation the write produced (sync uses it to know what it uploaded).
   * When storage moved under this tab (another tab's base or entry it had not heard of), it reads storage first;
   * when storage moves between the write and its save (a tab without the write lock), the save is refused whole,
   * this tab reads storage again and runs `fn` again over it: the write is never dropped for it. So `fn` may run up
   * to WRITE_ATTEMPTS times and must change nothing outside the database (collect, and apply after this resolves).
   */
  async writeTracked<T>(fn: (db: Database) => T, options: { bulk?: boolean } = {}): Promise<{ result: T; generation: number }> {
    return this.writeWith(async (db) => transaction(db, () => fn(db)), options);
  }

  /**
   * A write in steps (WriteSteps): each step is a transaction of its own, the UI thread gets a turn between them,
   * and the rows each step touched are read for the journal entry in its task (checkpointChanges), so no task holds
   * more than one step's SQL. The write holds the lock throughout and is saved once, at its end: to the journal and
   * to the other tabs it is one write, as write() is. Reads meanwhile see the steps done so far.
   * A step that throws is undone, and then the steps before it — each whole — are saved and the error thrown: a
   * backfill keeps the days it stored. A retried write (storage moved under it) runs all its steps again.
   */
  async writeInSteps<T>(steps: WriteSteps<T>, options: { bulk?: boolean } = {}): Promise<T> {
    return (await this.writeWith((db) => this.runSteps(db, steps), options)).result;
  }

  private async runSteps<T>(db: Database, steps: WriteSteps<T>): Promise<T> {
    const run = steps(db);
    const capturing = this.mode === 'persistent' && this.journaled;
    for (let step = 0; ; step++) {
      if (step > 0) await yieldToUi();
      let next: IteratorResult<void, T>;
      try {
        next = transaction(db, () => run.next());
      } catch (error) {
        // Nothing committed yet: as a write() that threw. Else the steps before it are saved first.
        throw step === 0 ? error : new StepFailedError(error);
      }
      try {
        if (capturing) checkpointChanges(db);
      } catch (error) {
        // This step is committed: it is saved (or undone, if its save fails) with the ones before it.
        throw new StepFailedError(error);
      }
      if (next.done) return next.value;
    }
  }

  private async writeWith<T>(run: (db: Database) => Promise<T>, options: { bulk?: boolean }): Promise<{ result: T; generation: number }> {
    if (this.mode === 'read-only') throw new WriteRefusedError(this.modeReason ?? 'The database is read-only.');
    return this.withLock(async () => {
      for (let attempt = 1; ; attempt++) {
        let reloaded = false;
        if (this.mode === 'persistent') {
          let reload: Awaited<ReturnType<DatabaseStore['reloadFromStorage']>> = 'unchanged';
          try {
            if (attempt > 1 || this.storedMoved(await this.options.persistence.head())) reload = await this.reloadFromStorage();
          } catch (error) {
            if (error instanceof StaleJournalError && attempt < WRITE_ATTEMPTS) continue;
            if (error instanceof NewerStorageError) this.turnReadOnly(error.message);
            throw new WriteRefusedError(error instanceof NewerStorageError ? error.message : describeSaveError(error));
          }
          if (reload === 'newer') throw new WriteRefusedError(this.modeReason ?? 'The database is read-only.');
          if (reload === 'unreadable') {
            // Something unreadable was written behind our back: what is stored is not ours to continue. The save
            // is a whole new base that keeps it aside in the same transaction, only if it is still what was read.
            const found = this.unreadableFound!;
            this.journaled = false;
            this.nextBase = { expect: found.head, setAside: { raw: found.raw, reason: 'unreadable data found before a save' } };
          }
          reloaded = reload === 'reloaded';
        }
        setWall(this.db, (this.options.now ?? Date.now)());
        const changesBefore = totalChanges(this.db) - metaWrites(this.db);
        // Until it is stored the write may still be undone: sync leaves its rows for a later round.
        this.writesBegunCount++;
        if (this.mode === 'persistent') this.unsaved = { version: localVersion(this.db), hlc: currentHlc(this.db), write: this.writesBegunCount };
        let result: T;
        // A write in steps whose later step threw: the steps before it are saved, then this is thrown.
        let failedStep: StepFailedError | null = null;
        try {
          result = await run(this.db);
        } catch (error) {
          if (!(error instanceof StepFailedError)) {
            this.unsaved = null;
            throw error;
          }
          failedStep = error;
          result = undefined as T;
        }
        // Nothing changed: no save, no new generation, nothing for other tabs or sync to do (the rows a write in
        // steps read for its entry are dropped: they are only noted, as a write() leaves them).
        if (totalChanges(this.db) - metaWrites(this.db) === changesBefore) {
          forgetCheckpoints(this.db);
          this.unsaved = null;
          if (reloaded) this.emit('other-tab');
          if (failedStep) throw failedStep.cause;
          return { result, generation: this.generation };
        }
        // After a reload every table may have changed, not only the write's.
        const tables = this.mode === 'persistent' && this.journaled && !reloaded ? (touchedTables(this.db) ?? undefined) : undefined;
        if (this.mode === 'persistent') {
          let entry: Uint8Array | undefined;
          try {
            // The save (the changeset read back, or the file exported) in a task of its own: with the write's SQL,
            // one long task. Meanwhile this write holds the lock and is `unsaved` (savePoint): reads see its rows,
            // sync leaves them for a later round, as they do while it is stored.
            await yieldToUi();
            entry = await this.persist('auto', options.bulk === true);
          } catch (error) {
            await this.restoreSaved();
            // Storage moved between the check and the save: read it, and write again over it.
            if (error instanceof StaleJournalError && attempt < WRITE_ATTEMPTS) continue;
            if (error instanceof NewerStorageError) this.turnReadOnly(error.message);
            throw new WriteRefusedError(error instanceof NewerStorageError ? error.message : describeSaveError(error));
          } finally {
            this.unsaved = null;
          }
          this.post(entry);
          const kept = this.takeKeptAside();
          if (kept) {
            this.announce({
              level: 'error',
              message: `Unreadable data was found in this browser's storage before a save. It was kept aside (as "${kept}") and this tab's database was saved in its place.`,
            });
          }
        } else {
          // Nothing is saved, so nothing reads what the write changed (it would pile up, a backfill's every row).
          discardChanges(this.db);
          this.generation++;
        }
        this.emit('local', tables);
        if (failedStep) throw failedStep.cause;
        return { result, generation: this.generation };
      }
    });
  }

  /**
   * Replaces the whole database with `bytes` (a new device adopting a snapshot: no row-by-row merge), as one
   * committed write. The adopted copy gets a database id of its own. `check` runs on the opened copy before
   * anything is replaced (the caller validates and migrates there); a throw leaves everything as it was.
   * `onlyIf` is the caller's reason to replace, checked again on the live database under the write lock (a write
   * of this tab may have landed since the caller looked): when it no longer holds, nothing is replaced (null).
   */
  async replaceWith<T>(bytes: Uint8Array, check: (db: Database) => T, onlyIf?: (db: Database) => boolean): Promise<{ result: T; generation: number } | null> {
    if (this.mode === 'read-only') throw new WriteRefusedError(this.modeReason ?? 'The database is read-only.');
    return this.withLock(async () => {
      if (this.mode === 'persistent' && this.storedMoved(await this.options.persistence.head())) {
        // The caller decided from a state that is no longer stored (another tab wrote): it decides again. Unless
        // nothing newer is stored (storage was cleared): the replacing base is stored over that.
        const reload = await this.reloadFromStorage().catch(() => 'failed' as const);
        if (reload === 'reloaded') this.emit('other-tab');
        if (reload !== 'unchanged') throw new WriteRefusedError('Another tab changed the data meanwhile, so nothing was replaced. Try again.');
      }
      if (onlyIf && !onlyIf(this.db)) return null;
      const next = openValidated(this.options.SQL, bytes);
      let result: T;
      try {
        migrate(next);
        result = check(next);
        renewDatabaseId(next);
        this.adoptNode(next);
      } catch (error) {
        next.close();
        throw error;
      }
      const previous = this.db;
      this.db = next;
      if (this.mode === 'persistent') {
        try {
          await this.persist('base');
        } catch (error) {
          this.db = previous;
          next.close();
          if (error instanceof NewerStorageError) this.turnReadOnly(error.message);
          if (error instanceof StaleJournalError) throw new WriteRefusedError('Another tab changed the data meanwhile, so nothing was replaced. Try again.');
          throw new WriteRefusedError(error instanceof NewerStorageError ? error.message : describeSaveError(error));
        }
        this.post();
      } else {
        this.generation++;
      }
      previous.close();
      this.emit('local');
      return { result, generation: this.generation };
    });
  }

  /**
   * Set while a write is being saved: the local change counter and clock before it (its rows have `_v` and stamps
   * above), and which write it is (its number among the writes begun).
   */
  private unsaved: { version: number; hlc: string; write: number } | null = null;
  private writesBegunCount = 0;

  /**
   * What is stored, against the live database, as sync must see it (sync/round.ts): a write being saved may still be
   * undone (a failed save), so sync uploads rows only up to the counter and clock before it, and a round keeps its
   * mark when a copy replaced the live database, or a write it may have left out is still being saved.
   */
  savePoint(): SavePoint {
    return {
      localVersion: this.unsaved?.version ?? localVersion(this.db),
      hlc: this.unsaved?.hlc ?? currentHlc(this.db),
      writesBegun: this.writesBegunCount,
      saving: this.unsaved?.write ?? null,
      replaced: this.replacedCount,
    };
  }
  private replacedCount = 0;

  /** Counts committed writes (shared by this device's tabs): sync compares it with what it last uploaded. */
  get currentGeneration(): number {
    return this.generation;
  }

  /**
   * The generation whose rows the database holds: currentGeneration, or the one before the compactions since
   * (a new base of the same rows). Whatever was read at this generation is still what the database gives.
   */
  get contentGeneration(): number {
    return this.compacted?.to === this.generation ? this.compacted.content : this.generation;
  }

  /** The database and the generation it belongs to, read together so no write can slip in between. */
  snapshot(): { bytes: Uint8Array; generation: number } {
    return { bytes: this.db.export(), generation: this.generation };
  }

  /** The whole database as a SQLite file (for download, backup and sync). */
  exportBytes(): Uint8Array {
    return this.db.export();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.channel?.close();
    this.db.close();
  }

  /** Tells the other tabs of this build (and newer) about the write that made the current generation. */
  private post(entry?: Uint8Array): void {
    this.channel?.postMessage({ storageFormat: STORAGE_FORMAT, at: this.generation, baseId: this.baseId, ...(entry ? { entry } : {}) } satisfies WriteMessage);
  }

  /**
   * A newer build's data is stored: from now on this tab reads what it has in memory and writes nothing. Listeners
   * are told (as of a change from another tab), so the app can show `mode` and `modeReason`.
   */
  private turnReadOnly(reason: string): void {
    if (this.mode === 'read-only') return;
    this.mode = 'read-only';
    this.modeReason = reason;
    this.emit('other-tab');
  }

  private emit(origin: 'local' | 'other-tab', tables?: readonly string[]): void {
    for (const listener of this.listeners) listener(origin, tables);
  }

  /**
   * Makes the last write durable as generation + 1: its changeset appended to the journal, or (kind 'base', no
   * journaled base yet, or the journal past JOURNAL_LIMITS) the whole file as a new base that drops the journal.
   * Returns the journal entry written, if any. On a throw nothing changed on disk and the caller restores.
   */
  private async persist(kind: 'base' | 'auto', bulkWrite = false): Promise<Uint8Array | undefined> {
    const started = performance.now();
    const next = this.generation + 1;
    const changes = kind === 'auto' && this.mode === 'persistent' && this.journaled ? takeChanges(this.db) : null;
    const captured = performance.now();
    const fits = changes && this.journalFits(changes.length, this.bulkDepth > 0 ? BULK_JOURNAL_LIMITS : this.limits());
    const rawMax = bulkWrite ? BULK_RAW_ENTRY_MAX_BYTES : RAW_ENTRY_MAX_BYTES;
    const entry = changes && fits ? (changes.length > rawMax ? await gzip(changes) : changes) : null;
    const compressed = performance.now();
    if (changes && entry) {
      await this.options.persistence.append(entry, next, this.baseId);
      this.journal.push({ generation: next, bytes: entry });
      this.journalBytes += changes.length;
      this.generation = next;
      // Read by the benchmark script: how long a committed write takes to reach IndexedDB, and its size.
      const detail = { bytes: entry.length, kind: 'journal', captureMs: captured - started, gzipMs: compressed - captured, idbMs: performance.now() - compressed };
      performance.measure('nba-daily:persist', { start: started, detail });
      return entry;
    }
    const bytes = this.db.export();
    await this.storeBase(bytes, next, this.nextBase?.expect ?? { baseId: this.baseId, generation: this.generation }, this.nextBase?.setAside);
    performance.measure('nba-daily:persist', { start: started, detail: { bytes: bytes.length, kind: 'base' } });
    return undefined;
  }

  /**
   * Stores `bytes` (this tab's database) as the new base at `generation`, only if storage still holds `expect`
   * (else StaleJournalError, nothing written), dropping the orphaned entries it merged; then records it as what
   * is on disk.
   */
  private async storeBase(bytes: Uint8Array, generation: number, expect: Head, setAside?: { raw: unknown; reason: string }): Promise<void> {
    const { persistence } = this.options;
    if (setAside) {
      const { baseId, key } = await persistence.replaceUnreadable(bytes, generation, { expect, ...setAside });
      this.baseId = baseId;
      this.keptAside = key;
    } else {
      const id = await persistence.save(bytes, generation, { expect, absorbed: this.absorbed });
      this.baseId = typeof id === 'string' ? id : persistence.baseId();
    }
    this.absorbed = [];
    this.nextBase = null;
    this.generation = generation;
    this.savedBytes = bytes;
    this.journal = [];
    this.journalBytes = 0;
    this.journaled = true;
    if (this.mode === 'persistent') {
      installCapture(this.db);
      discardChanges(this.db);
    }
  }

  private limits(): JournalLimits {
    return { ...JOURNAL_LIMITS, ...this.options.journalLimits };
  }

  private journalFits(extra: number, limits: JournalLimits): boolean {
    return (
      this.journal.length + (extra > 0 ? 1 : 0) <= limits.maxEntries &&
      this.journalBytes + extra <= Math.max(limits.minBytes, limits.shareOfBase * (this.savedBytes?.length ?? 0))
    );
  }

  /**
   * Runs `fn` (many writes: a backfill) with the bulk journal limits, then compacts the journal to the everyday
   * limits once, instead of storing a new base every few writes. The backfill's own writes go through the writer
   * `fn` is given (their entries are gzipped above BULK_RAW_ENTRY_MAX_BYTES); any other write meanwhile (a log
   * while a refresh runs) is stored as an everyday one, only kept from compacting until the end.
   */
  async bulk<T>(fn: (write: BulkWriter, writeInSteps: BulkStepWriter) => Promise<T>): Promise<T> {
    this.bulkDepth++;
    try {
      return await fn(async (write) => (await this.writeTracked(write, { bulk: true })).result, (steps) => this.writeInSteps(steps, { bulk: true }));
    } finally {
      this.bulkDepth--;
      if (this.bulkDepth === 0) await this.compactIfNeeded().catch(() => undefined);
    }
  }

  /** Stores a new base (a generation of its own, announced to the other tabs) if the journal is past its limits. */
  async compactIfNeeded(): Promise<boolean> {
    if (this.mode !== 'persistent' || !this.journaled || this.journalFits(0, this.limits())) return false;
    return this.withLock(async () => {
      // Another tab wrote meanwhile (an entry, or a base of any generation): its next write (or ours, after
      // reloading) decides.
      if (this.storedMoved(await this.options.persistence.head())) return false;
      if (this.journalFits(0, this.limits())) return false;
      const content = this.contentGeneration;
      try {
        await this.persist('base');
      } catch (error) {
        if (error instanceof StaleJournalError) return false;
        if (error instanceof NewerStorageError) this.turnReadOnly(error.message);
        throw error;
      }
      this.compacted = { content, to: this.generation };
      this.post();
      return true;
    });
  }

  /** Back to the last state on disk (its base and journal), after a save failed. */
  private async restoreSaved(): Promise<void> {
    const previous = this.db;
    const SQL = this.options.SQL;
    const db = this.savedBytes ? new SQL.Database(this.savedBytes) : openEmptyDatabase(SQL, this.options.emptyDatabase);
    if (this.savedBytes) {
      this.journalBytes = await replayJournal(db, this.journal);
      migrate(db);
    }
    // The counter goes back with the rows, to what is stored: sync never uploads past a write being saved
    // (savePoint), and a round that overlapped this undo does not count its rows as uploaded (`replaced`).
    // The clock does not go back: its stamps stay ordered after every one this tab handed out.
    observeClock(db, currentHlc(previous));
    this.db = db;
    this.replacedCount++;
    this.adoptNode(db);
    // Orphans merged in memory only are not in the state restored: they stay stored, to be merged again.
    this.absorbed = [];
    this.nextBase = null;
    if (this.mode === 'persistent') {
      installCapture(db);
      discardChanges(db);
    }
    previous.close();
  }

  /**
   * Swaps in the copy storage holds (base and journal) when it is not the one this tab continues: another base
   * (whatever its generation), or more entries. Orphaned entries of this build (an older build's tab replaced
   * their base) are merged into it, and then — as when storage went back to a generation this tab had passed —
   * the result is stored as a new base above every generation this tab has had, under the lock the caller holds,
   * only if storage still is what was read (else StaleJournalError and nothing changes here).
   */
  private async reloadFromStorage(): Promise<'reloaded' | 'unchanged' | 'unreadable' | 'newer'> {
    this.unreadableFound = null;
    const loaded = await this.options.persistence.load();
    if (loaded.kind === 'empty') {
      // Storage was cleared under this tab: its next save stores its whole database again, if still empty then.
      this.journaled = false;
      this.nextBase = { expect: loaded.head ?? NO_HEAD };
      return 'unchanged';
    }
    if (loaded.kind === 'foreign') {
      this.unreadableFound = { raw: loaded.raw, head: loaded.head };
      return 'unreadable';
    }
    if (loaded.kind === 'newer') {
      this.turnReadOnly(loaded.reason);
      return 'newer';
    }
    const storedId = loaded.record.format === 2 ? (loaded.record.baseId ?? null) : null;
    const generation = loaded.record.generation + loaded.journal.length;
    const orphans = loaded.orphans ?? [];
    // The stored head (what appends and saves check) is not the base and its entries: no append can follow it, and
    // only a new base over that head (checked against it) makes storage consistent again.
    const headDisagrees = loaded.head.baseId !== storedId || loaded.head.generation !== generation;
    if (storedId === this.baseId && generation <= this.generation && orphans.length === 0 && !headDisagrees) return 'unchanged';
    let next: Database;
    let journalSize: number;
    try {
      next = openValidated(this.options.SQL, loaded.record.bytes, { intact: loaded.intact });
      journalSize = await replayJournal(next, loaded.journal);
      migrate(next);
    } catch (error) {
      // A newer build's schema: not damage to set aside, data this build must leave alone.
      if ((error instanceof InvalidDatabaseError && error.kind === 'newer') || error instanceof SchemaError) {
        this.turnReadOnly(`${error.message} This tab saves nothing until it is reloaded.`);
        return 'newer';
      }
      this.unreadableFound = { raw: loaded.journal.length ? { base: loaded.record, journal: loaded.journal } : loaded.record, head: loaded.head };
      return 'unreadable';
    }
    // Sync may have uploaded every counter value and clock stamp this tab's database reached: the copy swapped in
    // goes on above them, and is stored so (below) if that raised its counter: a counter raised only in memory would
    // let another tab, or this one reopened, hand out values sync already counts as uploaded.
    const raised = keepCounters(next, this.db);
    const { merged, unreadable } = await mergeOrphans(next, orphans);
    const kept = unreadable.length ? await this.keepOrphans(unreadable) : null;
    if (kept) this.announce(kept);
    const previous = this.generation;
    if (merged.length > 0 || generation <= previous || headDisagrees || raised) {
      const bytes = next.export();
      const target = Math.max(previous, generation, loaded.head.generation) + 1;
      let id: string | void;
      try {
        id = await this.options.persistence.save(bytes, target, { expect: loaded.head, absorbed: merged });
      } catch (error) {
        next.close();
        throw error;
      }
      this.swapIn(next, target, typeof id === 'string' ? id : this.options.persistence.baseId());
      this.adoptStored(bytes, [], 0, true);
      this.post();
      return 'reloaded';
    }
    this.swapIn(next, generation, storedId);
    this.adoptStored(loaded.record.bytes, loaded.journal, journalSize, loaded.record.format === 2);
    return 'reloaded';
  }

  private swapIn(next: Database, generation: number, baseId: string | null): void {
    this.db.close();
    this.db = next;
    this.replacedCount++;
    this.adoptNode(next);
    this.generation = generation;
    this.baseId = baseId;
    this.absorbed = [];
    this.nextBase = null;
  }

  /** What the last reloadFromStorage found unreadable, and the stored head read with it. */
  private unreadableFound: { raw: unknown; head: Head } | null = null;

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return fn();
    return locks.request(this.options.lockName ?? 'nba-daily-db-write', fn);
  }
}

/** What an empty store's head keys read as. */
const NO_HEAD: Head = { baseId: null, generation: 0 };
const sameHead = (a: Head, b: Head) => a.baseId === b.baseId && a.generation === b.generation;

/** How many times a write runs when storage keeps moving under it (another tab writing without the lock). */
const WRITE_ATTEMPTS = 3;
/** How many times opening reads storage again when another tab stored something before its first save. */
const OPEN_ATTEMPTS = 3;

/**
 * Merges the readable orphaned journals into `db` (orphans.ts), each whole or not at all; returns the bases whose
 * entries it now holds, and those that could not be read or merged (to be kept aside).
 */
async function mergeOrphans(db: Database, orphans: readonly OrphanJournal[]): Promise<{ merged: string[]; unreadable: string[] }> {
  const merged: string[] = [];
  const unreadable: string[] = [];
  for (const orphan of orphans) {
    if ('unreadable' in orphan) {
      unreadable.push(orphan.baseId);
      continue;
    }
    try {
      const changesets: Uint8Array[] = [];
      for (const entry of orphan.journal) changesets.push(isGzip(entry.bytes) ? await gunzipBounded(entry.bytes, MAX_ENTRY_BYTES) : entry.bytes);
      mergeOrphanChangesets(db, changesets);
      merged.push(orphan.baseId);
    } catch {
      unreadable.push(orphan.baseId);
    }
  }
  return { merged, unreadable };
}

/** Rows replayed per task while opening: a step stays well under a 50 ms long task on a phone. */
const REPLAY_ROWS_PER_STEP = 100;

export { yieldToUi } from './yield';

/**
 * Applies stored journal entries (changesets, gzipped or not) in order, in steps that yield to the UI thread
 * (`db` is a copy being opened: nothing else reads it meanwhile); returns their changeset bytes.
 * Throws JournalEntryError for one that is unreadable.
 */
async function replayJournal(db: Database, journal: readonly StoredEntry[]): Promise<number> {
  let size = 0;
  for (const entry of journal) {
    let bytes = entry.bytes;
    if (isGzip(bytes)) {
      try {
        bytes = await gunzipBounded(bytes, MAX_ENTRY_BYTES);
      } catch (error) {
        throw new JournalEntryError(`Journal entry ${entry.generation} is not readable gzip: ${(error as Error).message}`);
      }
    }
    await replayInSteps(db, bytes, REPLAY_ROWS_PER_STEP, yieldToUi);
    size += bytes.length;
  }
  return size;
}

/**
 * Raises `next`'s local change counter and clock to `previous`'s when they are below: rows changed from now on get
 * a `_v` above every value the previous copy handed out, so sync (which uploads rows with `_v` above the value it
 * last uploaded through) never takes them for uploaded, and a clock stamp after every one it gave (sync orders a
 * row's versions by it). A counter value used twice only makes a row be uploaded again.
 */
function keepCounters(next: Database, previous: Database): boolean {
  const reached = localVersion(previous);
  const raised = localVersion(next) < reached;
  if (raised) next.run('UPDATE sync_meta SET local_version = ?', [reached]);
  observeClock(next, currentHlc(previous));
  return raised;
}

function describeSaveError(error: unknown): string {
  if (isQuotaError(error)) {
    return 'Your device is out of storage space for this app, so the change was not saved. Free some space (or export a CSV) and try again.';
  }
  return `The change could not be saved to this device's storage: ${(error as Error)?.message ?? String(error)}`;
}
