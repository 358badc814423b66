// Times as the person's locale writes them, with one formatter made once: each toLocaleTimeString call with options
// builds a formatter of its own, and the first one a page builds loads the locale's data (20–40 ms on the UI thread
// in headless Chromium, measured), so warmFormats builds it in a task of its own before the first slate renders.

let hourMinute: Intl.DateTimeFormat | undefined;

/** "7:30 PM" (or "19:30"), in the local time zone: the same as toLocaleTimeString([], { hour, minute }). */
export function timeOfDay(at: Date): string {
  hourMinute ??= new Intl.DateTimeFormat([], { hour: 'numeric', minute: '2-digit' });
  return hourMinute.format(at);
}

/** Builds the formatter now, so that the first slate's render does not. */
export function warmFormats(): void {
  timeOfDay(new Date(0));
}
