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
import { slateView, type SlateView } from './slate';

export { AVAILABILITY_LABELS, MAX_LOG_DAYS_AHEAD, logRefusalFor, slateView } from './slate';
export type { PlayerResult, SlateGameView, SlatePlayerRow, SlateSideView, SlateView } from './slate';
export { HISTORY_PAGE_SIZE, HISTORY_SORT_KEYS, historyView, toPredictionFilter } from './history';
export type { HistoryFilter, HistoryRow, HistoryView } from './history';
export { accuracyBreakdowns, accuracyView, BREAKDOWN_PLAYERS, resolveRange, ROLLING_WINDOW_DAYS } from './accuracy';
export type { AccuracyBreakdowns, AccuracyRange, AccuracyRangeKind, AccuracyView } from './accuracy';
export { playerView } from './player';
export type { PlayerGameLine, PlayerView } from './player';
export { SLATE_COLUMNS, slateTableRows, type SlateTableState, type SlateColumnId } from './slate-table';

export interface ReadModelSource {
  read<T>(fn: (db: Database) => T): T | undefined;
  /** Changes whenever the data may have changed (a write here, a reload from another tab, a source switch). */
  version(): string;
  /** The store generation the data belongs to. */
  generation(): number;
  sourceId(): string;
  today(): IsoDate;
  /** Tonight's injury report and market for a date, when the source has them (live data). */
  reports?(date: IsoDate): SlateReports | undefined;
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
    if (value === undefined) return undefined;
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
    return value;
  }
}

export class ReadModels {
  private readonly cache = new VersionedCache();
  constructor(private readonly source: ReadModelSource) {}

  private cached<T>(key: string, build: (db: Database) => T): T | undefined {
    const s = this.source;
    return this.cache.get(`${s.version()}|${s.sourceId()}|${s.today()}`, key, () => s.read(build));
  }

  slate(date: IsoDate): SlateView | undefined {
    const started = performance.now();
    let built = false;
    const view = this.cached(`slate|${date}`, (db) => {
      built = true;
      return slateView(db, {
        date,
        today: this.source.today(),
        now: new Date(),
        sourceId: this.source.sourceId(),
        generation: this.source.generation(),
        reports: this.source.reports?.(date),
      });
    });
    // Read by scripts/bench-app.mjs: the time to project a whole slate in the browser.
    if (built && view?.games.length) performance.measure('nba-daily:slate', { start: started, detail: { games: view.games.length } });
    return view;
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
