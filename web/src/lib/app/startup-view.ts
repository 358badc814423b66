// The first slate of a warm start without waiting for SQLite: the last slate view built from the database is kept in
// an IndexedDB database of its own, labelled with the stored database's state it was built from (base id and
// generation), the app build, the source, the date, "today" and the injury report and market it was built with (their
// fetch times, reportsStamp: the report kept on this device for today is the one in use until the network answers).
// At start-up it is shown only when that label equals
// the stored database's current head, so what appears is exactly what the database would give (no reshuffle when it
// opens); the read models then adopt it as their cached slate instead of building it again. Anything that needs the
// database (logging, other views) waits for it. A cache of its own database: its writes never queue in front of a
// journal append, and losing it costs one slate build.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { z } from 'zod';
import type { IsoDate } from '../domain/types';
import type { DayReports } from '../sources/types';
import type { SlateView } from './read-models';
import { STARTUP_VIEW_KEY as KEY, STARTUP_VIEW_NAME, takeOpened, takeRead } from '../db/early-reads';

const FORMAT = 2;

/** The stamp of a slate built without any report (simulated data, or no report fetched or kept). */
export const NO_REPORTS = 'none';
/** Which report and market a slate is built with: the times their parts were fetched. */
export function reportsStamp(day: DayReports | null): string {
  const a = day?.asOf?.availability?.fetchedAt;
  const m = day?.asOf?.market?.fetchedAt;
  return a === undefined && m === undefined ? NO_REPORTS : `${a ?? '-'}|${m ?? '-'}`;
}
/** A slate has at most 15 games; a view past these bounds is not one this app wrote. */
const MAX_GAMES = 30;
const MAX_PLAYERS = 1500;

/** What a cached view must have been built for (its date is the read models' to match against the route). */
export interface StartupLabel {
  build: string;
  sourceId: string;
  today: IsoDate;
}

export interface StartupView extends StartupLabel {
  date: IsoDate;
  baseId: string;
  generation: number;
  /** reportsStamp of the report and market the view was built with. */
  reports: string;
  view: SlateView;
}

const isoDate = z.lazy(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/));
// The view is checked for what start-up reads of it (games, their tip-off and loggable flags, the rows); the rest
// is the same build's own output, written by this module only.
const game = z.lazy(() => z.looseObject({ id: z.string().max(64), tipoff: z.string().max(40), status: z.string().max(20) }));
const record = z.lazy(() => z.object({
  format: z.literal(FORMAT),
  build: z.string().max(100),
  sourceId: z.string().max(64),
  date: isoDate,
  today: isoDate,
  baseId: z.string().min(1).max(64),
  generation: z.number().int().positive(),
  reports: z.string().max(100),
  view: z.looseObject({
    date: isoDate,
    generation: z.number().int().positive(),
    games: z.array(z.looseObject({ game, loggable: z.boolean() })).min(1).max(MAX_GAMES),
    players: z.array(z.looseObject({ playerId: z.string() })).max(MAX_PLAYERS),
    slate: z.looseObject({ games: z.array(z.looseObject({ game, loggable: z.boolean() })).max(MAX_GAMES) }),
    loggedCount: z.number().int().nonnegative(),
  }),
}));

export function startupViewStore(dbName = STARTUP_VIEW_NAME): {
  load(label: StartupLabel, head: Promise<{ baseId: string | null; generation: number }>, reports?: Promise<string>): Promise<StartupView | null>;
  save(entry: StartupView): Promise<void>;
} {
  let opened: UseStore | undefined;
  // Opened (and its view read) by the page's first script when it ran (early-reads.ts).
  const kv = (): UseStore => (opened ??= takeOpened(dbName) ?? createStore(dbName, 'kv'));
  return {
    /**
     * The cached view when its label and the stored head match, and it was built with the report in use at start
     * (`reports`: the stamp of today's kept report; any other date starts with none), else null (also on any
     * IndexedDB failure).
     */
    async load(label, head, reports = Promise.resolve(NO_REPORTS)) {
      try {
        const reading = takeRead(dbName, KEY) ?? kv()('readonly', (store) => promisifyRequest(store.get(KEY)));
        reading.catch(() => undefined);
        // Nothing stored yet (a first visit): no slate to wait for.
        const current = await head;
        if (current.baseId === null) return null;
        const parsed = record.safeParse(await reading);
        if (!parsed.success) return null;
        const r = parsed.data;
        const inUse = r.date === label.today ? await reports : NO_REPORTS;
        const matches =
          r.reports === inUse &&
          r.build === label.build && r.sourceId === label.sourceId && r.today === label.today && r.date === r.view.date &&
          r.baseId === current.baseId && r.generation === current.generation && r.view.generation <= r.generation;
        return matches ? { ...r, view: r.view as unknown as SlateView } : null;
      } catch {
        return null;
      }
    },
    async save(entry) {
      await kv()('readwrite', (store) => promisifyRequest(store.put({ format: FORMAT, ...entry }, KEY)));
    },
  };
}
