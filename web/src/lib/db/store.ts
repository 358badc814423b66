// The app's one database: sql.js in memory, every committed write persisted to IndexedDB before the
// caller hears "done". Tabs share it safely: writes take a Web Lock, reload if another tab wrote first,
// and announce the new generation on a BroadcastChannel so the other tabs reload their copy.
import type { Database, SqlJsStatic } from 'sql.js';
import { isQuotaError, type Persistence } from './persistence';
import { migrate, SchemaError } from './schema';
import { transaction } from './sql';
import { InvalidDatabaseError, openValidated } from './validate';

export type StoreMode = 'persistent' | 'memory' | 'read-only';

export interface Notice {
  level: 'error' | 'warning';
  message: string;
}

export class WriteRefusedError extends Error {
  override name = 'WriteRefusedError';
}

interface StoreOptions {
  SQL: SqlJsStatic;
  persistence: Persistence;
  lockName?: string;
  channelName?: string;
}

type Listener = (origin: 'local' | 'other-tab') => void;

export class DatabaseStore {
  private listeners = new Set<Listener>();
  private channel: BroadcastChannel | null = null;
  /** Bytes of the last state known to be on disk: what we fall back to if a save fails. */
  private savedBytes: Uint8Array | null = null;

  private constructor(
    private readonly options: StoreOptions,
    private db: Database,
    private generation: number,
    public mode: StoreMode,
    public readonly modeReason: string | null,
  ) {}

