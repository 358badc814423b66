// Presentation helpers shared by components (no data, no domain). VirtualRows (and the virtualizer it wraps) is
// imported from its own module by the player table only, so it stays in that lazily loaded chunk.
export { afterPaint, LaggingValue, PaintedOnce } from './after-paint.svelte';
export { timeOfDay } from './format';
