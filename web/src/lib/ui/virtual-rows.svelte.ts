// Windowed rows for a long scrollable table, by @tanstack/virtual-core: only the rows in and near view are
// in the DOM, so a sort or a filter re-draws a few dozen rows instead of the whole list (Chromium's layout
// of a 2,000-cell table was most of a sort's time). The table stays a table: the component gives every
// drawn row its place (aria-rowindex) and the table the full count (aria-rowcount), and fills the rows
// that are not drawn with spacer heights so the scrollbar is true.
import { Virtualizer, defaultRangeExtractor, elementScroll, observeElementOffset, observeElementRect, type Range, type VirtualItem } from '@tanstack/virtual-core';

export interface RowWindow {
  /** The rows to draw, in order; `start`/`end` are pixel offsets from the top of the first row. */
  items: VirtualItem[];
  /** Height of all rows, drawn or not. */
  total: number;
}

export class VirtualRows {
  /** Bumped whenever the virtualizer says the window moved (scroll, resize, a row measured). */
  #version = $state(0);
  /** A focused row (and its neighbours) stays drawn while scrolled out of view, so keyboard focus is never dropped. */
  #pinned = $state(-1);
  #virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  #options: ConstructorParameters<typeof Virtualizer<HTMLElement, HTMLElement>>[0];
  #count: () => number;
  /** Height assumed for rows not drawn yet: the caller's guess until the first row is measured. */
  #typical: number;
  #typicalMeasured = false;

  readonly window: RowWindow = $derived.by(() => {
    void this.#version;
    const pinned = this.#pinned;
    const count = this.#count();
    // A new extractor when the pinned row changes: the virtualizer recomputes its indexes on a new function.
    // The focused row's neighbours too, so Tab and Shift+Tab go on to the next row, not to the window.
    const rangeExtractor = (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (pinned < 0) return indexes;
      const kept = [pinned - 1, pinned, pinned + 1].filter((i) => i >= 0 && i < count && !indexes.includes(i));
      return kept.length ? [...indexes, ...kept].sort((a, b) => a - b) : indexes;
    };
    // setOptions only stores the options (it notifies no one), so it is safe while deriving.
    this.#virtualizer.setOptions({ ...this.#options, count, rangeExtractor });
    return { items: this.#virtualizer.getVirtualItems(), total: this.#virtualizer.getTotalSize() };
  });

  /** Call while a component initialises: the virtualizer mounts and unmounts with it. */
  constructor(options: { count: () => number; scrollElement: () => HTMLElement | null | undefined; estimateRowHeight: number; overscan: number }) {
    this.#count = options.count;
    this.#typical = options.estimateRowHeight;
    this.#options = {
      count: 0,
      getScrollElement: () => options.scrollElement() ?? null,
      estimateSize: () => this.#typical,
      overscan: options.overscan,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.#version++,
    };
    this.#virtualizer = new Virtualizer({ ...this.#options });
    $effect(() => this.#virtualizer._didMount());
    // After each update of the window (and once the scroll element exists): let the virtualizer attach to it.
    $effect(() => {
      void this.window;
      this.#virtualizer._willUpdate();
    });
  }

  /** A Svelte action for each drawn row (which carries data-index): its real height replaces the estimate. */
  measure = (row: HTMLElement) => {
    if (!this.#typicalMeasured) {
      // Rows of one table are about the same height (phone and desktop differ): the first sets the estimate,
      // so the scrollbar is right from the start instead of shrinking as rows are seen.
      this.#typicalMeasured = true;
      const height = row.getBoundingClientRect().height;
      if (height > 0 && Math.abs(height - this.#typical) > 0.5) {
        this.#typical = height;
        this.#virtualizer.measure();
      }
    }
    this.#virtualizer.measureElement(row);
  };

  /** Keep the row at this index and its neighbours drawn while it (or something in it) has focus; -1 to release. */
  pin(index: number) {
    this.#pinned = index;
  }

  scrollToTop() {
    this.#virtualizer.scrollToOffset(0);
  }
}
