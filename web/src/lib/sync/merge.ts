// Full merge of a whole remote database into the local one: the fallback for legacy (v1) generations,
// snapshots merged into a device that already has data, and restoring a backup. It is the changeset
// apply of every remote row, so both paths share one rule (db/changes.ts). Pure: no network, no DOM.
import type { Database } from 'sql.js';
import { allRows, applyAttached, applyRows, type ApplyCounts, type ApplyOptions, type ApplyReport } from '../db/changes';
import { schemaVersion } from '../db/schema';

export interface MergeReport {
  predictions: ApplyCounts;
  gamePredictions: ApplyCounts;
  /** Rows the remote carried per fact table. */
  facts: { games: number; logs: number; players: number; teams: number; sourceDays: number };
  apply: ApplyReport;
}

const none: ApplyCounts = { inserted: 0, updated: 0, keptLocal: 0 };
const touched = (c: ApplyCounts | undefined) => (c ? c.inserted + c.updated : 0);

/**
 * Merges `remote` into `local` (both at this app's schema: migrate the remote first) in one transaction:
 * if it throws, `local` is unchanged. `remote` is only read. Merging the same remote again changes nothing.
 */
export function mergeDatabase(local: Database, remote: Database, options: ApplyOptions = {}): MergeReport {
  const localVersion = schemaVersion(local);
  const remoteVersion = schemaVersion(remote);
  if (localVersion !== remoteVersion) {
    throw new Error(`merge: schema versions differ (local ${localVersion}, remote ${remoteVersion}); migrate both first`);
  }
  const apply = attachRemote(local, remote) ? mergeAttached(local, options) : applyRows(local, allRows(remote), options);
  return {
    predictions: apply.predictions ?? none,
    gamePredictions: apply.game_predictions ?? none,
    facts: {
      games: touched(apply.games),
      logs: touched(apply.player_game_logs),
      players: touched(apply.players),
      teams: touched(apply.teams),
      sourceDays: touched(apply.source_days),
    },
    apply,
  };
}

const ALIAS = 'merge_remote';

/**
 * Attaches the remote database's file (sql.js keeps every database as a file of its in-memory FS) so that the
 * merge runs set-based. false when that is not possible (another sql.js instance, no file): merge row by row.
 */
function attachRemote(local: Database, remote: Database): boolean {
  const filename = (remote as unknown as { filename?: unknown }).filename;
  if (typeof filename !== 'string' || !filename) return false;
  releaseMerged(local);
  try {
    local.run(`ATTACH ? AS ${ALIAS}`, [`/${filename}`]);
  } catch {
    return false;
  }
  const tables = Number(local.exec(`SELECT COUNT(*) FROM ${ALIAS}.sqlite_master`)[0].values[0][0]);
  if (tables > 0) return true;
  releaseMerged(local); // not the remote's file (another FS): an empty database was attached
  return false;
}

function mergeAttached(local: Database, options: ApplyOptions): ApplyReport {
  try {
    return applyAttached(local, ALIAS, options);
  } finally {
    releaseMerged(local);
  }
}

/**
 * Detaches the remote a full merge attached. Inside the caller's transaction SQLite refuses ("locked"): it then
 * stays attached until the next merge or this call after the transaction (the sync round and restore call it).
 */
export function releaseMerged(local: Database): void {
  try {
    if (local.exec(`SELECT 1 FROM pragma_database_list WHERE name = '${ALIAS}'`).length) local.run(`DETACH ${ALIAS}`);
  } catch {
    /* still inside a transaction */
  }
}
