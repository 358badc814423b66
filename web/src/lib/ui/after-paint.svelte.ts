import { untrack } from 'svelte';

// Work split at paints, so that switching views is not one long task on a slow phone (measured under 4× CPU
// throttling: tearing down one view, building the next, its queries and the layout of both were one task of
// 150–250 ms). A piece put after a paint runs in a task of its own, and its layout in the frame after it.

/**
 * Resolves once the browser has painted the current state (a frame, then a task after it), or after 100 ms: a tab
 * in the background gets no frames, and what it shows must still catch up.
 */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100);
  });
}

/**
 * Follows `value()`, one paint late whenever it changes: at once `null` (what was shown for the old value goes,
 * without ever seeing the new value, and that is painted), then the new value in a task of its own. Call while a
 * component initialises.
 */
export class LaggingValue<T> {
  #settled = $state<T>() as T;
  #switched = $state(false);
  readonly #value: () => T;
  readonly current: T | null = $derived.by(() => {
    const value = this.#value();
    return value === this.#settled ? value : null;
  });

  constructor(value: () => T) {
    this.#value = value;
    this.#settled = value();
    $effect(() => {
      const next = value();
      if (next === untrack(() => this.#settled)) return;
      this.#switched = true;
      let live = true;
      void afterPaint().then(() => {
        if (live) this.#settled = next;
      });
      return () => {
        live = false;
      };
    });
  }

  /** Whether the value has changed since it was created (what is shown now came after a switch, not first). */
  get switched(): boolean {
    return this.#switched;
  }
}

/** Turns true after the first paint of the component that created it (call while a component initialises). */
export class PaintedOnce {
  #ready = $state(false);

  constructor() {
    $effect(() => {
      let live = true;
      void afterPaint().then(() => {
        if (live) this.#ready = true;
      });
      return () => {
        live = false;
      };
    });
  }

  get ready(): boolean {
    return this.#ready;
  }
}
