// The progress bar when backfills overlap (a source switch while the old source's backfill runs): CI saw
// "Log predictions" open mid-way through live data's backfill when the simulated league's, begun earlier, ended.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackfillProgress, type Progress, type ProgressRun } from '../../web/src/lib/app/backfill-progress';

function bar() {
  const shown: { now: Progress | null } = { now: null };
  return { shown, progress: new BackfillProgress((p) => (shown.now = p)) };
}

describe('BackfillProgress', () => {
  it('an older backfill ending does not clear the newer one’s bar', () => {
    const { shown, progress } = bar();
    const simulated = progress.begin();
    simulated.report(10, 62);
    const live = progress.begin();
    live.report(0, 467);
    simulated.report(62, 62);
    simulated.end();
    expect(shown.now).toEqual({ done: 0, total: 467 });
    live.report(40, 467);
    expect(shown.now).toEqual({ done: 40, total: 467 });
    live.end();
    expect(shown.now).toBeNull();
  });

  it('a running backfill takes the bar back when its source is shown again, and an ended one does not', () => {
    const { shown, progress } = bar();
    const live = progress.begin();
    live.report(100, 467);
    const simulated = progress.begin();
    simulated.report(5, 62);
    live.report(120, 467); // while the simulated league is shown
    expect(shown.now).toEqual({ done: 5, total: 62 });
    live.claim(); // back to live data
    expect(shown.now).toEqual({ done: 120, total: 467 });
    simulated.end();
    expect(shown.now).toEqual({ done: 120, total: 467 });
    live.end();
    live.claim();
    expect(shown.now).toBeNull();
    expect(live.owns).toBe(false);
  });

  it('says when a run last moved, and clear() leaves no bar and no owner', () => {
    let now = 1000;
    const shown: { now: Progress | null } = { now: null };
    const progress = new BackfillProgress((p) => (shown.now = p), () => now);
    const run = progress.begin();
    expect(run.reportedAt).toBe(1000);
    now = 5000;
    run.report(3, 62);
    expect(run.reportedAt).toBe(5000);
    progress.clear();
    expect(shown.now).toBeNull();
    expect(run.owns).toBe(false);
    run.report(4, 62);
    expect(shown.now).toBeNull();
  });

  it('a refresh of a few days shows no bar', () => {
    const { shown, progress } = bar();
    progress.begin().report(0, 2);
    expect(shown.now).toBeNull();
  });

  it('over random interleavings, the bar is the last report of the run that began or claimed it last, until that run ends', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('begin' as const) }),
      fc.record({ kind: fc.constant('report' as const), run: fc.nat(), done: fc.nat(500), total: fc.integer({ min: 0, max: 500 }) }),
      fc.record({ kind: fc.constant('end' as const), run: fc.nat() }),
      fc.record({ kind: fc.constant('claim' as const), run: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { shown, progress } = bar();
        const runs: ProgressRun[] = [];
        // The model: each run's last report and whether it ended; the owner is the last to begin or claim, until
        // it ends. The bar shows the owner's last report, and stays as it was when no run owns it.
        const model: { last: Progress | null; ended: boolean }[] = [];
        let owner: number | null = null;
        let expected: Progress | null = null;
        for (const s of steps) {
          if (s.kind === 'begin') {
            runs.push(progress.begin());
            model.push({ last: null, ended: false });
            owner = runs.length - 1;
            continue;
          }
          if (runs.length === 0) continue;
          const index = s.run % runs.length;
          const run = model[index];
          if (s.kind === 'report') {
            runs[index].report(s.done, s.total);
            run.last = s.total > 3 ? { done: s.done, total: s.total } : null;
            if (owner === index) expected = run.last;
          } else if (s.kind === 'claim') {
            runs[index].claim();
            if (!run.ended) [owner, expected] = [index, run.last];
          } else {
            runs[index].end();
            run.ended = true;
            if (owner === index) [owner, expected] = [null, null];
          }
          expect(shown.now).toEqual(expected);
          runs.forEach((r, i) => expect(r.owns).toBe(i === owner));
        }
      }),
    );
  });
});
