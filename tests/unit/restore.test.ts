import { describe, expect, it } from 'vitest';
import { countPredictions, getPrediction, listPredictions, savePredictions } from '../../web/src/lib/db/predictions-repo';
import { mergeDatabase } from '../../web/src/lib/sync/merge';
import { replaceWithBackup } from '../../web/src/lib/sync/restore';
import { setNode, setWall } from '../../web/src/lib/db/changes';
import { freshDb, prediction } from './helpers';

describe('replaceWithBackup', () => {
  it('makes the backup the current truth, and the replace survives merging with a device that still has the old rows', async () => {
    const backup = await freshDb();
    savePredictions(backup, [prediction({ playerId: 'kept', projectedPoints: 10, floor: 5, ceiling: 15, updatedAt: 1000 })]);

    const local = await freshDb({ wall: 5000 });
    savePredictions(local, [
      prediction({ playerId: 'kept', projectedPoints: 30, floor: 20, ceiling: 40, updatedAt: 5000 }),
      prediction({ playerId: 'dropped', updatedAt: 5000 }),
    ]);
    const otherDevice = await freshDb({ node: 'device-b', wall: 5000 });
    savePredictions(otherDevice, listPredictions(local));

    setWall(local, 9000);
    setNode(local, 'me');
    expect(replaceWithBackup(local, backup)).toEqual({ restored: 1, tombstoned: 1 });
    expect(countPredictions(local)).toBe(1);
    expect(getPrediction(local, 'kept', '2026-11-20')).toMatchObject({ projectedPoints: 10, updatedAt: 9000, deviceId: 'me' });

    // The other device syncs: the replace wins there too instead of being undone.
    mergeDatabase(otherDevice, local);
    mergeDatabase(local, otherDevice);
    for (const db of [local, otherDevice]) {
      expect(listPredictions(db).map((p) => [p.playerId, p.projectedPoints])).toEqual([['kept', 10]]);
    }
  });
});
