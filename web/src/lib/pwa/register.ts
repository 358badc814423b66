// Registers the service worker with workbox-window. A new version waits until the person presses
// "Update": the page never reloads under them by itself.
import { Workbox } from 'workbox-window';

export interface UpdateHandle {
  /** Activates the waiting version, then reloads once it controls the page. */
  apply(): void;
}

export function registerServiceWorker(onUpdateReady: (handle: UpdateHandle) => void): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  wb.addEventListener('waiting', () => {
    onUpdateReady({
      apply() {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    });
  });
  void wb.register();
}
