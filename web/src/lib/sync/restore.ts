// "Replace with this backup": make the backup's predictions the current truth on every device.
// In a synced database a plain overwrite would be undone by the next merge (other devices still hold
// newer rows), so the replace is written as new versions: the backup's rows re-stamped `now`, and
// tombstones for every row the backup does not have. League facts are merged, never dropped.
import type { Database } from 'sql.js';
import { scoreFinishedGames } from '../db/predictions-repo';
import { all, runMany, transaction } from '../db/sql';
import { mergeDatabase } from './merge';

const SYNCED = [
  { table: 'predictions', key: ['player_id', 'game_date'] },
  { table: 'game_predictions', key: ['game_id'] },
] as const;

export interface ReplaceReport {
  restored: number;
  tombstoned: number;
}

export function replaceWithBackup(local: Database, backup: Database, options: { now: number; deviceId: string }): ReplaceReport {
  return transaction(local, () => {
    mergeDatabase(local, backup, options); // facts (games, box scores) and actuals arrive this way
    const report: ReplaceReport = { restored: 0, tombstoned: 0 };
    for (const { table, key } of SYNCED) {
      const rows = all(backup, `SELECT * FROM ${table}`);
      if (rows.length > 0) {
        const columns = Object.keys(rows[0]);
        runMany(
          local,
          `INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          rows.map((r) => columns.map((c) => (c === 'updated_at' ? options.now : c === 'device_id' ? options.deviceId : r[c]))),
        );
      }
      report.restored += rows.filter((r) => Number(r.deleted) === 0).length;
      const keep = new Set(rows.map((r) => key.map((k) => String(r[k])).join('|')));
      const stale = all(local, `SELECT ${key.join(', ')} FROM ${table} WHERE deleted = 0`).filter(
        (r) => !keep.has(key.map((k) => String(r[k])).join('|')),
      );
      runMany(
        local,
        `UPDATE ${table} SET deleted = 1, updated_at = ?, device_id = ? WHERE ${key.map((k) => `${k} = ?`).join(' AND ')}`,
        stale.map((r) => [options.now, options.deviceId, ...key.map((k) => r[k])]),
      );
      report.tombstoned += stale.length;
    }
    scoreFinishedGames(local);
    return report;
  });
}
