// The stored database's head (which base, at which generation): two small keys persistence.ts keeps next to the
// base, read at start-up before anything else, also by the page's first script (early-reads.ts). Kept apart from
// persistence's schemas so that script stays small.
import { DATABASE_NAME, takeRead } from './early-reads';

export const GENERATION_KEY = 'database-generation';
/** The current base's id, apart from the base itself: an append checks it without reading the whole file. */
export const BASE_ID_KEY = 'database-base-id';
/** What the page's first script reads of the stored database (in one transaction, as persistence's head() does). */
export const HEAD_KEYS = [BASE_ID_KEY, GENERATION_KEY] as const;

/**
 * What a tab holds of storage, and what it checks storage still is before it writes: the base (its id; null for
 * none or format 1) and the generation. Both, because a tab of an older build may store a new base at a generation
 * that is not above this tab's (persistence.ts, top).
 */
export interface Head {
  baseId: string | null;
  generation: number;
}

/** The head from the two keys as stored (absent before the first save). */
export const headOf = (baseId: unknown, generation: unknown): Head => ({
  baseId: typeof baseId === 'string' ? baseId : null,
  generation: typeof generation === 'number' ? generation : 0,
});

/** The head the page's first script read, once (then undefined, as when it did not run). */
export function takeEarlyHead(dbName = DATABASE_NAME): Promise<Head> | undefined {
  const [baseId, generation] = HEAD_KEYS.map((key) => takeRead(dbName, key));
  if (!baseId || !generation) return undefined;
  return Promise.all([baseId, generation]).then(([b, g]) => headOf(b, g));
}
