// Per-device settings kept in localStorage: they describe this device, so they never sync.
const DEVICE_KEY = 'nba-daily:device-id';
const SOURCE_KEY = 'nba-daily:source';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** A stable random id for this browser profile; it tags every row this device writes. */
export function deviceId(): string {
  const s = storage();
  const existing = s?.getItem(DEVICE_KEY);
  if (existing) return existing;
  const id = crypto.randomUUID();
  try {
    s?.setItem(DEVICE_KEY, id);
  } catch {
    // Storage refused (private mode): the id lives for this tab only, which is all that mode allows anyway.
  }
  return id;
}

export function preferredSource(): string {
  return storage()?.getItem(SOURCE_KEY) ?? 'simulated';
}

export function setPreferredSource(id: string): void {
  try {
    storage()?.setItem(SOURCE_KEY, id);
  } catch {
    // Not persisted; the choice still applies to this session.
  }
}

const fetchKey = (sourceId: string) => `nba-daily:fetched-at:${sourceId}`;

/** When this device last heard from a source (shown as the age of what is on screen). */
export function lastFetchAt(sourceId: string): number | null {
  const value = Number(storage()?.getItem(fetchKey(sourceId)) ?? NaN);
  return Number.isFinite(value) ? value : null;
}

export function setLastFetchAt(sourceId: string, at: number): void {
  try {
    storage()?.setItem(fetchKey(sourceId), String(at));
  } catch {
    // Only the "as of" label is lost.
  }
}
