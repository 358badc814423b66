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
  if (import.meta.env.DEV) return offlineCopy.unavailable('not in development builds');
  if (!('serviceWorker' in navigator)) return offlineCopy.unavailable('this browser has no service workers');
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  wb.addEventListener('waiting', () => {
    onUpdateReady({
      apply() {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    });
  });
  wb.addEventListener('activated', () => offlineCopy.ready());
  wb.register().then(
    (registration) => {
      if (!registration) offlineCopy.unavailable('the browser did not register the service worker');
      else if (registration.active) offlineCopy.ready();
    },
    (error: unknown) => {
      // The browser's own words are for developers; the person is told what it means for them.
      console.warn('Service worker registration failed:', error);
      offlineCopy.unavailable('the browser refused to set it up');
    },
  );
}
