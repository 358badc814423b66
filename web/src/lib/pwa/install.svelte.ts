// "Install the app": the browser's own prompt where it offers one (beforeinstallprompt, Chromium), and
// the Share → Add to Home Screen steps on iOS Safari, which has no prompt.
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

class InstallState {
  /** The deferred prompt, or null when the browser has not offered one. */
  private deferred = $state<BeforeInstallPromptEvent | null>(null);
  installed = $state(false);

  get canPrompt(): boolean {
    return this.deferred !== null;
  }

  /** iPhone/iPad Safari not yet installed: show the manual steps. */
  get iosSteps(): boolean {
    if (typeof navigator === 'undefined') return false;
    const ios = /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
    return ios && !this.standalone;
  }

  get standalone(): boolean {
    return typeof matchMedia !== 'undefined' && (matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true);
  }

  listen(): void {
    window.addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault(); // keep it for our button instead of the mini-infobar
      this.deferred = event as BeforeInstallPromptEvent;
    });
    window.addEventListener('appinstalled', () => {
      this.installed = true;
      this.deferred = null;
    });
  }

  async prompt(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
    const event = this.deferred;
    if (!event) return 'unavailable';
    this.deferred = null; // a prompt can be shown once
    await event.prompt();
    return (await event.userChoice).outcome;
  }
}

export const install = new InstallState();
