/**
 * The chain as the worker sees it (sync protocol 2, docs/API.md "Sync"): immutable generations seq = 1, 2, …
 * (v2 changesets, or v1 whole databases read as snapshots) plus snapshot objects, read with a bounded number
 * of LIST requests. Pure decisions (what begin serves, whether a snapshot is due) take a ChainView and no store.
 */
import {
  GEN_PREFIX,
  SNAP_PREFIX,
  generationName,
  parseGenerationKey,
  parseSnapshotKey,
  rangeBelow,
  snapshotName,
} from './keys';
import type { BlobStore, ObjectInfo } from './store/types';

/** At most this many generations in one begin answer (`more: true` when more follow). */
export const MAX_CHANGESETS_PER_BEGIN = 100;
/** A client further behind than this restarts from the newest snapshot. */
export const FAR_BEHIND = 100;
/** A snapshot is due after this many changesets since the newest snapshot … */
export const SNAPSHOT_AFTER_CHANGESETS = 32;
/** … or when their bytes reach this share of the newest snapshot's size. */
export const SNAPSHOT_AFTER_BYTES_RATIO = 0.25;
/** Newest generations read by one LIST: enough to answer any client at most FAR_BEHIND behind. */
export const WINDOW = MAX_CHANGESETS_PER_BEGIN + 1;
/** S3 returns at most 1000 keys per LIST request. */
const PAGE = 1000;

export type ChainKind = 'changeset' | 'snapshot';

export interface ChainObject extends ObjectInfo {
  seq: number;
  kind: ChainKind;
  /** true for snap/ objects, false for generations (a v1 generation is a generation of kind "snapshot") */
  isSnapshotObject: boolean;
}

export interface ChainView {
  /** newest generation (any kind), null for an empty chain */
  head: ChainObject | null;
  /** the newest generations, newest first, one per seq, at most WINDOW */
  window: ChainObject[];
  /** true when `window` holds every generation there is */
  complete: boolean;
  /** the newest snapshot: the newest snap/ object, or the newest v1 generation if that is newer */
  snapshot: ChainObject | null;
  /** snap/ objects listed, newest first (only the newest unless readChain was asked for all) */
  snapshots: ChainObject[];
}

function asGeneration(o: ObjectInfo): ChainObject | null {
  const g = parseGenerationKey(o.key);
  return g && { ...o, seq: g.seq, kind: g.format === 'legacy' ? 'snapshot' : 'changeset', isSnapshotObject: false };
}

function asSnapshot(o: ObjectInfo): ChainObject | null {
  const seq = parseSnapshotKey(o.key);
  return seq === null ? null : { ...o, seq, kind: 'snapshot', isSnapshotObject: true };
}

/**
 * Generations from a newest-first listing, one per seq. Two objects for one seq can only come from a v1 worker
 * still writing next to this one; the changeset (listed first: ".cs.gz" < ".sqlite.gz") is the one kept.
 */
export function generationsOf(objects: ObjectInfo[]): ChainObject[] {
  const out: ChainObject[] = [];
  for (const o of objects) {
    const g = asGeneration(o);
    if (g && g.seq !== out.at(-1)?.seq) out.push(g);
  }
  return out;
}

const newer = (a: ChainObject | null, b: ChainObject | null) => (!a ? b : !b ? a : b.seq > a.seq ? b : a);

/**
 * The chain as these listings show it (both newest first; `complete` when `genObjects` holds every generation):
 * the pure half of readChain, which in-memory test chains share. A snapshot above the head (or without any head)
 * belongs to a chain that is gone; it is never served.
 */
export function chainViewOf(genObjects: ObjectInfo[], snapObjects: ObjectInfo[], complete: boolean): ChainView {
  const window = generationsOf(genObjects);
  const head = window[0] ?? null;
  const snapshots = snapObjects.map(asSnapshot).filter((s) => s !== null && head !== null && s.seq <= head.seq) as ChainObject[];
  const legacy = window.find((g) => g.kind === 'snapshot') ?? null;
  return { head, window, complete, snapshot: newer(snapshots[0] ?? null, legacy), snapshots };
}

/**
 * Reads the chain: one LIST of the newest WINDOW generations and one LIST of snap/ (its newest object only,
 * unless `allSnapshots`), in parallel. Only when no snap/ object exists, the window holds no v1 generation and
 * more generations exist below it, it pages on (1 LIST per 1000 keys) to find the newest v1 generation: a
 * bucket upgraded from v1 where more than WINDOW changesets were written without any snapshot.
 */
export async function readChain(store: BlobStore, o: { allSnapshots?: boolean } = {}): Promise<ChainView> {
  const [snapObjects, genObjects] = await Promise.all([
    store.list(SNAP_PREFIX, o.allSnapshots ? undefined : 1),
    store.list(GEN_PREFIX, WINDOW),
  ]);
  const view = chainViewOf(genObjects, snapObjects, genObjects.length < WINDOW);
  if (view.snapshot || view.complete) return view;
  let legacy: ChainObject | null = null;
  let after = genObjects.at(-1)!.key;
  for (;;) {
    const page = await store.list(GEN_PREFIX, PAGE, after);
    legacy = generationsOf(page).find((g) => g.kind === 'snapshot') ?? null;
    if (legacy || page.length < PAGE) break;
    after = page.at(-1)!.key;
  }
  return { ...view, snapshot: legacy };
}

