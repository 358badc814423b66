// How many backups a namespace may make and keep: each POST /v1/backups is a server-side copy of a database of up
// to MAX_DB_BYTES, so both the rate and the number kept are bounded (docs/API.md, "Backups").
import { backupKey } from './keys';
import type { BlobStore } from './store/types';

export interface BackupLimits {
  /** a manual backup at most this often per namespace */
  minIntervalSeconds: number;
  /** the first backup of each UTC day is that day's daily backup, kept this many days */
  dailyKeepDays: number;
  /** other (manual) backups: the newest this many are kept */
  manualKeep: number;
}

export interface BackupEntry {
  name: string;
  /** ISO instant the backup was made (from its name) */
  time: string;
}

/** The first backup of each UTC day is that day's daily backup; every later one of the day is a manual one. */
function splitDailyAndManual(backups: BackupEntry[]): { daily: Map<string, BackupEntry>; manual: BackupEntry[] } {
  const daily = new Map<string, BackupEntry>();
  const manual: BackupEntry[] = [];
  for (const b of [...backups].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const day = b.time.slice(0, 10);
    if (daily.has(day)) manual.push(b);
    else daily.set(day, b);
  }
  return { daily, manual };
}

/** Seconds until another manual backup may be made (0: now); the automatic daily backup does not count. */
export function manualBackupWait(backups: BackupEntry[], now: Date, limits: BackupLimits): number {
  const { manual } = splitDailyAndManual(backups);
  const newest = Math.max(...manual.map((b) => Date.parse(b.time)), -Infinity);
  const next = newest + limits.minIntervalSeconds * 1000;
  return next > now.getTime() ? Math.ceil((next - now.getTime()) / 1000) : 0;
}

/** The backups retention removes: daily ones older than dailyKeepDays, manual ones beyond the newest manualKeep. */
export function backupsToPrune(backups: BackupEntry[], now: Date, limits: BackupLimits): BackupEntry[] {
  const { daily, manual } = splitDailyAndManual(backups);
  const firstKeptDay = new Date(now.getTime() - (limits.dailyKeepDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const doomed = [...daily.entries()].filter(([day]) => day < firstKeptDay).map(([, b]) => b);
  doomed.push(...manual.slice(0, Math.max(0, manual.length - limits.manualKeep)));
  return doomed;
}

/** Deletes what retention removes; returns how many. */
export async function pruneBackups(store: BlobStore, backups: BackupEntry[], now: Date, limits: BackupLimits): Promise<number> {
  const doomed = backupsToPrune(backups, now, limits);
  await Promise.all(doomed.map((b) => store.delete(backupKey(b.name))));
  return doomed.length;
}
