// The installable, offline app: the browser's install prompt, the service worker and its updates.
export { install } from './install.svelte';
export { offlineCopy, type OfflineCopyStatus } from './offline.svelte';
export { registerServiceWorker, type UpdateHandle } from './register';
