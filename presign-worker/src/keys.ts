/**
 * Object naming inside one namespace — the one place that knows key shapes. Clients never send keys: every key
 * is built here from validated numbers and dates, and the store is already fenced into "<S3_PREFIX><namespace>/".
 *
 *   gen/<inv(seq)>.sqlite.gz        v1 generation: a whole gzip SQLite file (legacy, read as kind "snapshot")
 *   gen/<inv(seq)>.cs.gz            v2 changeset generation (format owned by the client, opaque here)
 *   snap/<inv(seq)>.sqlite.gz       v2 snapshot: the chain's state through seq
 *   backups/<YYYYMMDDTHHMMSS.mmmZ>-seq<seq>.sqlite.gz   sorted by time
 *   csv/<YYYY-MM-DD>.csv
 *
 * inv(seq) = MAX_SEQ - seq, zero-padded to 10 digits, so a listing returns the newest first and a
 * `startAfter` of `rangeBelow(prefix, s)` starts the listing at the first object with seq < s.
 */
export const MAX_SEQ = 9_999_999_999;
const SEQ_DIGITS = 10;

export const GEN_PREFIX = 'gen/';
export const SNAP_PREFIX = 'snap/';
export const BACKUP_PREFIX = 'backups/';
export const CSV_PREFIX = 'csv/';

/** What a generation key holds: a v1 whole database (read as a snapshot) or a v2 changeset. */
export type GenerationFormat = 'legacy' | 'changeset';
const GEN_SUFFIX: Record<GenerationFormat, string> = { legacy: '.sqlite.gz', changeset: '.cs.gz' };
const SNAP_SUFFIX = '.sqlite.gz';

const inv = (seq: number) => String(MAX_SEQ - seq).padStart(SEQ_DIGITS, '0');

export const generationKey = (seq: number, format: GenerationFormat) => `${GEN_PREFIX}${inv(seq)}${GEN_SUFFIX[format]}`;
export const changesetKey = (seq: number) => generationKey(seq, 'changeset');
export const snapshotKey = (seq: number) => `${SNAP_PREFIX}${inv(seq)}${SNAP_SUFFIX}`;

/**
 * `startAfter` value for listing `prefix` from the newest object with seq < `seq`: "/" sorts after every
 * ".suffix" of inv(seq) and before the next inv value.
 */
export const rangeBelow = (prefix: typeof GEN_PREFIX | typeof SNAP_PREFIX, seq: number) => `${prefix}${inv(seq)}/`;

const seqOf = (digits: string) => {
  const seq = MAX_SEQ - Number(digits);
  return seq >= 1 ? seq : null;
};

/** seq and format of a generation key, or null if the key is not one of ours */
export function parseGenerationKey(key: string): { seq: number; format: GenerationFormat } | null {
  const m = /^gen\/(\d{10})(\.sqlite\.gz|\.cs\.gz)$/.exec(key);
  const seq = m && seqOf(m[1]);
  if (!seq) return null;
  return { seq, format: m[2] === GEN_SUFFIX.legacy ? 'legacy' : 'changeset' };
}

/** seq of a snapshot key, or null if the key is not one of ours */
export function parseSnapshotKey(key: string): number | null {
  const m = /^snap\/(\d{10})\.sqlite\.gz$/.exec(key);
  return m && seqOf(m[1]);
}

/** The names clients see (not keys). */
export const generationName = (seq: number) => `gen-${seq}`;
export const snapshotName = (seq: number) => `snap-${seq}`;

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
