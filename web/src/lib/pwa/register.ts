// Registers the service worker with workbox-window. A new version waits until the person presses
// "Update": the page never reloads under them by itself. A refused registration is not an error of the app:
// it keeps working online, and Settings says offline use is off (offlineCopy).
import { Workbox } from 'workbox-window';
import { offlineCopy } from './offline.svelte';

export interface UpdateHandle {
  /** Activates the waiting version, then reloads once it controls the page. */
  apply(): void;
}

export function registerServiceWorker(onUpdateReady: (handle: UpdateHandle) => void): void {
  if (import.meta.env.DEV) return offlineCopy.unavailable('development builds have none');
  if (!('serviceWorker' in navigator)) return offlineCopy.unavailable('this window cannot keep it, as in private browsing');
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  wb.addEventListener('waiting', () => {
    onUpdateReady({
      apply() {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    });
  });
  const refused = (error?: unknown) => {
    // The browser's own words are for developers; the person is told what it means for them.
    if (error !== undefined) console.warn('Service worker registration failed:', error);
    offlineCopy.unavailable('the browser refused to set it up');
  };
  wb.register().then((registration) => {
    if (!registration) return refused();
    // Ready once any version is active, whichever tab installed it (a second tab never sees this one's install).
    void navigator.serviceWorker.ready.then(() => offlineCopy.ready());
    // An install that fails (a file of the app not fetched, storage full) leaves the worker redundant.
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'redundant' && !registration.active) offlineCopy.unavailable('setting it up failed; it is tried again at the next visit');
    });
  }, refused);
}
