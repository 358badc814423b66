// Presentation helpers shared by components (no data, no domain).
export { VirtualRows, type RowWindow } from './virtual-rows.svelte';
export { afterPaint, LaggingValue, PaintedOnce } from './after-paint.svelte';
