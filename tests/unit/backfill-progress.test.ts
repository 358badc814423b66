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

  it('a refresh of a few days shows no bar', () => {
    const { shown, progress } = bar();
    progress.begin().report(0, 2);
    expect(shown.now).toBeNull();
  });

  it('over random interleavings, the bar is the latest run’s last report until that run ends', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('begin' as const) }),
      fc.record({ kind: fc.constant('report' as const), run: fc.nat(), done: fc.nat(500), total: fc.integer({ min: 0, max: 500 }) }),
      fc.record({ kind: fc.constant('end' as const), run: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { shown, progress } = bar();
        const runs: ProgressRun[] = [];
        // The model: the latest run's state, whatever the older ones do.
        let latestEnded = false;
        let expected: Progress | null = null;
        for (const s of steps) {
          if (s.kind === 'begin') {
            runs.push(progress.begin());
            latestEnded = false;
            continue;
          }
          if (runs.length === 0) continue;
          const index = s.run % runs.length;
          const isLatest = index === runs.length - 1;
          if (s.kind === 'report') {
            runs[index].report(s.done, s.total);
            if (isLatest && !latestEnded) expected = s.total > 3 ? { done: s.done, total: s.total } : null;
          } else {
            runs[index].end();
            if (isLatest && !latestEnded) {
              latestEnded = true;
              expected = null;
            }
          }
          expect(shown.now).toEqual(expected);
          runs.forEach((run, i) => expect(run.owns).toBe(i === runs.length - 1 && !latestEnded));
        }
      }),
    );
  });
});
