/**
 * Object naming inside one namespace. Clients never send keys: every key is built here from
 * validated numbers and dates, and the store is already fenced into "<S3_PREFIX><namespace>/".
 *
 *   gen/<(MAX_SEQ - seq) zero-padded to 10>.sqlite.gz   one list request returns the newest first
 *   backups/<YYYYMMDDTHHMMSS.mmmZ>-seq<seq>.sqlite.gz   sorted by time
 *   csv/<YYYY-MM-DD>.csv
 */
export const MAX_SEQ = 9_999_999_999;
const SEQ_DIGITS = 10;

export const GEN_PREFIX = 'gen/';
export const BACKUP_PREFIX = 'backups/';
export const CSV_PREFIX = 'csv/';

export function generationKey(seq: number): string {
  return `${GEN_PREFIX}${String(MAX_SEQ - seq).padStart(SEQ_DIGITS, '0')}.sqlite.gz`;
}

/** seq of a generation key, or null if the key is not one of ours */
export function seqOfGenerationKey(key: string): number | null {
  const m = /^gen\/(\d{10})\.sqlite\.gz$/.exec(key);
  if (!m) return null;
  const seq = MAX_SEQ - Number(m[1]);
  return seq >= 1 ? seq : null;
}

/** The name clients see for a generation (not a key). */
export const generationName = (seq: number) => `gen-${seq}`;

export const BACKUP_NAME = /^(\d{8}T\d{6}\.\d{3}Z)-seq([1-9]\d{0,9})\.sqlite\.gz$/;

export function backupName(at: Date, seq: number): string {
  const stamp = at.toISOString().replace(/[-:]/g, ''); // 20260426T120000.123Z
  return `${stamp}-seq${seq}.sqlite.gz`;
}

export function parseBackupName(name: string): { time: string; seq: number } | null {
  const m = BACKUP_NAME.exec(name);
  if (!m) return null;
  const t = m[1];
  const iso = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13)}`;
  return { time: iso, seq: Number(m[2]) };
}

/** UTC day prefix of backup names made on that day (YYYYMMDD) */
export const backupDayPrefix = (at: Date) => at.toISOString().slice(0, 10).replace(/-/g, '');

export const backupKey = (name: string) => BACKUP_PREFIX + name;
export const csvKey = (gameDate: string) => `${CSV_PREFIX}${gameDate}.csv`;
