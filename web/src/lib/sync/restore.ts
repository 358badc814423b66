// "Replace with this backup": make the backup's predictions the current truth on every device.
// In a synced database a plain overwrite would be undone by the next merge (other devices still hold
// newer rows), so the replace is written as new local versions: the backup's rows written again and
// tombstones for every row the backup does not have; the change-tracking triggers stamp them (a newer clock
// than anything this device has seen). League facts are merged, never dropped.
import type { Database } from 'sql.js';
import { allRows } from '../db/changes';
import { scoreFinishedGames } from '../db/predictions-repo';
import { runMany, transaction } from '../db/sql';
import { insertSql, TABLE } from '../db/tables';
import { mergeDatabase, releaseMerged } from './merge';

export interface ReplaceReport {
  restored: number;
  tombstoned: number;
}

export function replaceWithBackup(local: Database, backup: Database): ReplaceReport {
  try {
    return replaceInTransaction(local, backup);
  } finally {
    releaseMerged(local); // the merge could not detach the backup inside the transaction
  }
}

function replaceInTransaction(local: Database, backup: Database): ReplaceReport {
  return transaction(local, () => {
    mergeDatabase(local, backup); // facts (games, box scores) and actuals arrive this way
    const report: ReplaceReport = { restored: 0, tombstoned: 0 };
    const rows = allRows(backup);
    for (const spec of [TABLE.predictions, TABLE.game_predictions]) {
      const backupRows = rows[spec.name] ?? [];
      const deleted = spec.columns.indexOf('deleted');
      const keyIdx = spec.key.map((k) => spec.columns.indexOf(k));
      // Written again as local writes: the triggers give them a new version.
      runMany(local, `${insertSql(spec)}`, backupRows);
      report.restored += backupRows.filter((r) => Number(r[deleted]) === 0).length;
      const keep = new Set(backupRows.map((r) => keyIdx.map((i) => String(r[i])).join('\u0000')));
      const live = local.exec(`SELECT ${spec.key.join(', ')} FROM ${spec.name} WHERE deleted = 0`)[0]?.values ?? [];
      const stale = live.filter((r) => !keep.has(r.map(String).join('\u0000')));
      runMany(local, `UPDATE ${spec.name} SET deleted = 1 WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`, stale);
      report.tombstoned += stale.length;
    }
    scoreFinishedGames(local);
    return report;
  });
}
