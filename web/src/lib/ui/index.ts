// Presentation helpers shared by components (no data, no domain).
export { VirtualRows, type RowWindow } from './virtual-rows.svelte';
