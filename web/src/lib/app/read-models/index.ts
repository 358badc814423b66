// Read models: what each view shows, built from the database and cached on the data version, so a view
// re-renders without re-querying until something is written (here or in another tab). Views import
// these types and call `app.views.*`; they never see the database.
import type { Database } from 'sql.js';
import type { IsoDate } from '../../domain/types';
import type { PredictionSort } from '../../db/predictions-repo';
import { accuracyBreakdowns, accuracyView, type AccuracyBreakdowns, type AccuracyRange, type AccuracyView } from './accuracy';
import { historyView, type HistoryFilter, type HistoryView } from './history';
import { playerView, type PlayerView } from './player';
import type { SlateReports } from '../slate';
import { scheduleView, slateView, slateViewSteps, viewAsOf, type SlateView } from './slate';
import { countPredictions } from '../../db/predictions-repo';

export { AVAILABILITY_LABELS, MAX_LOG_DAYS_AHEAD, gamesAsStored, logRefusalFor, scheduleView, scheduleViewOf, slateView, viewAsOf } from './slate';
export type { PlayerResult, SlateGameView, SlatePlayerRow, SlateSideView, SlateView } from './slate';
export { HISTORY_PAGE_SIZE, HISTORY_SORT_KEYS, historyView, toPredictionFilter } from './history';
export type { HistoryFilter, HistoryRow, HistoryView } from './history';
export { accuracyBreakdowns, accuracyView, BREAKDOWN_PLAYERS, resolveRange, ROLLING_WINDOW_DAYS } from './accuracy';
export type { AccuracyBreakdowns, AccuracyRange, AccuracyRangeKind, AccuracyView } from './accuracy';
export { playerView } from './player';
export type { PlayerGameLine, PlayerView } from './player';
// The player table's model (slate-table.ts, with @tanstack/table-core) is imported from its own module by the lazily
// loaded SlateTable component only: re-exported here, it would be part of the first slate's entry chunk.

export interface ReadModelSource {
  read<T>(fn: (db: Database) => T): T | undefined;
  /** Changes whenever the data may have changed (a write here, a reload from another tab, a source switch). */
  version(): string;
  /**
   * Changes like version(), except on writes that changed logged predictions only: a slate built before such a
   * write is still the slate but for its logged count (and the clock), so it is updated instead of rebuilt.
   */
  slateVersion?(): string;
  /** The store generation the data belongs to. */
  generation(): number;
  sourceId(): string;
  today(): IsoDate;
  /** Tonight's injury report and market for a date, when the source has them (live data), matched in `db`. */
  reports?(date: IsoDate, db: Database): SlateReports | undefined;
  /** Told of every slate view built from the database (start-up keeps the last one, labelled with its report). */
  slateBuilt?(view: SlateView): void;
  /**
   * True while a first visit's history streams in: slates are games only (scheduleView), built without the engine,
   * until it turns false (then the full slate is built once).
   */
  provisional?(): boolean;
}

/** Keeps the latest few results per kind; everything is dropped when the version moves on. */
class VersionedCache {
  private version = '';
  private entries = new Map<string, unknown>();
  constructor(private readonly limit = 24) {}

  get<T>(version: string, key: string, build: () => T | undefined): T | undefined {
    if (version !== this.version) {
      this.version = version;
      this.entries.clear();
    }
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = build();
    this.put(key, value);
    return value;
  }

  /** Stores `value` as the result for `key` at `version` (when the version is still the current one). */
  seed(version: string, key: string, value: unknown): void {
    if (version !== this.version) {
      this.version = version;
      this.entries.clear();
    }
    this.put(key, value);
  }

  private put(key: string, value: unknown): void {
    if (value === undefined) return;
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
  }
}

export class ReadModels {
  private readonly cache = new VersionedCache();
  constructor(private readonly source: ReadModelSource) {}

  /** A slate shown before the database is open (startup-view.ts: it equals what the database will give). */
  private preview: SlateView | null = null;
  /** The last slate built per date, with the slate version it was built at. */
  private slates = new Map<IsoDate, { version: string; view: SlateView }>();

  private versionKey(): string {
    const s = this.source;
    return `${s.version()}|${s.sourceId()}|${s.today()}`;
  }

  private cached<T>(key: string, build: (db: Database) => T): T | undefined {
    return this.cache.get(this.versionKey(), key, () => this.source.read(build));
  }

  /** Serves `view` for its date until the database is open (then see adoptPreview). */
  showPreview(view: SlateView): void {
    this.preview = view;
  }

  get previewing(): boolean {
    return this.preview !== null;
  }

  /**
   * The database is open at the state the preview was built from: the preview becomes the cached slate of the
   * current version, so the first slate is not built a second time. Without a match it is dropped.
   */
  adoptPreview(matches: boolean): void {
    if (this.preview && matches) {
      // Built from the rows the database opened with (perhaps before a compaction that relabelled them).
      const view = { ...this.preview, generation: this.source.generation() };
      this.cache.seed(this.versionKey(), `slate|${view.date}`, view);
      const slateVersion = this.slateVersionKey();
      if (slateVersion !== null) this.rememberBuilt(view.date, slateVersion, view);
    }
    this.preview = null;
  }

