// Where the database bytes live between visits: one IndexedDB record, written atomically.
import { createStore, get, set, setMany, type UseStore } from 'idb-keyval';
import { z } from 'zod';

const DB_KEY = 'database';
const GENERATION_KEY = 'database-generation';

/** What is stored under DB_KEY. Anything else found there is treated as foreign and set aside. */
const storedDatabase = z.object({
  format: z.literal(1),
  generation: z.number().int().nonnegative(),
  savedAt: z.number(),
  bytes: z.instanceof(Uint8Array),
});
export type StoredDatabase = { format: 1; generation: number; savedAt: number; bytes: Uint8Array };

export type LoadResult =
  | { kind: 'empty' }
  | { kind: 'ok'; record: StoredDatabase }
  | { kind: 'foreign'; raw: unknown; reason: string };

export interface Persistence {
  load(): Promise<LoadResult>;
  /** Cheap read of the stored generation, to tell whether another tab wrote since we loaded. */
  generation(): Promise<number>;
  save(bytes: Uint8Array, generation: number): Promise<void>;
  /** Copies unreadable data to a key of its own so it is never lost; returns that key. */
  quarantine(raw: unknown, reason: string): Promise<string>;
}

export function idbPersistence(dbName = 'nba-daily'): Persistence {
  // Opened on first use, so a browser without IndexedDB fails inside load() where the store handles it.
  let opened: UseStore | undefined;
  const kv = (): UseStore => (opened ??= createStore(dbName, 'kv'));
  return {
    async load() {
      const raw = await get(DB_KEY, kv());
      if (raw === undefined) return { kind: 'empty' };
      const parsed = storedDatabase.safeParse(raw);
      if (!parsed.success) return { kind: 'foreign', raw, reason: parsed.error.issues[0]?.message ?? 'unexpected shape' };
      return { kind: 'ok', record: parsed.data as StoredDatabase };
    },
    async generation() {
      const value = await get(GENERATION_KEY, kv());
      return typeof value === 'number' ? value : 0;
    },
    async save(bytes, generation) {
      const record: StoredDatabase = { format: 1, generation, savedAt: Date.now(), bytes };
      // One transaction: the record and its generation change together or not at all.
      await setMany([[DB_KEY, record], [GENERATION_KEY, generation]], kv());
    },
    async quarantine(raw, reason) {
      const key = `quarantine-${new Date().toISOString()}`;
      await set(key, { reason, raw }, kv());
      return key;
    },
  };
}

export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(String((error as Error)?.message));
}
