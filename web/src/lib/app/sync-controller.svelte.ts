// Sync as the UI sees it: configuration, status, and the buttons' actions. The protocol lives in lib/sync.
import type { Database, SqlJsStatic } from 'sql.js';
import type { DatabaseStore } from '../db/store';
import { databaseId, pendingCount } from '../db/changes';
import { completedPredictionDates, listPredictions } from '../db/predictions-repo';
import {
  type BackupInfo,
  GaveUpError,
  idbSyncState,
  loadWorkerConfig,
  mergeDatabase,
  openRemoteDatabase,
  parseWorkerConfig,
  presignedGet,
  presignedPut,
  RemoteDataError,
  replaceWithBackup,
  saveWorkerConfig,
  type StoredWorkerConfig,
  SyncHttpError,
  type SyncOutcome,
  SyncScheduler,
  type SyncPhase,
  type SyncState,
  syncRound,
  WorkerApi,
  WorkerChain,
} from '../sync';

/** Why a synced update was skipped, in the words the Settings screen uses. */
const SKIPPED_REASON: Record<RemoteDataError['kind'], string> = {
  newer: 'written by a newer version of the app',
  damaged: 'damaged',
  unmergeable: 'could not be merged',
};

/** fetch called unbound throws "Illegal invocation" in browsers: always call it through this. */
const browserFetch: typeof fetch = (...args) => fetch(...args);

export class SyncController {
  config = $state<StoredWorkerConfig | null>(loadWorkerConfig());
  phase = $state<SyncPhase | 'off'>('off');
  error = $state<string | null>(null);
  lastSyncAt = $state<number | null>(null);
  remoteSeq = $state<number | null>(null);
  unsynced = $state(false);
  /** Rows changed here that the chain does not hold yet (change tracking's exact count). */
  pendingChanges = $state(0);
  backups = $state<BackupInfo[]>([]);
  /** When the scheduler will next try on its own (a retry after a failure, or the periodic sync), or null. */
  nextSyncAt = $state<number | null>(null);
  /** Something the person should know even though the sync itself succeeded. */
  warning = $state<string | null>(null);

  private scheduler: SyncScheduler | null = null;
  private readonly state = idbSyncState();

  constructor(
    private readonly store: DatabaseStore,
    private readonly SQL: SqlJsStatic,
    private readonly deviceId: string,
  ) {}

