// The app's state and actions, shared by every view. Views read `app.*` and call its methods;
// all data work happens in the db/, engine/, sources/ and csv/ modules this file wires together.
import type { Database } from 'sql.js';
import { addDays, daysBetween, localIsoDate } from '../domain/dates';
import type { IsoDate } from '../domain/types';
import { idbPersistence, type Persistence } from '../db/persistence';
import { takeEarlyHead } from '../db/head';
import { loadEmptyDatabase, loadSqlite, warmUpSqlite } from '../db/sqlite-browser';
import { DatabaseStore, yieldToUi, type Notice } from '../db/store';
import { savePredictions, saveGamePredictions, listPredictions, type SaveCounts } from '../db/predictions-repo';
import type { RejectedLine } from '../csv/predictions-csv';
import { createSimulatedSource, SIMULATED_SEED } from '../sources/simulated';
import { createLiveSource, LIVE_SOURCE_ID } from '../sources/live';
import type { ImportedHistory } from '../sources/import/game-logs';
import type { DataSource, DayData, DayReports, ReportAge } from '../sources/types';
import { loadWorkerConfig } from '../sync/state';
import { markSourceDay, upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from '../db/league-repo';
import { scoreFinishedGames } from '../db/predictions-repo';
import { TEAMS } from '../domain/teams';
import type { SqlJsStatic } from 'sql.js';
import { ingestDays, slateReportsOf } from './ingest';
import { buildSlate, predictionsToLog, type SlateReports } from './slate';
import { gamesAsStored, logRefusalFor, ReadModels, scheduleViewOf, toPredictionFilter, viewAsOf, type HistoryFilter, type SlateView } from './read-models';
import { deviceId, lastFetchAt, preferredSource, setLastFetchAt, setPreferredSource } from './device';
import { SyncController } from './sync-controller.svelte';
import { NO_REPORTS, reportsStamp, startupViewStore, type StartupView } from './startup-view';
import { afterPaint } from '../ui';
import { BackfillProgress, type ProgressRun } from './backfill-progress';

const REFRESH_MS = 60_000;
/** A backfill that has not written for this long is stuck (a request that never answers): a refresh starts anew. */
const STUCK_BACKFILL_MS = 3 * REFRESH_MS;
/** How often the date is checked: it rolls over at midnight even while a first visit's backfill still runs. */
const DAY_CHECK_MS = 30_000;
/** How often the views re-read the database while a first visit's backfill writes (backfillWrote). */
const BACKFILL_VIEW_REFRESH_MS = 1_000;
/** The tables logging a slate writes: a write that changed only these leaves every slate's projections as they were. */
const PREDICTION_TABLES: ReadonlySet<string> = new Set(['predictions', 'game_predictions', 'sync_meta']);
/** A cached start-up slate belongs to the build that computed it (another engine would project differently). */
const BUILD = `${__APP_VERSION__} ${__BUILD_TIME__}`;

export interface ImportReport extends SaveCounts {
  rejected: RejectedLine[];
}

export class AppController {
  /** 'preview': the last slate is on screen (startup-view.ts) while the database opens; only Today's Games shows. */
  status = $state<'loading' | 'preview' | 'ready' | 'failed'>('loading');
  notices = $state<Notice[]>([]);
  /** Bumped after every change to the database, from this tab or another: views re-query on it. */
  dataVersion = $state(0);
  today = $state(localIsoDate(new Date()));
  backfill = $state<{ done: number; total: number } | null>(null);
  /** Which backfill `backfill` shows: the shown source's (a source switch leaves the old source's running). */
  private readonly backfillProgress = new BackfillProgress((progress) => (this.backfill = progress));
  /** Each source's refresh of its whole window under way: another refresh of that source meanwhile joins it. */
  private readonly backfills = new Map<string, ProgressRun>();
  storeMode = $state<DatabaseStore['mode']>('persistent');

  readonly deviceId = deviceId();
  sync = $state<SyncController | null>(null);
  readonly sources: readonly DataSource[] = [
    // Builds a simulated day's schedule in steps that give the UI thread back (months of days late in a season).
    createSimulatedSource(SIMULATED_SEED, yieldToUi),
    createLiveSource(() => this.sync?.config ?? loadWorkerConfig()),
  ];
  /** The person's chosen source from the first render (the header names it: no other source shows meanwhile). */
  source = $state<DataSource>(this.sources.find((s) => s.id === preferredSource()) ?? this.sources[0]);
  /** Why the last fetch from the source failed (the stored data stays usable), or null. */
  sourceError = $state<string | null>(null);
  /** When the source last answered, for "data as of" on screen. */
  fetchedAt = $state<number | null>(lastFetchAt(this.source.id));
  /**
   * Today's injury report and market (live data), by date, as fetched; replaced on every refresh. A report names
   * players, so it is matched to the stored players when a slate is built (reportsFor), again whenever the rows
   * changed: on a first visit it arrives before the history that holds its players.
   */
  private reports = new Map<IsoDate, { day: DayReports; stamp: string; matched?: { generation: number; reports: SlateReports } }>();
  /** Why the report or the market is missing, if it is (the slate then guesses who plays from recent games). */
  reportsError = $state<string | null>(null);
  /** When today's report and market in use were fetched, and whether they are the copy kept on this device. */
  reportsAsOf = $state<{ availability: ReportAge | null; market: ReportAge | null } | null>(null);
  /** Bumped whenever `reports` is replaced: the slate read model is rebuilt with the new report and market. */
  private reportsVersion = $state(0);
  /** Bumped instead of dataVersion by writes that changed logged predictions only (PREDICTION_TABLES). */
  private predictionsVersion = $state(0);
  /** What each view shows, cached on the data and reports versions (views never see the database). */
  readonly views = new ReadModels({
    read: (fn) => this.store?.read(fn),
    version: () => `${this.dataVersion}|${this.predictionsVersion}|${this.reportsVersion}`,
    slateVersion: () => `${this.dataVersion}|${this.reportsVersion}`,
    // The rows' generation: a compaction (a new base of the same rows) leaves a built slate current.
    generation: () => this.store?.contentGeneration ?? 0,
    sourceId: () => this.source.id,
    today: () => this.today,
    reports: (date, db) => this.reportsFor(date, db),
    slateBuilt: (view) => this.rememberSlate(view),
    provisional: () => this.backfill !== null,
  });
  private store: DatabaseStore | null = null;
  private persistence: Persistence | null = null;
  private readonly startupViews = startupViewStore();
  /** The (date, state) of the slate last kept for start-up, so an unchanged one is not written again. */
  private rememberedSlate = '';
  private lastSlate: SlateView | null = null;
  /** Settles when the database is open (or failed to open): actions started before that wait for it. */
  private opened: Promise<DatabaseStore>;
  private settleOpened!: { resolve: (store: DatabaseStore) => void; reject: (error: Error) => void };

  constructor() {
    this.opened = new Promise((resolve, reject) => (this.settleOpened = { resolve, reject }));
    this.opened.catch(() => undefined);
  }
  private SQL: SqlJsStatic | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private dayTimer: ReturnType<typeof setInterval> | null = null;
  /** Refreshes under way: each fetches today first, so a view asking for today meanwhile need not fetch it too. */
  private refreshing = 0;
  /**
   * A first visit's today (and, for live data, tonight's injury report and market), fetched while the WASM compiles
   * and the database opens (a network round trip to the worker for live data), with the `now` it was fetched as of:
   * the first refresh writes it and puts the reports in use instead of fetching again.
   */
  private prefetched: { sourceId: string; now: Date; days: Map<IsoDate, Promise<DayData>>; reports?: Promise<DayReports> } | null = null;
  /**
   * A first visit's games-only slate, made from the fetched day before SQLite has loaded, is on screen (as the
   * read models' preview) until today's games are stored: the database's own provisional slate is then the same.
   */
  private firstVisitPreview = false;

  async start(): Promise<void> {
    // A task of its own, after the mount's (App calls start() as it mounts).
    await yieldToUi();
    try {
      // Start-up phases, read by scripts/bench-app.mjs (the profile breakdown of a first slate).
      const started = performance.now();
      const persistence = idbPersistence();
      this.persistence = persistence;
      // The last slate, if the stored database has not changed since it was built: a small read, on screen
      // before SQLite is even loaded.
      // Today's report as last fetched (live data), in use from the start when offline or before the network answers.
      const kept = this.source.keptReports?.(this.today).catch(() => null) ?? Promise.resolve(null);
      // As the page's first script read it (early-reads.ts), else read now.
      const head = takeEarlyHead() ?? persistence.head();
      head.catch(() => undefined);
      const previewing = this.startupViews.load({ build: BUILD, sourceId: this.source.id, today: this.today }, head, kept.then(reportsStamp));
      // The WASM compiles meanwhile (a first visit has no cached slate and must not wait for the small read).
      const sqlite = loadSqlite();
      // Nothing stored (a first visit): the new database is made while storage is read, and its first statements wait
      // for a worker to have run them once (sqlite-browser.ts warmUpSqlite), so their code is compiled off the UI thread.
      const likelyEmpty = head.then((h) => h.baseId === null && h.generation === 0);
      const warmedUp = likelyEmpty.then((empty) => (empty ? warmUpSqlite() : false), () => false);
      // Never fetched from this source: a first visit, whose first slate is tonight's games. Today (a request to the
      // worker for live data, computed in a task of its own for simulated data) and the injury report and market
      // are fetched at once, while the WASM compiles and the database opens.
      const firstVisit = this.fetchedAt === null;
      if (firstVisit) this.prefetchToday();
      const preview = await previewing;
      // Nothing stored yet either: tonight's games go on screen as soon as they are fetched, before SQLite.
      if (!preview && firstVisit) void this.showFirstVisitSlate(head, started);
      if (preview) {
        performance.measure('nba-daily:startup-view', { start: started, detail: { games: preview.view.games.length } });
        // Drawn in a task after the one that checked it: the check's first run (zod's code, cold) and the first
        // render together were one task of 51–72 ms at 1× CPU in 4 of 15 warm starts (1 of 15 after, 54 ms).
        await yieldToUi();
        this.views.showPreview(viewAsOf(preview.view, Date.now(), this.today));
        this.status = 'preview';
        // Painted before the database's read starts: a big base would compete with its frame.
        await afterPaint();
      }
      // A first visit opens a copy of this file instead of running the migrations (empty-database.ts); decoded after
      // a warm start's slate is painted.
      const emptyDatabase = loadEmptyDatabase();
      // The IndexedDB read runs while the WASM compiles; the store handles its failure as its own.
      const initialLoad = persistence.load();
      initialLoad.catch(() => undefined);
      const SQL = await sqlite;
      performance.measure('nba-daily:sqlite-load', { start: started });
      await warmedUp;
      const { store, notices } = await DatabaseStore.open({ SQL, persistence, initialLoad, likelyEmpty, node: this.deviceId, emptyDatabase: await emptyDatabase });
      this.store = store;
      this.SQL = SQL;
      this.storeMode = store.mode;
      this.notices = notices;
      // Data a running tab keeps aside (unreadable, or changes it could not merge) is told as it happens.
      store.onNotice((notice) => (this.notices = [...this.notices, notice]));
      const keptReports = await kept;
      if (keptReports) this.useReports(this.today, keptReports);
      store.subscribe((origin, tables) => {
        // The store turned read-only (a newer version of the app stored data meanwhile): say why.
        if (store.mode !== this.storeMode) {
          this.storeMode = store.mode;
          if (store.modeReason) this.notices = [...this.notices, { level: 'error', message: store.modeReason }];
        }
        if (tables && tables.every((t) => PREDICTION_TABLES.has(t))) this.predictionsVersion++;
        else if (origin === 'local' && this.backfill !== null) this.backfillWrote();
        else this.dataVersion++;
      });
      this.status = 'ready';
      this.dataVersion++;
      // A first visit's games-only slate stays until today is stored (ingest's afterToday).
      if (!this.firstVisitPreview) this.views.adoptPreview(previewMatches(preview, store, persistence));
      this.settleOpened.resolve(store);
    } catch (error) {
      this.notices = [{ level: 'error', message: `The app could not start its database: ${(error as Error).message}` }];
      this.firstVisitPreview = false;
      this.views.adoptPreview(false);
      // No backfill will run: the preview's progress bar goes with it.
      this.backfillProgress.clear();
      this.status = 'failed';
      this.settleOpened.reject(error as Error);
      return;
    }
    // What is stored goes on screen first; the refresh and sync (a write, an export) wait for that frame.
    if (this.read((db) => db.exec('SELECT 1 FROM games LIMIT 1').length > 0)) await afterPaint();
    if (this.store.mode !== 'read-only') {
      this.sync = new SyncController(this.store, this.SQL!, this.deviceId);
      void this.sync.start();
    }
    // The refresh timer starts once the first refresh (a first visit's whole backfill) is done; a later refresh while
    // its source's backfill still runs (after a source switch) joins it (refresh).
    this.dayTimer = setInterval(() => (this.today = localIsoDate(new Date())), DAY_CHECK_MS);
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  private prefetchToday(): void {
    const now = new Date();
    const today = localIsoDate(now);
    // In a task of its own: a simulated day is computed on the spot, and the first frame should not wait for it.
    const source = this.source;
    const day = yieldToUi().then(() => source.day(today, now));
    day.catch(() => undefined);
    const reports = source.reports?.(today);
    reports?.catch(() => undefined);
    this.prefetched = { sourceId: this.source.id, now, days: new Map([[today, day]]), reports };
  }

  /**
   * A first visit with nothing stored: tonight's games, games only and provisional, from the day being fetched (the
   * slate the database gives once today is stored: scheduleViewOf, gamesAsStored), on screen without waiting for
   * the WASM, the database's open and today's write.
   */
  private async showFirstVisitSlate(head: Promise<{ baseId: string | null; generation: number }>, started: number): Promise<void> {
    const prefetched = this.prefetched;
    const source = this.source;
    const day = prefetched?.days.get(this.today);
    if (!prefetched || !day) return;
    try {
      const stored = await head.catch(() => ({ baseId: null, generation: 0 }));
      if (stored.baseId !== null || stored.generation !== 0) return;
      const [fetched, teams] = await Promise.all([day, source.teams()]);
      // Rendered in a task of its own, not in the one that computed the day (a simulated day is computed here).
      await yieldToUi();
      // Too late (today is stored, or the source changed), or another preview is up.
      if (this.prefetched !== prefetched || source !== this.source || this.views.previewing || this.status === 'failed') return;
      const today = this.today;
      const view = scheduleViewOf(gamesAsStored(fetched.games, today), teams, { date: today, today, generation: 0, loggedCount: 0 });
      if (view.games.length === 0) return;
      // Read by scripts/bench-app.mjs: app start → today fetched (computed) and its games-only slate made.
      performance.measure('nba-daily:fetched-slate', { start: started, detail: { games: view.games.length } });
      this.views.showPreview(view);
      this.firstVisitPreview = true;
      // Nothing is stored: the whole history window is to load (what ingest's progress then says too).
      const from = source.historyStart(today);
      this.backfill = { done: 0, total: daysBetween(from, addDays(today, 1)) + 1 };
      if (this.status === 'loading') this.status = 'preview';
      else this.dataVersion++;
    } catch {
      // The fetch failed: the refresh fetches again and says why.
    }
  }

  /**
   * A write of a first visit's backfill: the views follow it at most once a second (and at its end, ingest). The
   * slate on screen meanwhile is tonight's games only, which the history's writes do not change; re-reading every
   * view after each of them cost the backfill more than the writes themselves on a slow device.
   */
  private backfillWrote(): void {
    const now = performance.now();
    if (now - this.lastBackfillRefresh < BACKFILL_VIEW_REFRESH_MS) {
      this.backfillUnseen = true;
      return;
    }
    this.lastBackfillRefresh = now;
    this.backfillUnseen = false;
    this.dataVersion++;
  }
  private lastBackfillRefresh = -Infinity;
  private backfillUnseen = false;

  /** Today is stored (or its write failed): the database's own slate replaces the first visit's fetched one. */
  private endFirstVisitPreview(): void {
    if (!this.firstVisitPreview) return;
    this.firstVisitPreview = false;
    this.views.adoptPreview(false);
    this.dataVersion++;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.dayTimer) clearInterval(this.dayTimer);
    this.sync?.stop();
    this.store?.close();
  }

  private read<T>(fn: (db: Database) => T): T | undefined {
    return this.store?.read(fn);
  }

  private requireStore(): DatabaseStore {
    if (!this.store) throw new Error('The database is not open yet.');
    return this.store;
  }

  /** Writes wait for the database to open (a click on a slate shown before it is open). */
  private write = async <T>(fn: (db: Database) => T): Promise<T> => (await this.opened).write(fn);

  /**
   * Keeps a slate view built from the database for the next start (startup-view.ts), once the UI is idle: only
   * one built at the stored state (its generation, of a persistent store), so it can later be checked against it.
   */
  private rememberSlate(view: SlateView): void {
    this.lastSlate = view;
    // The report the view was built with (read models build it synchronously before telling us).
    const reports = this.reports.get(view.date)?.stamp ?? NO_REPORTS;
    const save = () => {
      // Labelled with the stored state when it is written: still the rows the view was built from (a compaction
      // since is a new base of the same rows), or nobody would be shown it.
      const store = this.store;
      const baseId = this.persistence?.baseId();
      // Built at the current generation, or at the rows' generation before a compaction since.
      const current = view.generation === store?.currentGeneration || view.generation === store?.contentGeneration;
      if (!store || store.mode !== 'persistent' || !baseId || !current) return;
      const label = `${view.date}|${baseId}|${store.currentGeneration}|${this.source.id}|${this.today}|${reports}`;
      if (label === this.rememberedSlate) return;
      this.rememberedSlate = label;
      const entry: StartupView = { build: BUILD, sourceId: this.source.id, today: this.today, date: view.date, baseId, generation: store.currentGeneration, reports, view };
      void this.startupViews.save(entry).catch(() => undefined);
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(save, { timeout: 2000 });
    else setTimeout(save, 0);
  }

  dismissNotice(notice: Notice): void {
    this.notices = this.notices.filter((n) => n !== notice);
  }

  /**
   * Pulls from the source what the database lacks (the history window on first run, then whatever
   * day is still in progress), so statuses advance and finished games get their actuals.
   * A failed fetch is shown next to the slate; what is stored stays on screen.
   */
  async refresh(): Promise<void> {
    const prefetched = this.prefetched?.sourceId === this.source.id ? this.prefetched : null;
    this.prefetched = null;
    const now = prefetched?.now ?? new Date();
    // The date rolls over at midnight even when nothing can be fetched.
    this.today = localIsoDate(now);
    if (!this.store || this.store.mode === 'read-only') {
      // Nothing will load: a first visit's preview (and its progress bar) ends here.
      this.backfillProgress.clear();
      return this.endFirstVisitPreview();
    }
    this.refreshing++;
    // Fetched alongside the days (on a first visit, since start-up) and put in use when they arrive: a slate
    // matches them to the players stored when it is built (reportsFor).
    const today = this.today;
    const sourceId = this.source.id;
    const reports = prefetched?.reports ?? this.source.reports?.(today);
    const inUse = reports ? this.loadReports(today, reports) : undefined;
    // This source's backfill still runs (the timer, Retry, a switch back to it): it keeps loading the history and
    // takes the bar back; this refresh brings the days still in play (yesterday's late games, today, tomorrow) up to
    // date, not the whole window a second time. One stuck for minutes is left behind: this refresh starts anew.
    const found = this.backfills.get(sourceId);
    const running = found && now.getTime() - found.reportedAt < STUCK_BACKFILL_MS ? found : undefined;
    running?.claim();
    const progress = running ? null : this.backfillProgress.begin();
    if (progress) this.backfills.set(sourceId, progress);
    try {
      await this.ingest(running ? addDays(today, -1) : this.source.historyStart(today), addDays(today, 1), now, progress, prefetched?.days);
    } finally {
      this.refreshing--;
    }
    await inUse;
  }

  /** Tonight's injury report and market from the source (live data only); a failure keeps the guess. */
  private async loadReports(date: IsoDate, reports: Promise<DayReports>): Promise<void> {
    const source = this.source;
    if (!source.reports || !this.store) return;
    try {
      const day = await reports;
      if (source !== this.source) return;
      this.useReports(date, day);
      this.reportsError = day.errors.length ? `Injury report or market unavailable (${day.errors.join('; ')}).` : null;
    } catch (error) {
      if (source === this.source) this.reportsError = (error as Error).message;
    }
  }

  /** Puts a day's report and market in use for its slate (a new one rebuilds the slate; the same one does not). */
  private useReports(date: IsoDate, day: DayReports): void {
    const stamp = reportsStamp(day);
    if (date === this.today) this.reportsAsOf = day.asOf ?? null;
    if (this.reports.get(date)?.stamp === stamp) return;
    this.reports.set(date, { day, stamp });
    this.reportsVersion++;
  }

  /** A date's report and market matched to the players stored now (cached while the rows stay the same). */
  private reportsFor(date: IsoDate, db: Database): SlateReports | undefined {
    const entry = this.reports.get(date);
    if (!entry) return undefined;
    const generation = this.store?.contentGeneration ?? 0;
    if (entry.matched?.generation !== generation) {
      entry.matched = { generation, reports: { ...slateReportsOf(db, entry.day, this.source.id), stamp: entry.stamp } };
    }
    return entry.matched.reports;
  }

  private async ingest(
    from: IsoDate,
    to: IsoDate,
    now: Date,
    /** A refresh's backfill, whose progress the bar may show (and its first slate in steps); null for a lone day. */
    progress: ProgressRun | null,
    prefetched?: ReadonlyMap<IsoDate, Promise<DayData>>,
  ): Promise<void> {
    const source = this.source;
    try {
      const store = this.requireStore();
      // A backfill is many writes: the store compacts its journal once at the end, not every few batches.
      await store.bulk((bulkWrite, writeInSteps) => ingestDays({
        source,
        read: (fn) => this.requireStore().read(fn),
        write: bulkWrite,
        // Each day's SQL in tasks of its own: no write is a long task of the UI thread, on any device.
        writeInSteps,
        from,
        to,
        now,
        deviceId: this.deviceId,
        prefetched,
        // The frame with tonight's games first (at most a tenth of a second: a hidden tab paints no frame).
        afterToday: progress
          ? () => {
              this.endFirstVisitPreview();
              return afterPaint();
            }
          : undefined,
        // Provisional until bulk() has also settled its journal (below): "Log predictions" then meets a quiet store.
        onProgress: progress ? (done, total) => progress.report(done, total) : undefined,
      }));
      // bulk() may have ended in a compaction (a new base, same rows): the start-up slate follows it.
      if (this.lastSlate) this.rememberSlate(this.lastSlate);
      if (source === this.source) {
        this.sourceError = null;
        this.fetchedAt = now.getTime();
        setLastFetchAt(source.id, this.fetchedAt);
      }
    } catch (error) {
      if (source === this.source) this.sourceError = (error as Error).message;
    } finally {
      // Its fetches and writes are over (the slate below is only this one's last step): a refresh from now on is a
      // backfill of its own, not joined to this one (say, a Retry after it failed).
      if (progress && this.backfills.get(source.id) === progress) this.backfills.delete(source.id);
      this.endFirstVisitPreview();
      this.showBackfillWrites();
      // The first full slate, built in steps while the provisional one is still on screen: in one go it is a long task.
      if (progress?.owns && this.backfill !== null) await this.views.prepareSlate(this.today, yieldToUi);
      progress?.end();
      // A write while the slate was prepared (a sync merge) was held back as the backfill's: the views read it now.
      this.showBackfillWrites();
      this.lastBackfillRefresh = -Infinity;
    }
  }

  /** The views read again if a backfill's writes were held back from them (backfillWrote: at most one read a second). */
  private showBackfillWrites(): void {
    if (!this.backfillUnseen) return;
    this.backfillUnseen = false;
    this.dataVersion++;
  }

  /** Switches between the simulated league and live NBA data; each keeps its own stored games. */
  async setSource(id: string): Promise<void> {
    const next = this.sources.find((s) => s.id === id);
    if (!next || next === this.source) return;
    setPreferredSource(id);
    this.source = next;
    this.sourceError = null;
    this.reports.clear();
    this.reportsVersion++;
    this.reportsError = null;
    this.reportsAsOf = null;
    this.fetchedAt = lastFetchAt(id);
    this.dataVersion++;
    await this.refresh();
  }

  /**
   * Imports real game history the person already has: a season CSV (NBA season file columns) or the
   * original dashboard's nba_stats.db. Stored as live NBA data; its days are not fetched again.
   */
  async importHistory(file: { name: string; bytes: Uint8Array }): Promise<ImportedHistory> {
    const SQL = this.SQL;
    if (!SQL) throw new Error('The database is not open yet.');
    // The importers (and the CSV parser) load on first use: no one needs them to see a slate.
    const { importDashboardDb, importSeasonCsv } = await import('../sources/import/game-logs');
    const imported = /\.csv$/i.test(file.name)
      ? importSeasonCsv(new TextDecoder().decode(file.bytes))
      : importDashboardDb(SQL, file.bytes);
    const now = Date.now();
    await this.write((db) => {
      upsertTeams(db, TEAMS.map((t) => ({ ...t })));
      upsertPlayers(db, imported.players, LIVE_SOURCE_ID);
      upsertGames(db, imported.games, LIVE_SOURCE_ID);
      upsertGameLogs(db, imported.logs);
      for (const date of imported.dates) markSourceDay(db, LIVE_SOURCE_ID, date, true, now);
      scoreFinishedGames(db);
    });
    return imported;
  }

  /** Makes sure a date picked outside the stored window has its games. */
  async ensureDay(date: IsoDate): Promise<void> {
    if (!this.store || this.store.mode === 'read-only') return;
    // A refresh under way writes today before anything else (a first visit's empty slate asks for it meanwhile).
    if (date === this.today && this.refreshing > 0) return;
    await this.ingest(date, date, new Date(), null);
  }

  /**
   * Stores the predictions of the slate on screen for its games that have not started. Logging twice
   * changes nothing. The slate is rebuilt only if the data changed underneath it (another tab or a
   * refresh wrote since it was built); dates too far ahead are refused with the reason.
   */
  async logPredictions(view: SlateView): Promise<{ players: SaveCounts; games: SaveCounts }> {
    const now = new Date();
    const today = localIsoDate(now);
    const refusal = logRefusalFor(view.date, today, view.slate.games);
    if (refusal) throw new Error(refusal);
    return this.write((db) => {
      const store = this.requireStore();
      // Rebuilt with the same report and market the slate read model uses.
      const slate = store.contentGeneration === view.generation && !view.provisional ? view.slate : buildSlate(db, view.date, now, this.source.id, this.reportsFor(view.date, db));
      // A game may have tipped off since the slate was built.
      const open = { ...slate, games: slate.games.map((g) => ({ ...g, loggable: g.loggable && Date.parse(g.game.tipoff) > now.getTime() })) };
      const rows = predictionsToLog(open, { today, now: now.getTime(), deviceId: this.deviceId });
      return { players: savePredictions(db, rows.players), games: saveGamePredictions(db, rows.games) };
    });
  }

  async exportCsv(filter: HistoryFilter): Promise<string> {
    const { predictionsToCsv } = await import('../csv/predictions-csv');
    return predictionsToCsv(this.read((db) => listPredictions(db, toPredictionFilter(filter, this.source.id))) ?? []);
  }

  /** Merges an exported CSV back: new keys are added, newer rows replace older ones, bad lines are reported. */
  async importCsv(text: string): Promise<ImportReport> {
    const { parsePredictionsCsv } = await import('../csv/predictions-csv');
    const { predictions, rejected } = parsePredictionsCsv(text, Date.now());
    const counts = await this.write((db) => savePredictions(db, predictions, { keepNewer: true }));
    return { ...counts, rejected };
  }
}

/** Whether the store opened at exactly the state the start-up slate was built from. */
function previewMatches(preview: StartupView | null, store: DatabaseStore, persistence: Persistence): boolean {
  return preview !== null && store.mode === 'persistent' && store.currentGeneration === preview.generation && persistence.baseId() === preview.baseId;
}


export const app = new AppController();
