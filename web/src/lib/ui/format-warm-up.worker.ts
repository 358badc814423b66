// A dedicated worker that builds the app's time formatter once and ends. The first Intl.DateTimeFormat a browser
// process builds loads the locale's data (40–135 ms in headless Chromium 156, measured: one task of the UI thread);
// that data is cached for the whole process, so after this worker the page builds its own in a few ms. Answers
// 'done' (only a speed-up: the page builds its formatter all the same).
import { HOUR_MINUTE } from './format-options';

new Intl.DateTimeFormat([], HOUR_MINUTE).format(0);
self.postMessage('done');
self.close();