  /** Reads a one-time `#connect=<base64 JSON>` link (printed by `npm start`), stores it and clears the URL. */
  static takeConnectLink(): StoredWorkerConfig | null {
    const match = /[#&]connect=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (!match) return null;
    try {
      const json = JSON.parse(atob(match[1].replace(/-/g, '+').replace(/_/g, '/')));
      const config = parseWorkerConfig(json);
      if (config) saveWorkerConfig(config);
      return config;
    } catch {
      return null;
    } finally {
      history.replaceState(null, '', location.pathname + location.search + '#/today');
    }
  }

  async start(): Promise<void> {
    const s = await this.state.load();
    this.lastSyncAt = s.lastSyncAt;
    this.remoteSeq = s.applied || null;
    this.refreshUnsynced(s);
    // Every committed local change (a logged slate, an import, a finished game's box score) syncs soon after.
    this.store.subscribe(() => this.notifyChange());
    window.addEventListener('online', () => this.scheduler?.notifyOnline());
    if (this.config) this.startScheduler();
  }

  stop(): void {
    this.scheduler?.stop();
  }

  connect(workerUrl: string, token: string): string | null {
    const config = parseWorkerConfig({ workerUrl: workerUrl.trim(), token: token.trim() });
    if (!config) return 'Enter the worker URL (http:// or https://) and the token you were given (at least 16 characters).';
    saveWorkerConfig(config);
    this.config = config;
    this.startScheduler();
    return null;
  }

  disconnect(): void {
    this.scheduler?.stop();
    this.scheduler = null;
    saveWorkerConfig(null);
    this.config = null;
    this.nextSyncAt = null;
    this.phase = 'off';
    this.error = null;
  }

  private notifyChange(): void {
    void this.state.load().then((st) => this.refreshUnsynced(st));
    this.scheduler?.notifyChange();
  }

  syncNow(): Promise<void> {
    return this.scheduler?.syncNow() ?? Promise.resolve();
  }

  /** A backup is a server-side copy of a snapshot: this device writes one of the head first if none is there. */
  async backUpNow(): Promise<string> {
    const api = this.api();
    await this.syncNow();
    await this.exclusive(() => this.round({ forceSnapshot: true }));
    const { backup } = await api.createBackup();
    await this.loadBackups();
    return `Backed up version ${backup.seq} (taken ${new Date(backup.time).toLocaleString()}).`;
  }

  async loadBackups(): Promise<void> {
    this.backups = await this.api().listBackups();
  }

  /** Merges a backup into the local database (nothing local is lost); the result syncs like any change. */
  async restoreMerge(name: string): Promise<string> {
    const report = await this.withBackup(name, (db, backup) => mergeDatabase(db, backup));
    return `Restored the backup taken ${this.backupTaken(name)}: ${report.predictions.inserted} predictions added, ${report.predictions.updated} updated.`;
  }

  /** Makes the backup's predictions the truth on every device: rows it lacks are deleted (as tombstones). */
  async restoreReplace(name: string): Promise<string> {
    const report = await this.withBackup(name, (db, backup) => replaceWithBackup(db, backup));
    return `Replaced with the backup taken ${this.backupTaken(name)}: ${report.restored} predictions restored, ${report.tombstoned} removed.`;
  }

  /** How the UI names a backup: when it was taken (its key is an internal name). */
  private backupTaken(name: string): string {
    const backup = this.backups.find((b) => b.name === name);
    return backup ? new Date(backup.time).toLocaleString() : name;
  }

  private async withBackup<T>(name: string, apply: (db: Database, backup: Database) => T): Promise<T> {
    const grant = await this.api().backupUrl(name);
    const packed = await presignedGet(browserFetch, { url: grant.url, size: grant.size });
    const backup = await openRemoteDatabase(this.SQL, packed, `The backup ${name}`);
    try {
      return await this.store.write((db) => apply(db, backup));
    } finally {
      backup.close();
    }
  }

  private api(): WorkerApi {
    if (!this.config) throw new Error('Sync is not set up.');
    return new WorkerApi(this.config);
  }

  /** Unsynced = rows changed here that the chain does not hold yet (state of another database counts as none synced). */
  private refreshUnsynced(s: SyncState): void {
    this.pendingChanges = this.store.read((db) => pendingCount(db, s.dbId === databaseId(db) ? s.uploadedThrough : 0));
    this.unsynced = this.pendingChanges > 0;
  }

  private startScheduler(): void {
    this.scheduler?.stop();
    this.scheduler = new SyncScheduler({
      run: () => this.runExclusive(),
      isOnline: () => navigator.onLine,
      onPhase: (phase, error) => {
        this.phase = phase;
        this.error = error ? error.message : null;
      },
      onScheduled: (delayMs) => (this.nextSyncAt = delayMs === null ? null : Date.now() + delayMs),
      retryable: (error) => !(error instanceof RemoteDataError) && !(error instanceof SyncHttpError && error.status === 401),
    });
    this.scheduler.start();
  }

  private async round(options: { forceSnapshot?: boolean } = {}): Promise<SyncOutcome> {
    const chain = new WorkerChain(this.api());
    const started = performance.now();
    try {
      return await syncRound({ chain, store: this.store, SQL: this.SQL, state: this.state, now: Date.now, ...options });
    } finally {
      // Read by scripts/bench-app.mjs: how long a sync round takes (its longest UI-thread task is measured there).
      performance.measure('nba-daily:sync-round', { start: started });
    }
  }

  /** One sync at a time across this device's tabs; a tab that finds the lock taken leaves it to the other. */
  private async exclusive(fn: () => Promise<unknown>): Promise<void> {
    if (!navigator.locks) {
      await fn();
      return;
    }
    await navigator.locks.request('nba-daily-sync', { ifAvailable: true }, async (lock) => (lock ? fn() : undefined));
  }

  private async runExclusive(): Promise<void> {
    await this.exclusive(async () => {
      let outcome: SyncOutcome;
      try {
        outcome = await this.round();
      } catch (error) {
        if (error instanceof GaveUpError) this.warning = null;
        throw error;
      } finally {
        const s = await this.state.load();
        this.lastSyncAt = s.lastSyncAt;
        this.remoteSeq = s.applied || null;
        this.refreshUnsynced(s);
      }
      this.warning = outcome.skipped.length
        ? `Skipped ${outcome.skipped.length} synced update(s) this app could not use (${outcome.skipped.map((x) => `version ${x.seq}: ${SKIPPED_REASON[x.kind]}`).join(', ')}). Nothing was overwritten; the devices that wrote them send their changes again.`
        : null;
      const s = await this.state.load();
      if (s.lastBackupDay !== new Date().toISOString().slice(0, 10)) await this.dailyBackup();
      await this.uploadDayCsvs();
    });
  }

  /**
   * A human-readable CSV of each completed day's predictions goes to the bucket once (create-only),
   * a safety copy readable without the app.
   */
  private async uploadDayCsvs(): Promise<void> {
    const s = await this.state.load();
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const done = new Set(s.csvDays);
    const days = this.store.read((db) => completedPredictionDates(db, since)).filter((d) => !done.has(d));
    if (days.length === 0) return;
    // The CSV writer loads when there is a day to write (not in the entry chunk).
    const { predictionsToCsv } = await import('../csv/predictions-csv');
    for (const day of days) {
      const csv = new TextEncoder().encode(predictionsToCsv(this.store.read((db) => listPredictions(db, { from: day, to: day }))));
      const grant = await this.api().csvUpload(day, csv.length);
      try {
        await presignedPut(browserFetch, grant, csv); // 'exists' (412) is fine: the copy is there
      } catch {
        break; // try again after the next sync
      }
      done.add(day);
    }
    await this.state.update((st) => ({ ...st, csvDays: [...new Set([...st.csvDays, ...done])].filter((d) => d >= since).sort() }));
  }

  /** The first sync of each UTC day also keeps a backup (server-side copy; no upload). */
  private async dailyBackup(): Promise<void> {
    try {
      await this.api().createBackup(true);
      await this.state.update((st) => ({ ...st, lastBackupDay: new Date().toISOString().slice(0, 10) }));
    } catch {
      // Not worth failing the sync for: the next sync tries again.
    }
  }
}
