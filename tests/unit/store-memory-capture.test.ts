// A store that fell back to memory mode (its first save refused) saves nothing, so nothing reads the change capture:
// it must not keep every row written since (a first visit's backfill, in a private window) in memory.
import { expect, it } from 'vitest';
import { buildEmptyDatabase } from '../../web/src/lib/db/empty-database';
import { touchedTables } from '../../web/src/lib/db/journal';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { loadSql, MemoryPersistence, prediction } from './helpers';

it('memory mode after a refused first save keeps no changed rows', async () => {
  const SQL = await loadSql();
  for (const likelyEmpty of [false, true]) {
    const persistence = new MemoryPersistence();
    persistence.failSaves = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const { store } = await DatabaseStore.open({ SQL, persistence, node: 'dev', likelyEmpty: Promise.resolve(likelyEmpty), emptyDatabase: buildEmptyDatabase(SQL), channelName: `p-${Math.random()}` });
    try {
      expect(store.mode).toBe('memory');
      for (let i = 0; i < 3; i++) await store.write((db) => savePredictions(db, [prediction({ playerId: `p${i}` })]));
      expect(store.read((db) => touchedTables(db) ?? [])).toEqual([]);
    } finally {
      store.close();
    }
  }
});
