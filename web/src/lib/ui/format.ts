// Times as the person's locale writes them, with one formatter made once: each toLocaleTimeString call with options
// builds a formatter of its own, and the first one a page builds loads the locale's data (20–40 ms on the UI thread
// in headless Chromium, measured), so warmFormats builds it in a task of its own before the first slate renders.
// A formatter keeps the time zone it was made in: it is made again when the device's zone changes (travel).

let hourMinute: { formatter: Intl.DateTimeFormat; zone: string } | undefined;

/** The local zone, told apart by its offsets in January and July (cheap: no formatter is made). */
const zoneKey = () => `${new Date(2026, 0, 1).getTimezoneOffset()}/${new Date(2026, 6, 1).getTimezoneOffset()}`;

/** "7:30 PM" (or "19:30"), in the local time zone: the same as toLocaleTimeString([], { hour, minute }). */
export function timeOfDay(at: Date): string {
  const zone = zoneKey();
  if (hourMinute?.zone !== zone) hourMinute = { formatter: new Intl.DateTimeFormat([], { hour: 'numeric', minute: '2-digit' }), zone };
  return hourMinute.formatter.format(at);
}

/** Builds the formatter now, so that the first slate's render does not. */
export function warmFormats(): void {
  timeOfDay(new Date(0));
}
