// Times as the person's locale writes them, with one formatter made once: each toLocaleTimeString call with options
// builds a formatter of its own, and the first one a browser process builds loads the locale's data (40–135 ms on
// the UI thread in headless Chromium 156, measured). So on a first visit the page's first script starts a worker
// that builds one (format-warm-up.worker.ts: the data is cached for the whole process), and warmFormats builds the
// page's own after it has answered (or after FORMAT_WARM_UP_WAIT_MS), in a task of its own, before the first slate
// renders.
// A formatter keeps the time zone it was made in: it is made again when the device's zone changes (travel).
import { HOUR_MINUTE } from './format-options';

let hourMinute: { formatter: Intl.DateTimeFormat; zone: string } | undefined;

/** The local zone, told apart by its offsets in January and July (cheap: no formatter is made). */
const zoneKey = () => `${new Date(2026, 0, 1).getTimezoneOffset()}/${new Date(2026, 6, 1).getTimezoneOffset()}`;

/** "7:30 PM" (or "19:30"), in the local time zone: the same as toLocaleTimeString([], { hour, minute }). */
export function timeOfDay(at: Date): string {
  const zone = zoneKey();
  if (hourMinute?.zone !== zone) hourMinute = { formatter: new Intl.DateTimeFormat([], HOUR_MINUTE), zone };
  return hourMinute.formatter.format(at);
}

/** How long warmFormats waits at most for the warm-up worker (its answer usually comes before the entry has run). */
export const FORMAT_WARM_UP_WAIT_MS = 300;

let warmedUp: Promise<void> = Promise.resolve();

/**
 * Starts the worker that loads the locale's data off the UI thread (the page's first script calls it). Never
 * throws: without workers, or when the worker cannot load, warmFormats builds the formatter as before.
 */
export function startFormatWarmUp(): void {
  // A page the service worker controls is a return visit: bench-app's warm reloads came 20–30 ms later with the
  // worker (its script and thread start compete with the start-up's own), so it runs on a first visit only.
  if (typeof navigator !== 'undefined' && navigator.serviceWorker?.controller) return;
  try {
    const worker = new Worker(new URL('./format-warm-up.worker.ts', import.meta.url), { type: 'module' });
    warmedUp = new Promise<void>((resolve) => {
      worker.onmessage = () => resolve();
      worker.onerror = () => resolve();
    });
  } catch {
    // No worker here: the page loads the data itself.
  }
}

/** Builds the formatter (after the warm-up worker, if any, or at most FORMAT_WARM_UP_WAIT_MS), so that the first slate's render does not. */
export async function warmFormats(): Promise<void> {
  await Promise.race([warmedUp, new Promise((resolve) => setTimeout(resolve, FORMAT_WARM_UP_WAIT_MS))]);
  timeOfDay(new Date(0));
}
