// The app's state and actions, shared by every view. Views read `app.*` and call its methods;
// all data work happens in the db/, engine/, sources/ and csv/ modules this file wires together.
import type { Database } from 'sql.js';
import { addDays, localIsoDate } from '../domain/dates';
import type { IsoDate } from '../domain/types';
import { idbPersistence } from '../db/persistence';
import { loadSqlite } from '../db/sqlite-browser';
import { DatabaseStore, type Notice } from '../db/store';
import { savePredictions, saveGamePredictions, listPredictions, type PredictionFilter, type SaveCounts } from '../db/predictions-repo';
import { parsePredictionsCsv, predictionsToCsv, type RejectedLine } from '../csv/predictions-csv';
import { createSimulatedSource } from '../sources/simulated';
import type { DataSource } from '../sources/types';
import { ingestDays } from './ingest';
import { buildSlate, predictionsToLog, type Slate } from './slate';
import { deviceId } from './device';
import { SyncController } from './sync-controller.svelte';

const REFRESH_MS = 60_000;

export interface ImportReport extends SaveCounts {
  rejected: RejectedLine[];
}

export class AppController {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  notices = $state<Notice[]>([]);
  /** Bumped after every change to the database, from this tab or another: views re-query on it. */
  dataVersion = $state(0);
  today = $state(localIsoDate(new Date()));
  backfill = $state<{ done: number; total: number } | null>(null);
  storeMode = $state<DatabaseStore['mode']>('persistent');

  readonly deviceId = deviceId();
  sync = $state<SyncController | null>(null);
  source: DataSource = createSimulatedSource();
  private store: DatabaseStore | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  async start(): Promise<void> {
    try {
      const SQL = await loadSqlite();
      const { store, notices } = await DatabaseStore.open({ SQL, persistence: idbPersistence() });
      this.store = store;
      this.storeMode = store.mode;
      this.notices = notices;
      store.subscribe(() => this.dataVersion++);
      this.status = 'ready';
      this.dataVersion++;
      if (store.mode !== 'read-only') {
        this.sync = new SyncController(store, SQL, this.deviceId);
        void this.sync.start();
      }
    } catch (error) {
      this.notices = [{ level: 'error', message: `The app could not start its database: ${(error as Error).message}` }];
      this.status = 'failed';
      return;
    }
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sync?.stop();
    this.store?.close();
  }

  read<T>(fn: (db: Database) => T): T | undefined {
    return this.store?.read(fn);
  }

  private requireStore(): DatabaseStore {
    if (!this.store) throw new Error('The database is not open yet.');
    return this.store;
  }

  private write = <T>(fn: (db: Database) => T): Promise<T> => this.requireStore().write(fn);

  dismissNotice(notice: Notice): void {
    this.notices = this.notices.filter((n) => n !== notice);
  }

  private report(error: unknown): void {
    this.notices = [...this.notices, { level: 'error', message: (error as Error).message ?? String(error) }];
  }

  /**
   * Pulls from the source what the database lacks (the history window on first run, then whatever
   * day is still in progress), so statuses advance and finished games get their actuals.
   */
  async refresh(): Promise<void> {
    if (!this.store || this.store.mode === 'read-only') return;
    const now = new Date();
    this.today = localIsoDate(now);
    try {
      await ingestDays({
        source: this.source,
        read: (fn) => this.requireStore().read(fn),
        write: this.write,
        from: this.source.historyStart(this.today),
        to: addDays(this.today, 1),
        now,
        deviceId: this.deviceId,
        onProgress: (done, total) => (this.backfill = total > 3 && done < total ? { done, total } : null),
      });
    } catch (error) {
      this.report(error);
    } finally {
      this.backfill = null;
    }
  }

  /** Makes sure a date picked outside the stored window has its games. */
  async ensureDay(date: IsoDate): Promise<void> {
    if (!this.store || this.store.mode === 'read-only') return;
    try {
      await ingestDays({
        source: this.source,
        read: (fn) => this.requireStore().read(fn),
        write: this.write,
        from: date,
        to: date,
        now: new Date(),
        deviceId: this.deviceId,
      });
    } catch (error) {
      this.report(error);
    }
  }

  slate(date: IsoDate): Slate | undefined {
    return this.read((db) => buildSlate(db, date, new Date(), this.source.id));
  }

  /** Stores the predictions of the slate's games that have not started. Logging twice changes nothing. */
  async logPredictions(date: IsoDate): Promise<{ players: SaveCounts; games: SaveCounts }> {
    const now = new Date();
    return this.write((db) => {
      const rows = predictionsToLog(buildSlate(db, date, now, this.source.id), { today: localIsoDate(now), now: now.getTime(), deviceId: this.deviceId });
      return { players: savePredictions(db, rows.players), games: saveGamePredictions(db, rows.games) };
    });
  }

  exportCsv(filter: PredictionFilter): string {
    return predictionsToCsv(this.read((db) => listPredictions(db, filter)) ?? []);
  }

  /** Merges an exported CSV back: new keys are added, newer rows replace older ones, bad lines are reported. */
  async importCsv(text: string): Promise<ImportReport> {
    const { predictions, rejected } = parsePredictionsCsv(text, Date.now());
    const counts = await this.write((db) => savePredictions(db, predictions, { keepNewer: true }));
    return { ...counts, rejected };
  }
}

export const app = new AppController();
