// Whose progress the "Loading game history" bar shows when two backfills overlap.
//
// A source switch starts the new source's backfill while the old source's still runs (its days are still worth
// storing). The bar, and "Log predictions" held back while it shows, belong to the backfill of the source on screen:
// the latest to start, or one taken back by a switch back to its source (claim). Another one's reports and its end
// must not show over it, or logging opens on a slate still half loaded.

export interface Progress {
  done: number;
  total: number;
}

/** One backfill's hold on the bar. */
export interface ProgressRun {
  /** Shows this run's progress, if it still owns the bar. A few days are no backfill: they show no bar. */
  report(done: number, total: number): void;
  /** Takes the bar back (its source is shown again while it still runs), showing its last report; not once ended. */
  claim(): void;
  /** Whether this run still owns the bar (no later run has begun or claimed it, and it has not ended). */
  readonly owns: boolean;
  /** When it began or last reported (the clock given to BackfillProgress): a run long silent is stuck. */
  readonly reportedAt: number;
  /** Clears the bar, if this run still owns it. */
  end(): void;
}

/** Fewer days than this to load show no progress bar (an ordinary refresh of today and yesterday). */
const MORE_THAN_DAYS = 3;

export class BackfillProgress {
  private owner: object | null = null;

  constructor(
    private readonly show: (progress: Progress | null) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** No bar, and no run owns it (nothing will load: the start failed, or the data is read-only). */
  clear(): void {
    this.owner = null;
    this.show(null);
  }

  /** The latest run to begin (or claim the bar) owns it from now on; another run's reports and end do nothing. */
  begin(): ProgressRun {
    const token = {};
    this.owner = token;
    const owns = () => this.owner === token;
    let last: Progress | null = null;
    let ended = false;
    let reportedAt = this.clock();
    return {
      report: (done, total) => {
        last = total > MORE_THAN_DAYS ? { done, total } : null;
        reportedAt = this.clock();
        if (owns()) this.show(last);
      },
      claim: () => {
        if (ended) return;
        this.owner = token;
        this.show(last);
      },
      get owns() {
        return owns();
      },
      get reportedAt() {
        return reportedAt;
      },
      end: () => {
        ended = true;
        if (!owns()) return;
        this.owner = null;
        this.show(null);
      },
    };
  }
}
