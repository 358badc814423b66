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
