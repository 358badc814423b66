// What this device remembers about sync: where the worker is (localStorage) and what it last synced
// (IndexedDB, next to the database; tied to the database's id, so state never outlives the data it describes).
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { z } from 'zod';

const syncState = z.lazy(() => z.object({
  version: z.literal(2),
  /** The database these facts are about (sync_meta.db_id). State of another database is discarded. */
  dbId: z.string().nullable(),
  /** Highest chain seq applied to this database (0 = nothing: begin from the newest snapshot). */
  applied: z.number().int().nonnegative(),
  /** Local change counter value through which this database's changes are in the chain. */
  uploadedThrough: z.number().int().nonnegative(),
  /** The clock when this device built its last committed changeset. */
  lastBuildHlc: z.string(),
  /** This device's recent commits and the clock before each: what to re-send if one is found damaged. */
  ownCommits: z.array(z.object({ seq: z.number().int().positive(), hlcBefore: z.string() })).max(200),
  /** Seqs this device found unreadable and has not yet announced in a changeset of its own. */
  damaged: z.array(z.number().int().positive()).max(200),
  /** Snapshot seqs this device could not use and has not yet announced in a changeset of its own. */
  damagedSnapshots: z.array(z.number().int().positive()).max(32).default([]),
  /**
   * Set when this database came from an older snapshot than a damaged one and generations between them were
   * gone: rows of seqs ≤ `below` may be missing. Begin names `damaged` until a snapshot above `below` exists,
   * then that snapshot is merged and this clears. No snapshot is written from this database meanwhile.
   */
  incomplete: z.object({ damaged: z.array(z.number().int().positive()).max(32), below: z.number().int().positive() }).nullable().default(null),
  lastSyncAt: z.number().nullable(),
  /** UTC day of the last automatic backup. */
  lastBackupDay: z.string().nullable(),
  /** Game dates whose CSV safety copy is in the bucket (recent ones only). */
  csvDays: z.array(z.string()).max(400),
}));
export type SyncState = z.infer<typeof syncState>;

export const EMPTY_SYNC_STATE: SyncState = {
  version: 2,
  dbId: null,
  applied: 0,
  uploadedThrough: 0,
  lastBuildHlc: '',
  ownCommits: [],
  damaged: [],
  damagedSnapshots: [],
  incomplete: null,
  lastSyncAt: null,
  lastBackupDay: null,
  csvDays: [],
};

/** Sync state for database `dbId`: the stored one if it belongs to that database, else a fresh start. */
export function stateFor(state: SyncState, dbId: string): SyncState {
  if (state.dbId === dbId) return state;
  return { ...EMPTY_SYNC_STATE, dbId, lastBackupDay: state.lastBackupDay, csvDays: state.csvDays };
}

/** Where the state lives (IndexedDB next to the database, or memory in tests). */
export interface SyncStateStorage {
  read(): Promise<unknown>;
  write(state: SyncState): Promise<void>;
}

/**
 * The one owner of the sync state: every change goes through update(fn), one at a time, so two parts of the
 * app (the sync round, the CSV copies, the daily backup) never overwrite each other's fields.
 */
export class SyncStateOwner {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: SyncStateStorage) {}

  async load(): Promise<SyncState> {
    const raw = await this.storage.read();
    const parsed = syncState.safeParse(raw);
    if (parsed.success) return parsed.data;
    // Protocol-1 state or damage: only the bookkeeping of backups and CSV copies is worth keeping.
    const legacy = z.object({ lastBackupDay: z.string().nullable().catch(null), csvDays: z.array(z.string()).max(400).catch([]) }).safeParse(raw);
    return { ...EMPTY_SYNC_STATE, ...(legacy.success ? legacy.data : {}) };
  }

  update(fn: (state: SyncState) => SyncState): Promise<SyncState> {
    const next = this.queue.then(async () => {
      const updated = syncState.parse(fn(await this.load()));
      await this.storage.write(updated);
      return updated;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

export function idbSyncState(dbName = 'nba-daily'): SyncStateOwner {
  let opened: UseStore | undefined;
  const kv = () => (opened ??= createStore(dbName, 'kv'));
  return new SyncStateOwner({ read: () => get('sync-state', kv()), write: (state) => set('sync-state', state, kv()) });
}

export function memorySyncState(initial: unknown = EMPTY_SYNC_STATE): SyncStateOwner & { holder: { raw: unknown } } {
  const holder = { raw: structuredClone(initial) };
  const owner = new SyncStateOwner({
    read: async () => structuredClone(holder.raw),
    write: async (state) => {
      holder.raw = structuredClone(state);
    },
  });
  return Object.assign(owner, { holder });
}

const workerConfig = z.lazy(() => z.object({ workerUrl: z.url({ protocol: /^https?$/ }), token: z.string().min(16).max(512) }));
export type StoredWorkerConfig = z.infer<typeof workerConfig>;
const CONFIG_KEY = 'nba-daily:sync-config';

export function parseWorkerConfig(value: unknown): StoredWorkerConfig | null {
  const parsed = workerConfig.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function loadWorkerConfig(): StoredWorkerConfig | null {
  try {
    return parseWorkerConfig(JSON.parse(localStorage.getItem(CONFIG_KEY) ?? 'null'));
  } catch {
    return null;
  }
}

export function saveWorkerConfig(config: StoredWorkerConfig | null): void {
  if (config) localStorage.setItem(CONFIG_KEY, JSON.stringify(config));
  else localStorage.removeItem(CONFIG_KEY);
}
