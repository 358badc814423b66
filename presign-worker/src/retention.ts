/**
 * Retention of the sync chain (docs/API.md "Retention"). Decided only from what a listing shows — a listed object
 * has landed — so nothing is deleted before the snapshot that makes it obsolete is in the bucket:
 * - the newest snapshot and every generation after it are kept, and so is the head generation (it carries the seq
 *   counter: deleting it would let the next commit reuse a seq);
 * - generations at or below the newest snapshot are kept for `generationGraceHours` after that snapshot's
 *   Last-Modified (devices slightly behind still catch up by changesets), then deleted;
 * - snap/ objects are kept for the last `snapshotDays` days, at most one per UTC day (the newest of each day),
 *   plus the newest; the rest are deleted.
 */
import { type ChainObject, type ChainView, generationsOf } from './generations';
import { GEN_PREFIX, rangeBelow } from './keys';
import type { BlobStore } from './store/types';

export interface RetentionConfig {
  generationGraceHours: number;
  snapshotDays: number;
}

/** Deletes per request, so that a commit stays within the Workers subrequest limit (50 on the free plan). */
export const MAX_DELETES_PER_REQUEST = 40;

const HOUR = 3_600_000;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** Keys to delete. `generations` are any generations listed (those above the newest snapshot are kept). */
export function planRetention(
  chain: { head: ChainObject | null; snapshot: ChainObject | null; snapshots: ChainObject[]; generations: ChainObject[] },
  now: Date,
  config: RetentionConfig,
): string[] {
  const newest = chain.snapshot;
  if (!newest || !chain.head) return [];
  const doomed: string[] = [];

  const since = now.getTime() - config.snapshotDays * 24 * HOUR;
  const dayKept = new Map<string, number>(); // UTC day -> highest seq among that day's recent snapshots
  for (const s of chain.snapshots) {
    if (s.lastModified.getTime() < since) continue;
    const day = utcDay(s.lastModified);
    dayKept.set(day, Math.max(dayKept.get(day) ?? 0, s.seq));
  }
  for (const s of chain.snapshots) {
    const keep = s.key === newest.key || (s.lastModified.getTime() >= since && dayKept.get(utcDay(s.lastModified)) === s.seq);
    if (!keep) doomed.push(s.key);
  }

  if (now.getTime() - newest.lastModified.getTime() >= config.generationGraceHours * HOUR) {
    for (const g of chain.generations) {
      if (g.seq <= newest.seq && g.key !== newest.key && g.key !== chain.head.key) doomed.push(g.key);
    }
  }
  return doomed;
}

/**
 * Applies the rules to a chain read with `allSnapshots`. Costs nothing more than the deletes, except when the
 * window does not hold every generation and the newest snapshot's grace has passed: then one ranged LIST finds
 * the generations at or below it. At most MAX_DELETES_PER_REQUEST deletes; the rest go on the next call.
 * Failures are logged, never thrown: retention must not fail a commit, and the next call retries.
 */
export async function applyRetention(store: BlobStore, view: ChainView, now: Date, config: RetentionConfig): Promise<string[]> {
  try {
    let generations = view.window;
    const newest = view.snapshot;
    const graceOver = newest && now.getTime() - newest.lastModified.getTime() >= config.generationGraceHours * HOUR;
    if (graceOver && !view.complete) {
      const below = await store.list(GEN_PREFIX, MAX_DELETES_PER_REQUEST + 2, rangeBelow(GEN_PREFIX, newest.seq + 1));
      generations = generationsOf(below);
    }
    const doomed = planRetention({ ...view, generations }, now, config).slice(0, MAX_DELETES_PER_REQUEST);
    const results = await Promise.allSettled(doomed.map((k) => store.delete(k)));
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length) console.error(`retention: ${failed.length} of ${doomed.length} deletes failed (retried on the next commit)`);
    return doomed.filter((_, i) => results[i].status === 'fulfilled');
  } catch (e) {
    console.error('retention failed (retried on the next commit):', e);
    return [];
  }
}
