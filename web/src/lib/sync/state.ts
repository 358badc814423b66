// What this device remembers about sync: where the worker is (localStorage) and what it last synced
// (IndexedDB, next to the database, so clearing one without the other cannot fool the "nothing changed" check).
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { z } from 'zod';

const syncState = z.object({
  lastSeq: z.number().int().nullable(),
  lastEtag: z.string().nullable(),
  /** The database generation that the last sync uploaded or merged; anything newer is unsynced. */
  syncedGeneration: z.number().int().nullable(),
  lastSyncAt: z.number().nullable(),
  /** UTC day of the last automatic backup. */
  lastBackupDay: z.string().nullable(),
  /** Game dates whose CSV safety copy is in the bucket (recent ones only). */
  csvDays: z.array(z.string()).default([]),
});
export type SyncState = z.infer<typeof syncState>;

export const EMPTY_SYNC_STATE: SyncState = {
  lastSeq: null,
  lastEtag: null,
  syncedGeneration: null,
  lastSyncAt: null,
  lastBackupDay: null,
  csvDays: [],
};

export interface SyncStateStore {
  load(): Promise<SyncState>;
  save(state: SyncState): Promise<void>;
}

export function idbSyncState(dbName = 'nba-daily'): SyncStateStore {
  let opened: UseStore | undefined;
  const kv = () => (opened ??= createStore(dbName, 'kv'));
  return {
    async load() {
      const parsed = syncState.safeParse(await get('sync-state', kv()));
      // Unknown or damaged state only costs one full sync: start from scratch.
      return parsed.success ? parsed.data : { ...EMPTY_SYNC_STATE };
    },
    save: (state) => set('sync-state', state, kv()),
  };
}

export function memorySyncState(initial: SyncState = EMPTY_SYNC_STATE): SyncStateStore & { state: SyncState } {
  return {
    state: { ...initial },
    async load() {
      return { ...this.state };
    },
    async save(state) {
      this.state = { ...state };
    },
  };
}

const workerConfig = z.object({ workerUrl: z.url({ protocol: /^https?$/ }), token: z.string().min(16).max(512) });
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
