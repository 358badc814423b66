// The last injury report and market answer per date, kept on this device, so a reload while offline (or before the
// network answers) shows the report that was last fetched instead of the guess from recent games. A small IndexedDB
// database of its own ("nba-daily-reports"): one value per (part, date), the worker's answer as it was validated,
// with the time it was fetched. Read back through the same wire schemas as a fresh answer; a value that fails them
// is ignored (that part of that date only), and losing the whole database costs nothing but the offline copy.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { z } from 'zod';
import type { IsoDate } from '../../domain/types';
import { InjuriesWire, OddsWire } from './wire';

export type Injuries = z.output<typeof InjuriesWire>;
export type Odds = z.output<typeof OddsWire>;

/** A kept answer and when it was fetched (ms since the epoch). */
export interface Kept<T> {
  fetchedAt: number;
  answer: T;
}

export interface KeptReports {
  injuries: Kept<Injuries> | null;
  odds: Kept<Odds> | null;
}

export interface ReportCache {
  /** What is kept for `date`, each part null when absent or unreadable. Never throws. */
  load(date: IsoDate): Promise<KeptReports>;
  /**
   * Keeps a validated answer for its date, dropping the oldest dates past the bound, and every kept answer (of
   * either part) fetched more than KEPT_FOR_MS before it.
   */
  save(part: 'injuries', answer: Injuries, fetchedAt: number): Promise<void>;
  save(part: 'odds', answer: Odds, fetchedAt: number): Promise<void>;
}

/** Dates kept per part: today plus the last few days (a date picked further back shows no report anyway). */
export const KEPT_DATES = 7;
/**
 * How long an answer is kept after a newer fetch of either part: a report weeks older than the last one fetched
 * describes no slate the app will show offline. (Measured from the newest fetch, not the wall clock, so a device
 * whose clock jumps keeps what it has until it fetches again.)
 */
export const KEPT_FOR_MS = 30 * 24 * 60 * 60 * 1000;
const FORMAT = 1;
const SCHEMAS = { injuries: InjuriesWire, odds: OddsWire } as const;
type Part = keyof typeof SCHEMAS;
const key = (part: Part, date: IsoDate) => `${part}|${date}`;
const keptRecord = z.lazy(() => z.object({ format: z.literal(FORMAT), fetchedAt: z.number().int().positive(), answer: z.unknown() }));

export function idbReportCache(dbName = 'nba-daily-reports', keptDates = KEPT_DATES): ReportCache {
  let opened: UseStore | undefined;
  const kv = (): UseStore => (opened ??= createStore(dbName, 'kv'));

  const read = <P extends Part>(raw: unknown, part: P, date: IsoDate): Kept<z.output<(typeof SCHEMAS)[P]>> | null => {
    const record = keptRecord.safeParse(raw);
    if (!record.success) return null;
    const answer = SCHEMAS[part].safeParse(record.data.answer);
    if (!answer.success || answer.data.date !== date) return null;
    return { fetchedAt: record.data.fetchedAt, answer: answer.data as z.output<(typeof SCHEMAS)[P]> };
  };

  return {
    async load(date) {
      try {
        const [injuries, odds] = await kv()('readonly', async (store) => [
          await promisifyRequest(store.get(key('injuries', date))),
          await promisifyRequest(store.get(key('odds', date))),
        ]);
        return { injuries: read(injuries, 'injuries', date), odds: read(odds, 'odds', date) };
      } catch {
        return { injuries: null, odds: null };
      }
    },
    async save(part: Part, answer: Injuries | Odds, fetchedAt: number) {
      // Checked again on the way in: only what the wire schema accepts is ever kept.
      const parsed = SCHEMAS[part].parse(answer);
      await kv()('readwrite', async (store) => {
        store.put({ format: FORMAT, fetchedAt, answer: parsed }, key(part, parsed.date));
        const allKeys = await promisifyRequest(store.getAllKeys());
        const values = await promisifyRequest(store.getAll());
        const dropped = new Set<string>();
        allKeys.forEach((k, i) => {
          if (typeof k !== 'string' || k === key(part, parsed.date) || !Object.keys(SCHEMAS).some((p) => k.startsWith(`${p}|`))) return;
          const record = keptRecord.safeParse(values[i]);
          if (record.success && record.data.fetchedAt < fetchedAt - KEPT_FOR_MS) dropped.add(k);
        });
        const keys = allKeys.filter((k): k is string => typeof k === 'string' && k.startsWith(`${part}|`) && !dropped.has(k));
        const dates = keys.map((k) => k.slice(part.length + 1)).filter((d) => d !== parsed.date).sort();
        // The newest dates stay (an ISO date sorts by time); the one just saved always does.
        for (const old of dates.slice(0, Math.max(0, dates.length - (keptDates - 1)))) dropped.add(key(part, old));
        for (const k of dropped) store.delete(k);
        await promisifyRequest(store.transaction);
      });
    },
  };
}