/** At most this many snapshot seqs in one begin's `damagedSnapshots`. */
export const MAX_DAMAGED_SNAPSHOTS = 32;

/**
 * The chain as a client that could not use the snapshots `damaged` must see it: those snapshots (snap/ objects
 * or v1 generations of those seqs) are not candidates for "the newest snapshot", so the newest readable one
 * below them serves instead (retention keeps one per day for SYNC_SNAPSHOT_DAYS). `replace` is true when the
 * newest snapshot there is was among them: a client in sync should write a fresh one (docs/API.md "Fallback").
 * Needs a view read with `allSnapshots`.
 */
export function withoutSnapshots(view: ChainView, damaged: readonly number[]): { view: ChainView; replace: boolean } {
  if (damaged.length === 0) return { view, replace: false };
  const bad = new Set(damaged);
  const snapshots = view.snapshots.filter((s) => !bad.has(s.seq));
  const legacy = view.window.find((g) => g.kind === 'snapshot' && !bad.has(g.seq)) ?? null;
  const replace = view.snapshot !== null && bad.has(view.snapshot.seq);
  return { view: { ...view, snapshots, snapshot: newer(snapshots[0] ?? null, legacy) }, replace };
}

/** The generation with this seq, from the window or with one ranged LIST below it. */
export async function findGeneration(store: BlobStore, view: ChainView, seq: number): Promise<ChainObject | null> {
  const inWindow = view.window.find((g) => g.seq === seq);
  if (inWindow || view.complete || seq >= (view.window.at(-1)?.seq ?? 0)) return inWindow ?? null;
  const [g] = generationsOf(await store.list(GEN_PREFIX, 2, rangeBelow(GEN_PREFIX, seq + 1)));
  return g?.seq === seq ? g : null;
}

/**
 * Generations with base < seq ≤ base + MAX_CHANGESETS_PER_BEGIN, ascending: from the window when it reaches
 * down to base + 1, else with one ranged LIST (the client is far behind and has no snapshot to start from).
 */
export async function generationsAfter(store: BlobStore, view: ChainView, base: number): Promise<ChainObject[]> {
  const top = base + MAX_CHANGESETS_PER_BEGIN;
  const oldest = view.window.at(-1)?.seq ?? 0;
  const source =
    view.complete || oldest <= base + 1
      ? view.window
      : // every object with seq ≤ top; twice the count leaves room for two objects per seq
        generationsOf(await store.list(GEN_PREFIX, 2 * MAX_CHANGESETS_PER_BEGIN, rangeBelow(GEN_PREFIX, top + 1)));
  return source.filter((g) => g.seq > base && g.seq <= top).reverse();
}

export interface BeginPlan {
  /** set when the client must (re)start from this snapshot */
  snapshot: ChainObject | null;
  /** the client applies generations after this seq */
  base: number;
  reset: boolean;
}

/** true when every generation in (after, head] is in the window (nothing pruned, no hole left by a failed delete) */
function contiguousAfter(view: ChainView, after: number): boolean {
  const head = view.head!.seq;
  return view.window.filter((g) => g.seq > after).length === head - after;
}

/** What begin serves a client that has applied everything through `after` (the rules of docs/API.md). */
export function planBegin(view: ChainView, after: number): BeginPlan {
  const { head, snapshot } = view;
  if (!head) return { snapshot: null, base: 0, reset: after > 0 };
  if (after > head.seq) return { snapshot, base: snapshot?.seq ?? 0, reset: true }; // another chain's state
  if (after === head.seq) return { snapshot: null, base: after, reset: false };
  const mustRestart = after === 0 || head.seq - after > FAR_BEHIND || !contiguousAfter(view, after);
  if (mustRestart && snapshot && snapshot.seq > after) return { snapshot, base: snapshot.seq, reset: false };
  return { snapshot: null, base: after, reset: false };
}

/**
 * Whether a client in sync should write a snapshot now: none exists yet (and the chain is not empty), or at
 * least SNAPSHOT_AFTER_CHANGESETS changesets follow the newest one, or their bytes reach
 * SNAPSHOT_AFTER_BYTES_RATIO of its size. The window always holds enough of them to decide.
 */
export function snapshotDue(view: ChainView): boolean {
  if (!view.head) return false;
  const snap = view.snapshot;
  if (!snap) return true;
  const since = view.window.filter((g) => g.seq > snap.seq);
  if (since.length >= SNAPSHOT_AFTER_CHANGESETS) return true;
  const bytes = since.reduce((sum, g) => sum + g.size, 0);
  return since.length > 0 && bytes >= SNAPSHOT_AFTER_BYTES_RATIO * snap.size;
}

/** A chain object as clients see it: metadata from the listing plus a presigned GET. */
export async function describe(store: BlobStore, o: ChainObject, ttlSeconds: number) {
  const get = await store.presignGet(o.key, ttlSeconds);
  return {
    seq: o.seq,
    kind: o.kind,
    name: o.isSnapshotObject ? snapshotName(o.seq) : generationName(o.seq),
    size: o.size,
    etag: o.etag,
    time: o.lastModified.toISOString(),
    url: get.url,
    expiresAt: get.expiresAt.toISOString(),
  };
}

/** The head as 409 answers and begin report it. */
export const headRef = (head: ChainObject | null) => head && { seq: head.seq, time: head.lastModified.toISOString() };