  static async open(options: StoreOptions): Promise<{ store: DatabaseStore; notices: Notice[] }> {
    const { SQL, persistence } = options;
    const notices: Notice[] = [];
    const fresh = () => {
      const db = new SQL.Database();
      migrate(db);
      return db;
    };

    let loaded: Awaited<ReturnType<Persistence['load']>>;
    const reading = performance.now();
    try {
      loaded = await persistence.load();
      performance.measure('nba-daily:idb-read', { start: reading });
    } catch (error) {
      const reason = `Storage is unavailable in this browser (${(error as Error).message || 'IndexedDB refused'}), as in some private windows. The app works, but nothing you log will be kept after this tab closes.`;
      notices.push({ level: 'error', message: reason });
      return { store: new DatabaseStore(options, fresh(), 0, 'memory', reason), notices };
    }

    if (loaded.kind === 'empty') {
      const store = new DatabaseStore(options, fresh(), 0, 'persistent', null);
      await store.persistOrDegrade(notices);
      return { store: store.listen(), notices };
    }

    const setAside = async (raw: unknown, reason: string): Promise<{ store: DatabaseStore; notices: Notice[] }> => {
      try {
        const key = await persistence.quarantine(raw, reason);
        notices.push({
          level: 'error',
          message: `The stored database could not be read (${reason}). It was kept aside in IndexedDB as "${key}" and a new, empty database was started.`,
        });
      } catch (error) {
        const why = `The stored database could not be read (${reason}) and could not be set aside (${(error as Error).message}). It is left untouched; changes in this tab will not be saved.`;
        notices.push({ level: 'error', message: why });
        return { store: new DatabaseStore(options, fresh(), 0, 'memory', why), notices };
      }
      const store = new DatabaseStore(options, fresh(), 0, 'persistent', null);
      await store.persistOrDegrade(notices);
      return { store: store.listen(), notices };
    };

    if (loaded.kind === 'foreign') return setAside(loaded.raw, `unexpected data: ${loaded.reason}`);

    const { record } = loaded;
    let db: Database;
    const opening = performance.now();
    try {
      db = openValidated(SQL, record.bytes);
    } catch (error) {
      if (error instanceof InvalidDatabaseError && error.kind === 'newer') {
        notices.push({ level: 'error', message: error.message });
        return { store: new DatabaseStore(options, fresh(), record.generation, 'read-only', error.message), notices };
      }
      return setAside(record, (error as Error).message);
    }
    try {
      const { from, to } = migrate(db);
      performance.measure('nba-daily:db-open', { start: opening, detail: { bytes: record.bytes.length } });
      const store = new DatabaseStore(options, db, record.generation, 'persistent', null);
      store.savedBytes = record.bytes;
      if (from !== to) await store.persistOrDegrade(notices);
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

  /** First save of a new or migrated database; if storage refuses, keep running in memory and say so. */
  private async persistOrDegrade(notices: Notice[]): Promise<void> {
    try {
      await this.persist();
    } catch (error) {
      this.mode = 'memory';
      notices.push({ level: 'error', message: describeSaveError(error) });
    }
  }

  private listen(): this {
    if (typeof BroadcastChannel === 'undefined') return this;
    this.channel = new BroadcastChannel(this.options.channelName ?? 'nba-daily-db');
    this.channel.onmessage = (event: MessageEvent<{ generation?: number }>) => {
      if (typeof event.data?.generation === 'number' && event.data.generation > this.generation) {
        void this.reloadFromStorage().then((outcome) => outcome === 'reloaded' && this.emit('other-tab'));
      }
    };
    return this;
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

  /** Like write(), and also tells which generation the write produced (sync uses it to know what it uploaded). */
  async writeTracked<T>(fn: (db: Database) => T): Promise<{ result: T; generation: number }> {
    if (this.mode === 'read-only') throw new WriteRefusedError(this.modeReason ?? 'The database is read-only.');
    return this.withLock(async () => {
      if (this.mode === 'persistent') {
        const stored = await this.options.persistence.generation();
        if (stored !== this.generation && (await this.reloadFromStorage()) === 'unreadable') {
          // Something unreadable was written behind our back: keep it before our save replaces it.
          const loaded = await this.options.persistence.load();
          await this.options.persistence.quarantine(loaded.kind === 'ok' ? loaded.record : loaded, 'unreadable data found before a save');
        }
      }
      const changesBefore = totalChanges(this.db);
      const result = transaction(this.db, () => fn(this.db));
      // Nothing changed: no save, no new generation, nothing for other tabs or sync to do.
      if (totalChanges(this.db) === changesBefore) return { result, generation: this.generation };
      if (this.mode === 'persistent') {
        try {
          await this.persist();
        } catch (error) {
          this.restoreSaved();
          throw new WriteRefusedError(describeSaveError(error));
        }
        this.channel?.postMessage({ generation: this.generation });
      } else {
        this.generation++;
      }
      this.emit('local');
      return { result, generation: this.generation };
    });
  }

  /** Counts committed writes (shared by this device's tabs): sync compares it with what it last uploaded. */
  get currentGeneration(): number {
    return this.generation;
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

  private emit(origin: 'local' | 'other-tab'): void {
    for (const listener of this.listeners) listener(origin);
  }

  private async persist(): Promise<void> {
    const started = performance.now();
    const bytes = this.db.export();
    const next = this.generation + 1;
    await this.options.persistence.save(bytes, next);
    this.generation = next;
    this.savedBytes = bytes;
    // Read by the benchmark script: how long a committed write takes to reach IndexedDB.
    performance.measure('nba-daily:persist', { start: started, detail: { bytes: bytes.length } });
  }

  private restoreSaved(): void {
    const previous = this.db;
    this.db = this.savedBytes ? new this.options.SQL.Database(this.savedBytes) : new this.options.SQL.Database();
    if (!this.savedBytes) migrate(this.db);
    previous.close();
  }

  /** Swaps in the copy another tab saved, if it is newer and readable. */
  private async reloadFromStorage(): Promise<'reloaded' | 'unchanged' | 'unreadable'> {
    const loaded = await this.options.persistence.load();
    if (loaded.kind === 'empty') return 'unchanged';
    if (loaded.kind === 'foreign') return 'unreadable';
    if (loaded.record.generation <= this.generation) return 'unchanged';
    let next: Database;
    try {
      next = openValidated(this.options.SQL, loaded.record.bytes);
      migrate(next);
    } catch {
      return 'unreadable';
    }
    this.db.close();
    this.db = next;
    this.generation = loaded.record.generation;
    this.savedBytes = loaded.record.bytes;
    return 'reloaded';
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return fn();
    return locks.request(this.options.lockName ?? 'nba-daily-db-write', fn);
  }
}

function totalChanges(db: Database): number {
  return Number(db.exec('SELECT total_changes()')[0].values[0][0]);
}

function describeSaveError(error: unknown): string {
  if (isQuotaError(error)) {
    return 'Your device is out of storage space for this app, so the change was not saved. Free some space (or export a CSV) and try again.';
  }
  return `The change could not be saved to this device's storage: ${(error as Error)?.message ?? String(error)}`;
}
