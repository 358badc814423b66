// Whether this device holds the offline copy of the app (its service worker): shown in Settings, so a person
// whose browser refused it (private mode, a policy, blocked service workers) knows the app needs the network.
export type OfflineCopyStatus = 'installing' | 'ready' | 'unavailable';

class OfflineCopyState {
  status = $state<OfflineCopyStatus>('installing');
  /** Why it is unavailable, in the person's terms. */
  reason = $state<string | null>(null);

  ready(): void {
    this.status = 'ready';
    this.reason = null;
  }

  unavailable(reason: string): void {
    this.status = 'unavailable';
    this.reason = reason;
  }
}

export const offlineCopy = new OfflineCopyState();
