// Deadlines for sync's requests (worker calls and presigned transfers): one rule for how long each may take.

/**
 * How long one request may take, its body included, before it is abandoned as failed (retried by the next round):
 * a stalled connection otherwise holds the round, and with it every later sync, until the page reloads. It only has
 * to end a stall, so it is generous: two minutes, plus the body at 2G speed (64 kbit/s, 8 KB/s), so a slow link
 * still finishes a 15 MB snapshot (32 minutes) instead of failing it on every retry.
 */
export function deadlineFor(bytes = 0): number {
  return 120_000 + Math.ceil((bytes / 8_000) * 1000);
}

/** A signal that aborts after `ms`, and the error message to give when it has. */
export function deadline(ms: number): { signal: AbortSignal; reason: (error: unknown) => string } {
  const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(ms) : timeoutSignal(ms);
  return { signal, reason: (error) => (signal.aborted ? `timed out after ${Number((ms / 1000).toFixed(1))} s` : (error as Error).message) };
}

/** AbortSignal.timeout where a browser lacks it (Safari before 16). */
function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException('The request timed out.', 'TimeoutError')), ms);
  return controller.signal;
}