  private slateVersionKey(): string | null {
    const s = this.source;
    return s.slateVersion ? `${s.slateVersion()}|${s.sourceId()}|${s.today()}` : null;
  }

  private rememberBuilt(date: IsoDate, version: string, view: SlateView): void {
    if (this.slates.size >= 8 && !this.slates.has(date)) this.slates.delete(this.slates.keys().next().value as IsoDate);
    this.slates.set(date, { version, view });
  }

  slate(date: IsoDate): SlateView | undefined {
    if (this.preview) return this.preview.date === date ? this.preview : undefined;
    const started = performance.now();
    if (this.source.provisional?.()) {
      let built = false;
      const s = this.source;
      const view = this.cached(`schedule|${date}`, (db) => {
        built = true;
        return scheduleView(db, { date, today: s.today(), sourceId: s.sourceId(), generation: s.generation() });
      });
      if (built && view?.games.length) performance.measure('nba-daily:slate', { start: started, detail: { games: view.games.length, provisional: true } });
      return view;
    }
    let built = false;
    let produced = false;
    const s = this.source;
    const slateVersion = this.slateVersionKey();
    const view = this.cached(`slate|${date}`, (db) => {
      produced = true;
      const previous = this.slates.get(date);
      if (slateVersion !== null && previous?.version === slateVersion) {
        // Only logged predictions changed since: the same games and projections, a new count.
        return {
          ...viewAsOf(previous.view, Date.now(), s.today()),
          generation: s.generation(),
          loggedCount: countPredictions(db, { from: date, to: date, sourceId: s.sourceId() }),
        };
      }
      built = true;
      return slateView(db, {
        date,
        today: this.source.today(),
        now: new Date(),
        sourceId: this.source.sourceId(),
        generation: this.source.generation(),
        reports: this.source.reports?.(date, db),
      });
    });
    if (view && produced) this.produced(date, slateVersion, view);
    // Read by scripts/bench-app.mjs: the time to project a whole slate in the browser.
    if (built && view?.games.length) performance.measure('nba-daily:slate', { start: started, detail: { games: view.games.length } });
    return view;
  }

  private produced(date: IsoDate, slateVersion: string | null, view: SlateView): void {
    if (slateVersion !== null) this.rememberBuilt(date, slateVersion, view);
    if (view.games.length) this.source.slateBuilt?.(view);
  }

  /**
   * Builds `date`'s full slate (as slate() would, provisional or not) in steps, each in a task of its own (`pause`
   * between them), and keeps it as the slate of the current version: the slate() that follows finds it built. A
   * first full slate built in one go is a long task of the UI thread. Gives up, leaving slate() to build it, when
   * anything was written meanwhile (the version moved, or the database counts other changes) or a step failed.
   */
  async prepareSlate(date: IsoDate, pause: () => Promise<void>): Promise<void> {
    const s = this.source;
    const version = this.versionKey();
    const slateVersion = this.slateVersionKey();
    const generation = s.generation();
    const changes = () => s.read((db) => Number(db.exec('SELECT total_changes()')[0].values[0][0]));
    const started = performance.now();
    try {
      const before = changes();
      let steps: Generator<void, SlateView, void> | undefined;
      for (;;) {
        await pause();
        if (this.versionKey() !== version || s.generation() !== generation || changes() !== before) return;
        const next = s.read((db) => {
          steps ??= slateViewSteps(db, { date, today: s.today(), now: new Date(), sourceId: s.sourceId(), generation, reports: s.reports?.(date, db) });
          return steps.next();
        });
        if (!next) return;
        if (!next.done) continue;
        this.cache.seed(version, `slate|${date}`, next.value);
        this.produced(date, slateVersion, next.value);
        if (next.value.games.length) performance.measure('nba-daily:slate', { start: started, detail: { games: next.value.games.length, inSteps: true } });
        return;
      }
    } catch {
      // slate() builds it when asked.
    }
  }

  history(filter: HistoryFilter, page: number, sort?: PredictionSort): HistoryView | undefined {
    return this.cached(`history|${JSON.stringify([filter, page, sort])}`, (db) => historyView(db, { filter, page, sort, sourceId: this.source.sourceId() }));
  }

  accuracy(range: AccuracyRange): AccuracyView | undefined {
    return this.cached(`accuracy|${JSON.stringify(range)}`, (db) => accuracyView(db, { range, today: this.source.today(), sourceId: this.source.sourceId() }));
  }

  /** Read only when the view opens its team or player breakdown. */
  accuracyBreakdowns(range: AccuracyRange): AccuracyBreakdowns | undefined {
    return this.cached(`accuracy-breakdowns|${JSON.stringify(range)}`, (db) => accuracyBreakdowns(db, { range, today: this.source.today(), sourceId: this.source.sourceId() }));
  }

  player(playerId: string): PlayerView | null | undefined {
    return this.cached(`player|${playerId}`, (db) => playerView(db, { playerId, sourceId: this.source.sourceId() }));
  }
}
