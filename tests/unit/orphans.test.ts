// mergeOrphanChangesets: journal entries of a base an older build's tab replaced, merged into the stored base by key
// with sync's rule (rank, then clock), so neither tab's writes are lost; the merged database's counters go on above
// both copies'.
import fc from 'fast-check';
import type { Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { currentHlc, localVersion, observeClock, setWall } from '../../web/src/lib/db/changes';
import { discardChanges, installCapture, takeChanges } from '../../web/src/lib/db/journal';
import { mergeOrphanChangesets } from '../../web/src/lib/db/orphans';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { freshDb, loadSql, prediction } from './helpers';

const T0 = 1_700_000_000_000;

/** Two copies of one base: `base` (what is stored now) and `orphan` (the replaced tab's, journaling its writes). */
async function copies(): Promise<{ base: Database; orphan: Database }> {
  const SQL = await loadSql();
  const start = await freshDb({ wall: T0 });
  savePredictions(start, [prediction({ playerId: 'shared', projectedPoints: 10 })]);
  const bytes = start.export();
  start.close();
  const base = new SQL.Database(bytes);
  const orphan = new SQL.Database(bytes);
  installCapture(orphan);
  discardChanges(orphan);
  return { base, orphan };
}

const points = (db: Database, id: string) => Number(db.exec('SELECT projected_points FROM predictions WHERE player_id = ?', [id])[0]?.values[0][0]);

/** A write of `points` for player `id` at wall time `wall` (the store's write path sets the wall the same way). */
function write(db: Database, id: string, value: number, wall: number): void {
  setWall(db, wall);
  savePredictions(db, [prediction({ playerId: id, projectedPoints: value })]);
}

describe('mergeOrphanChangesets', () => {
  it('the same key changed in both copies: the later clock wins, either way round (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), async (baseAt, orphanAt) => {
        fc.pre(baseAt !== orphanAt);
        const { base, orphan } = await copies();
        try {
          write(orphan, 'shared', 30, T0 + orphanAt);
          write(orphan, 'orphan-only', 5, T0 + orphanAt);
          const changes = takeChanges(orphan)!;
          write(base, 'shared', 20, T0 + baseAt);
          mergeOrphanChangesets(base, [changes]);
          expect(points(base, 'shared')).toBe(orphanAt > baseAt ? 30 : 20);
          expect(points(base, 'orphan-only')).toBe(5);
        } finally {
          base.close();
          orphan.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it("the merged database's clock and change counter are at least the orphans'", async () => {
    const { base, orphan } = await copies();
    // The orphaned tab counted more changes than the stored base, then its clock went far ahead of its own stamps
    // (a remote version it saw, whose row it kept its own over: only sync_meta changed).
    for (let i = 0; i < 4; i++) write(orphan, `o-${i}`, i, T0 + 10);
    observeClock(orphan, `${String(T0 + 3_600_000).padStart(15, '0')}.000042.remote-device`);
    const orphanClock = currentHlc(orphan);
    const orphanCounter = localVersion(orphan);
    const changes = takeChanges(orphan)!;
    write(base, 'b-1', 1, T0 + 5);
    mergeOrphanChangesets(base, [changes]);
    expect(localVersion(base)).toBeGreaterThan(orphanCounter);
    expect(currentHlc(base).slice(0, 22) >= orphanClock.slice(0, 22)).toBe(true);
    // The next write is stamped after every clock value the orphaned tab handed out.
    write(base, 'after', 1, T0 + 20);
    const stamped = String(base.exec("SELECT hlc FROM predictions WHERE player_id = 'after'")[0].values[0][0]);
    expect(stamped.slice(0, 22) > orphanClock.slice(0, 22)).toBe(true);
    base.close();
    orphan.close();
  });
});
