// The ways a sync round fails, told apart because each is handled differently: a network error is retried
// with backoff; remote data this app cannot use is reported and not retried as if the network were at fault;
// giving up after losing every race is reported as such, never as "Synced".

/** The network or storage failed (including a short or altered download): retry later; nothing was judged. */
export class SyncHttpError extends Error {
  override name = 'SyncHttpError';
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/**
 * An object of the chain (or a backup) could not be used: written by a newer app ('newer': update the app,
 * touch nothing), not readable ('damaged'), or not mergeable into this database ('unmergeable').
 */
export class RemoteDataError extends Error {
  override name = 'RemoteDataError';
  constructor(
    message: string,
    readonly kind: 'newer' | 'damaged' | 'unmergeable',
    readonly seq: number | null = null,
  ) {
    super(message);
  }
}

/** Other devices kept winning the race for the next seq: this device's changes are not uploaded yet. */
export class GaveUpError extends Error {
  override name = 'GaveUpError';
}
