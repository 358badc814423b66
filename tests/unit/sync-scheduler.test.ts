import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncScheduler, type SyncPhase } from '../../web/src/lib/sync/scheduler';

describe('SyncScheduler (fake clock)', () => {
  let runs = 0;
  let online = true;
  let fail: Error | null = null;
  let phases: SyncPhase[] = [];
  const make = (extra = {}) =>
    new SyncScheduler({
      run: async () => {
        runs++;
        if (fail) throw fail;
      },
      isOnline: () => online,
      onPhase: (p) => phases.push(p),
      clock: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never), random: () => 0.5 },
      ...extra,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    runs = 0;
    online = true;
    fail = null;
    phases = [];
  });
  afterEach(() => vi.useRealTimers());

  it('syncs on start and then every five minutes', async () => {
    const s = make();
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toBe(4);
    s.stop();
  });

  it('a change made while a sync is in flight syncs after the debounce, not after the five-minute timer', async () => {
    let release: () => void = () => {};
    const s = make({
      run: async () => {
        runs++;
        if (runs === 1) await new Promise<void>((r) => (release = r));
      },
    });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1); // in flight
    s.notifyChange(); // a write lands meanwhile
    release();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(2);
    s.stop();
  });

  it('debounces a burst of local changes into one sync', async () => {
    const s = make();
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 20; i++) {
      s.notifyChange();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(2);
    s.stop();
  });

  it('retries failures with exponential backoff, then returns to the interval', async () => {
    const s = make();
    fail = new Error('S3 down');
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(phases.at(-1)).toBe('error');
    // random() = 0.5 → factor 1: retries after 2 s, 4 s, 8 s.
    await vi.advanceTimersByTimeAsync(1_999);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(runs).toBe(3);
    fail = null;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(runs).toBe(4);
    expect(phases.at(-1)).toBe('synced');
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(runs).toBe(5);
    s.stop();
  });

  it('reports when the next automatic try is due, and nothing once stopped', async () => {
    const scheduled: (number | null)[] = [];
    fail = new Error('down');
    const s = make({ onScheduled: (ms: number | null) => scheduled.push(ms) });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduled.at(-1)).toBe(2_000); // first retry: 2 s × jitter 1.0
    await vi.advanceTimersByTimeAsync(2_000);
    expect(scheduled.at(-1)).toBe(4_000);
    fail = null;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(scheduled.at(-1)).toBe(5 * 60_000);
    s.stop();
    expect(scheduled.at(-1)).toBeNull();
  });

  it('backoff is capped and jittered', () => {
    const s = make();
    expect(s.backoffMs(1)).toBe(2_000);
    expect(s.backoffMs(30)).toBe(5 * 60_000);
    const jittered = new SyncScheduler({
      run: async () => {}, isOnline: () => true, onPhase: () => {},
      clock: { setTimeout, clearTimeout, random: () => 0 },
    });
    expect(jittered.backoffMs(3)).toBe(4_000);
  });

  it('waits for the online event instead of retrying while offline', async () => {
    online = false;
    const s = make();
    s.start();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs).toBe(0);
    expect(phases).toEqual(['offline']);
    online = true;
    s.notifyOnline();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    s.stop();
  });

  it('a sync requested while one runs happens right after it, once', async () => {
    let release!: () => void;
    const s = new SyncScheduler({
      run: () => new Promise<void>((r) => ((release = r), runs++)),
      isOnline: () => true,
      onPhase: () => {},
    });
    s.start();
    void s.syncNow();
    void s.syncNow();
    expect(runs).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2);
    s.stop();
  });
});
