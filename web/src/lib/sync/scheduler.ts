// When to sync: on start, a few seconds after local changes (so logging a slate is one upload), every five
// minutes, when the network comes back, and on demand. Failures retry with exponential backoff and jitter.
// Timers and randomness are injected so tests drive it with a fake clock.

export type SyncPhase = 'idle' | 'syncing' | 'synced' | 'offline' | 'error';

export interface SchedulerClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export interface SchedulerOptions {
  run: () => Promise<void>;
  isOnline: () => boolean;
  onPhase: (phase: SyncPhase, error: Error | null) => void;
  clock?: SchedulerClock;
  intervalMs?: number;
  debounceMs?: number;
  /** Told the delay of the next automatic run when one is set, null when none is pending (for "next try at"). */
  onScheduled?: (delayMs: number | null) => void;
  /** Whether an error is worth retrying (auth and version problems are not). */
  retryable?: (error: Error) => boolean;
}

export const SYNC_INTERVAL_MS = 5 * 60_000;
export const CHANGE_DEBOUNCE_MS = 3_000;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

const realClock: SchedulerClock = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  random: Math.random,
};

export class SyncScheduler {
  private readonly clock: SchedulerClock;
  private timer: unknown = null;
  /** What the pending timer is for: a finished sync must not replace a pending debounce with the long interval. */
  private timerKind: 'debounce' | 'interval' | 'retry' | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? realClock;
  }

  start(): void {
    this.stopped = false;
    void this.syncNow();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  /** A local write happened: sync soon, once the burst of writes is over. */
  notifyChange(): void {
    if (this.stopped || this.failures > 0) return; // a pending retry will carry the change
    this.schedule(this.options.debounceMs ?? CHANGE_DEBOUNCE_MS, 'debounce');
  }

  /** The browser is back online. */
  notifyOnline(): void {
    if (!this.stopped) void this.syncNow();
  }

  /** Runs a sync now (or right after the one in flight) and resolves when it is done. */
  syncNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.cancelTimer();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (!this.options.isOnline()) {
      this.options.onPhase('offline', null);
      return Promise.resolve(); // notifyOnline() resumes
    }
    this.running = this.runOnce().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.syncNow();
      }
    });
    return this.running;
  }

  private async runOnce(): Promise<void> {
    this.options.onPhase('syncing', null);
    try {
      await this.options.run();
      this.failures = 0;
      this.options.onPhase('synced', null);
      // A change that arrived during the sync keeps its short debounce.
      if (this.timerKind !== 'debounce') this.schedule(this.options.intervalMs ?? SYNC_INTERVAL_MS, 'interval');
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      if (!this.options.isOnline()) {
        this.options.onPhase('offline', err);
        return;
      }
      this.failures++;
      this.options.onPhase('error', err);
      const retry = this.options.retryable?.(err) ?? true;
      this.schedule(retry ? this.backoffMs() : this.options.intervalMs ?? SYNC_INTERVAL_MS, 'retry');
    }
  }

  /** 2 s, 4 s, 8 s … capped at 5 min, each scaled by a random factor in [0.5, 1.5) so devices spread out. */
  backoffMs(failures = this.failures): number {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
    return Math.round(base * (0.5 + this.clock.random()));
  }

  private schedule(ms: number, kind: 'debounce' | 'interval' | 'retry'): void {
    if (this.stopped) return;
    this.cancelTimer();
    this.timerKind = kind;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.timerKind = null;
      this.options.onScheduled?.(null);
      void this.syncNow();
    }, ms);
    this.options.onScheduled?.(ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.options.onScheduled?.(null);
    }
    this.timer = null;
    this.timerKind = null;
  }
}
