/** The options of the app's time-of-day formatter (format.ts), shared with its warm-up worker. */
export const HOUR_MINUTE: Readonly<Intl.DateTimeFormatOptions> = { hour: 'numeric', minute: '2-digit' };
