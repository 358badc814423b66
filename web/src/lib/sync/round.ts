// One sync round on protocol 2 (docs/API.md): begin with the last applied seq, download what the worker
// lists (checked against size and MD5 before parsing), apply it, commit this device's own changes as one
// changeset, and write a snapshot when one is due and this device is in sync.
//
// Rules that keep every write (see "Reading the chain" in docs/API.md):
// - the sync state belongs to one database id; state of another database starts over (after = 0);
// - a short or altered download is a network error: the round stops, nothing is applied or committed;
// - an object that cannot be read or merged is skipped, reported, and announced in this device's next
//   changeset; its writer then re-sends what it carried. A newer app's object stops the round untouched;
// - a snapshot that cannot be used is never skipped over: begin again naming it (damagedSnapshots) to fall
//   back to an older snapshot, announce it, and replace it from a database that holds the whole chain;
// - what is pending is "rows whose local change counter is past what the chain holds", read in the same
//   synchronous step that builds the changeset, so a write that lands meanwhile stays pending;
// - losing the race for a seq more than `maxAttempts` times is GaveUpError, never "Synced".
import type { Database, SqlJsStatic } from 'sql.js';
import { applyRows, changedPage, clockNode, currentHlc, databaseId, hasChanges, isEmpty, localVersion, markForResend, type PageCursor } from '../db/changes';
import { TABLES } from '../db/tables';
import { yieldToUi } from '../db/yield';
import { transaction } from '../db/sql';
import type { SavePoint } from '../db/store';
import type { ChainClient, ChainObject } from './chain';
import { ChangesetEncoder, decodeChangeset, encodeChangeset, type Changeset, type ChangesetHead } from './changeset';
import { GaveUpError, RemoteDataError } from './errors';
import { gunzipBounded, gzip } from './gzip';
import { mergeDatabase, releaseMerged } from './merge';
import { MAX_DATABASE_BYTES, openRemoteBytes, openRemoteDatabase } from './remote';
import { EMPTY_SYNC_STATE, stateFor, type SyncState, type SyncStateOwner } from './state';

export interface SyncableStore {
  read<T>(fn: (db: Database) => T): T;
  writeTracked<T>(fn: (db: Database) => T): Promise<{ result: T; generation: number }>;
  replaceWith<T>(bytes: Uint8Array, check: (db: Database) => T, onlyIf?: (db: Database) => boolean): Promise<{ result: T; generation: number } | null>;
  /** What is stored against the live database (DatabaseStore.savePoint); default: the live one, nothing being saved. */
  savePoint?(): SavePoint;
}

export interface SyncDeps {
  chain: ChainClient;
  store: SyncableStore;
  SQL: SqlJsStatic;
  state: SyncStateOwner;
  now: () => number;
  /** Write a snapshot of the head even when none is due (a backup needs one). */
  forceSnapshot?: boolean;
  /** Commits lost to other devices before giving up. */
  maxAttempts?: number;
  /** How a changeset is built in steps (defaults BUILD_PAGE_ROWS, BUILD_STEP_MS, yieldToUi); tests interleave writes. */
  build?: { pageRows?: number; stepMs?: number; pause?: () => Promise<void> };
}

export interface SkippedObject {
  seq: number;
  kind: RemoteDataError['kind'];
  message: string;
}

export interface SyncOutcome {
  seq: number;
  pulled: boolean;
  pushed: boolean;
  /** A new device took the snapshot as its database (no row-by-row merge). */
  adopted: boolean;
  snapshotSeq: number | null;
  rowsUp: number;
  requests: number;
  bytesDown: number;
  bytesUp: number;
  skipped: SkippedObject[];
}

export const MAX_COMMIT_ATTEMPTS = 6;
const OWN_COMMITS_KEPT = 200;
/** Unusable snapshots one round falls back past before it stops (the worker accepts at most 32 names). */
const MAX_FALLBACKS = 8;
/** Generations one begin lists at most (docs/API.md). */
const BEGIN_PAGE = 100;

export async function syncRound(deps: SyncDeps): Promise<SyncOutcome> {
  const { chain, store } = deps;
  const requestsBefore = chain.requests;
  const out: SyncOutcome = { seq: 0, pulled: false, pushed: false, adopted: false, snapshotSeq: null, rowsUp: 0, requests: 0, bytesDown: 0, bytesUp: 0, skipped: [] };
  let dbId = store.read(databaseId);
  const counter = store.read(localVersion);
  // The database's change counter is below what this device uploaded through: it went back (another tab stored
  // a copy with a lower counter, as a tab of an older build can). Rows changed since then got values already
  // counted as uploaded, and cannot be told apart: every row not known to be in the chain is sent again (merging
  // it twice is harmless; missing one is not).
  let st = await deps.state.update((s) => {
    const ours = stateFor(s, dbId);
    return ours.uploadedThrough > counter ? { ...ours, uploadedThrough: 0 } : ours;
  });
  const maxAttempts = deps.maxAttempts ?? MAX_COMMIT_ATTEMPTS;
  let lost = 0;
  // Snapshot seqs not to be served (found unusable in this round, or still missing rows from an earlier one).
  const avoid = [...(st.incomplete?.damaged ?? [])];
  const flags: ApplyFlags = { announcedSnapshots: new Set() };
  const begin = (after: number) => chain.begin(after, avoid.length ? avoid : undefined);
  try {
    for (;;) {
      let answer = await begin(st.applied);
      if (answer.reset) {
        // The chain is not the one our state describes (bucket wiped or replaced): everything here is pending again.
        st = await deps.state.update((s) => ({ ...s, applied: 0, uploadedThrough: 0, ownCommits: [], lastBuildHlc: '', damaged: [], incomplete: null }));
        avoid.length = 0;
        if (answer.head) answer = await begin(0);
      }
      // Rows were missing below `incomplete.below` and a snapshot above it now exists: restart from it (merged).
      let mergingReplacement = false;
      if (st.incomplete && (answer.snapshotSeq ?? 0) > st.incomplete.below) {
        answer = await begin(0);
        mergingReplacement = answer.snapshot !== null;
      }
      let fellBack = false;
      for (;;) {
        if (answer.snapshot) {
          const snapshot = answer.snapshot;
          let adopted: Awaited<ReturnType<typeof takeSnapshot>>;
          try {
            adopted = await takeSnapshot(deps, snapshot, out, st.uploadedThrough);
          } catch (error) {
            // Fallback (docs/API.md): an intact download that cannot be read, migrated or merged is never
            // overwritten or skipped over; begin again without it, from the newest readable snapshot below.
            if (!(error instanceof RemoteDataError) || error.kind === 'newer' || avoid.length >= MAX_FALLBACKS) throw error;
            out.skipped.push({ seq: snapshot.seq, kind: error.kind, message: error.message });
            avoid.push(snapshot.seq);
            fellBack = true;
            mergingReplacement = false;
            answer = await begin(st.applied);
            continue;
          }
          if (adopted) dbId = adopted.dbId;
          const replaced = mergingReplacement;
          st = await deps.state.update((s) => ({
            ...(adopted ? { ...EMPTY_SYNC_STATE, lastBackupDay: s.lastBackupDay, csvDays: s.csvDays, dbId, uploadedThrough: adopted.version } : s),
            applied: snapshot.seq,
            ...(replaced ? { incomplete: null } : {}),
          }));
          if (replaced) avoid.length = 0;
        }
        if (fellBack) {
          // What the fallback served must reach up to the unusable snapshot without a gap, else rows are missing.
          const base = answer.snapshot?.seq ?? st.applied;
          const top = Math.min(Math.max(...avoid), answer.head?.seq ?? 0);
          const seqs = new Set(answer.changesets.map((c) => c.seq));
          let gap = false;
          for (let n = base + 1; n <= Math.min(top, base + BEGIN_PAGE); n++) gap ||= !seqs.has(n);
          const bad = [...avoid];
          st = await deps.state.update((s) => ({
            ...s,
            damagedSnapshots: [...new Set([...s.damagedSnapshots, ...bad])].slice(-32),
            incomplete: gap ? { damaged: bad.slice(-32), below: Math.max(...bad) } : s.incomplete,
          }));
          fellBack = false;
        }
        st = await applyChangesets(deps, answer.changesets, st, out, flags);
        if (!answer.more) break;
        answer = await begin(st.applied);
      }
      const headSeq = answer.head?.seq ?? 0;
      if (flags.announcedSnapshots.size && st.applied === headSeq && !st.incomplete) {
        // Another device could not use these snapshots: the worker says whether a newer one replaced them yet.
        const check = await chain.begin(st.applied, [...flags.announcedSnapshots].slice(-32));
        flags.announcedSnapshots.clear();
        if (check.head?.seq === headSeq && check.snapshotDue) answer = { ...answer, snapshotDue: true };
      }

      // As of `through`, read at its start: a write after that stays pending (its _v is past `through`).
      const building = performance.now();
      const built = await buildChangeset(deps, st.uploadedThrough, { db: dbId, damaged: st.damaged, damagedSnapshots: st.damagedSnapshots });
      if (!built) {
        // The database was swapped while the changeset was built (another tab's new base): begin again.
        lost++;
        if (lost > maxAttempts) throw new GaveUpError(`Sync gave up after ${lost} tries: the database kept changing underneath it. The next sync tries again.`);
        continue;
      }
      const snapshotWanted = answer.snapshotDue || deps.forceSnapshot;
      if (built.count === 0 && st.damaged.length === 0 && st.damagedSnapshots.length === 0) {
        if (snapshotWanted && headSeq > 0 && st.applied === headSeq) await writeSnapshot(deps, headSeq, st, out);
        break;
      }
      if (lost >= maxAttempts) {
        throw new GaveUpError(`Sync gave up after ${lost} tries: other devices kept committing first. ${built.count} changes here are not uploaded yet; the next sync tries again.`);
      }
      const body = await built.body();
      performance.measure('nba-daily:sync-build', { start: building, detail: { rows: built.count, bytes: body.length } });
      const seq = headSeq + 1;
      if ((await chain.commit(seq, body)) === 'taken') {
        lost++;
        continue; // someone else took seq: begin again, apply theirs, try the next one
      }
      out.pushed = true;
      out.rowsUp += built.count;
      out.bytesUp += body.length;
      const announced = new Set(st.damaged);
      const announcedSnapshots = new Set(st.damagedSnapshots);
      // Only if no write that the build may have left out was undone meanwhile, or still may be: its rows could go
      // back to a stored version at or below `through`, which would then never be sent. Else the rows since the old
      // mark and clock are sent again next round (merging a row twice is harmless; missing one is not), and that
      // commit's rows are all stamped after the clock it records as before it (what a resend of it looks for).
      const stands = buildStillStands(deps, built);
      st = await deps.state.update((s) => ({
        ...s,
        applied: seq,
        uploadedThrough: stands ? built.through : s.uploadedThrough,
        lastBuildHlc: stands ? built.hlc : s.lastBuildHlc,
        ownCommits: [...s.ownCommits, { seq, hlcBefore: s.lastBuildHlc }].slice(-OWN_COMMITS_KEPT),
        damaged: s.damaged.filter((d) => !announced.has(d)),
        damagedSnapshots: s.damagedSnapshots.filter((d) => !announcedSnapshots.has(d)),
      }));
      // An empty chain has no snapshot: the first generation makes one due (the worker's rule).
      if (snapshotWanted || answer.head === null) await writeSnapshot(deps, seq, st, out);
      break;
    }
  } finally {
    out.requests = chain.requests - requestsBefore;
  }
  st = await deps.state.update((s) => ({ ...s, lastSyncAt: deps.now() }));
  out.seq = st.applied;
  return out;
}

/**
 * A changeset is built in pages of BUILD_PAGE_ROWS rows, as many pages per step as fit in BUILD_STEP_MS (what they
 * add is compressed once per step), then a turn for the UI thread: a step stays far under a 50 ms task whatever
 * the device (sql.js reads a row of text columns in about 25 µs on a laptop, four times that on a phone).
 */
export const BUILD_PAGE_ROWS = 100;
export const BUILD_STEP_MS = 8;

/**
 * Whether every row the build left out (changed past `through` by a write not yet stored) is still sure to be sent
 * later: no copy replaced the live database since the build began (an undone save puts rows back at stored versions
 * at or below `through`) and no write is being saved now (it may still be undone).
 */
function buildStillStands(deps: SyncDeps, built: Built): boolean {
  const now = savePointOf(deps);
  // A write that began after the build had read everything changed nothing it left out.
  return now.replaced === built.replaced && (now.saving === null || now.saving > built.writesBefore);
}

/** The store's save point, or (a store without one) the live database's, nothing being saved. */
function savePointOf(deps: SyncDeps): SavePoint {
  return deps.store.savePoint?.() ?? deps.store.read((db) => ({ localVersion: localVersion(db), hlc: currentHlc(db), writesBegun: 0, saving: null, replaced: 0 }));
}

interface Built {
  count: number;
  through: number;
  /** The save point's `replaced` when the build began. */
  replaced: number;
  /** Its `writesBegun` when the build had read every row. */
  writesBefore: number;
  node: string;
  hlc: string;
  /** The gzipped changeset. */
  body: () => Promise<Uint8Array>;
}

/**
 * This device's changes after local version `since`, as of `through` (the local version when the build starts):
 * read table by table in pages (changedPage), a few pages per step with a turn for the UI thread between steps,
 * and streamed into the gzip changeset as they are read. A first sync uploads the whole database this way without
 * one long task. A write landing between two steps is not part of it (its rows' _v is past `through`) and stays
 * pending for the next round, while the rows already read go up as they were, which the chain's clock order
 * handles like any earlier version. Null when the database object itself was replaced meanwhile (another tab's
 * base, a restored save): the pages would not belong to one database.
 */
async function buildChangeset(deps: SyncDeps, since: number, head: Omit<ChangesetHead, 'node'>): Promise<Built | null> {
  const pageRows = deps.build?.pageRows ?? BUILD_PAGE_ROWS;
  const stepMs = deps.build?.stepMs ?? BUILD_STEP_MS;
  const pause = deps.build?.pause ?? yieldToUi;
  let building: Database | null = null;
  const start = deps.store.read((db) => {
    building = db;
    // Not past what is stored (counter and clock): a write being saved may still be undone, and is sent by a later
    // round; it has stamped rows this build leaves out.
    const saved = savePointOf(deps);
    const through = saved.localVersion;
    return { through, node: clockNode(db), hlc: saved.hlc, pending: hasChanges(db, since, through), replaced: saved.replaced };
  });
  const base = { through: start.through, node: start.node, hlc: start.hlc, replaced: start.replaced };
  const writesBegun = () => savePointOf(deps).writesBegun;
  if (!start.pending) return { ...base, writesBefore: writesBegun(), count: 0, body: () => encodeChangeset({ ...head, node: start.node, tables: {} }) };
  const encoder = new ChangesetEncoder({ ...head, node: start.node });
  let count = 0;
  let readInStep = 0;
  let stepStarted = performance.now();
  try {
    for (const t of TABLES) {
      let cursor: PageCursor | null = null;
      do {
        if (readInStep > 0 && performance.now() - stepStarted >= stepMs) {
          await encoder.flush();
          await pause();
          stepStarted = performance.now();
          readInStep = 0;
        }
        const at: PageCursor | null = cursor;
        const page: ReturnType<typeof changedPage> | null = deps.store.read((db) => (db === building ? changedPage(db, t, since, start.through, at, pageRows) : null));
        if (!page) {
          encoder.abort();
          return null;
        }
        encoder.add(t.name, page.rows);
        count += page.rows.length;
        readInStep += page.rows.length;
        cursor = page.next;
      } while (cursor);
    }
  } catch (error) {
    encoder.abort();
    throw error;
  }
  const writesBefore = writesBegun();
  const body = encoder.finish();
  body.catch(() => undefined); // awaited by the caller when it sends
  return { ...base, writesBefore, count, body: () => body };
}

/**
 * Adopts the snapshot when this database is empty (returns the new id and change counter), else merges it. Empty is
 * asked again when the copy is swapped in: a write that landed while it was unpacked makes it a merge.
 */
async function takeSnapshot(deps: SyncDeps, object: ChainObject, out: SyncOutcome, uploadedThrough: number): Promise<{ dbId: string; version: number } | null> {
  const packed = await deps.chain.download(object);
  out.bytesDown += packed.length;
  out.pulled = true;
  const what = `The full copy on the server (version ${object.seq})`;
  if (deps.store.read(isEmpty)) {
    let bytes: Uint8Array;
    try {
      bytes = await gunzipBounded(packed, MAX_DATABASE_BYTES);
    } catch {
      throw new RemoteDataError(`${what} is not readable; nothing was changed.`, 'damaged', object.seq);
    }
    openRemoteBytes(deps.SQL, bytes, what, object.seq).close(); // the same checks, with a clear error
    const replaced = await deps.store.replaceWith(bytes, (db) => localVersion(db), isEmpty);
    if (replaced) {
      out.adopted = true;
      return { dbId: deps.store.read(databaseId), version: replaced.result };
    }
  }
  const remote = await openRemoteDatabase(deps.SQL, packed, what, object.seq);
  try {
    await deps.store.writeTracked((db) => {
      try {
        return mergeDatabase(db, remote, { pendingAbove: uploadedThrough });
      } catch (error) {
        throw new RemoteDataError(`${what} could not be merged (${(error as Error).message}); nothing was changed.`, 'unmergeable', object.seq);
      }
    });
  } finally {
    deps.store.read(releaseMerged); // outside the write's transaction now
    remote.close();
  }
  return null;
}

interface ApplyFlags {
  /** Snapshot seqs other devices announced as unusable in the changesets applied this round. */
  announcedSnapshots: Set<number>;
}

type Item = { seq: number; changeset: Changeset } | { seq: number; database: Database } | { seq: number; skipped: RemoteDataError };

async function applyChangesets(deps: SyncDeps, objects: ChainObject[], st: SyncState, out: SyncOutcome, flags: ApplyFlags): Promise<SyncState> {
  if (objects.length === 0) return st;
  const items: Item[] = [];
  try {
    for (const object of objects) {
      const packed = await deps.chain.download(object); // a network error ends the round: nothing applied
      out.bytesDown += packed.length;
      try {
        if (object.kind === 'changeset') items.push({ seq: object.seq, changeset: await decodeChangeset(packed, object.seq) });
        else items.push({ seq: object.seq, database: await openRemoteDatabase(deps.SQL, packed, `Version ${object.seq} on the server`, object.seq) });
      } catch (error) {
        if (!(error instanceof RemoteDataError) || error.kind === 'newer') throw error;
        items.push({ seq: object.seq, skipped: error });
      }
    }
    const own = new Map(st.ownCommits.map((c) => [c.seq, c.hlcBefore]));
    // The write may run more than once (writeTracked runs it again when storage moved under its save), so it only
    // reads `own`; the commits it marked for resending leave `own` once the write has been stored.
    const resent = new Set<number>();
    const { result: skipped } = await deps.store.writeTracked((db) => {
      resent.clear();
      const skippedHere: RemoteDataError[] = [];
      const node = clockNode(db);
      for (const item of items) {
        if ('skipped' in item) {
          skippedHere.push(item.skipped);
          continue;
        }
        try {
          // Each object in a savepoint of its own: one that cannot be merged is skipped whole.
          const pending = { pendingAbove: st.uploadedThrough };
          transaction(db, () => ('changeset' in item ? applyRows(db, item.changeset.tables, pending) : mergeDatabase(db, item.database, pending)));
        } catch (error) {
          skippedHere.push(new RemoteDataError(`Version ${item.seq} on the server could not be merged (${(error as Error).message}); it was skipped.`, 'unmergeable', item.seq));
        }
        // Another device could not use a snapshot: a device in sync replaces it unless someone did (syncRound).
        for (const seq of 'changeset' in item ? item.changeset.damagedSnapshots : []) flags.announcedSnapshots.add(seq);
        // Another device could not read one of our commits: send again what we stamped since before it.
        for (const seq of 'changeset' in item ? item.changeset.damaged : []) {
          const before = own.get(seq);
          if (before !== undefined && !resent.has(seq)) {
            markForResend(db, node, before);
            resent.add(seq);
          }
        }
      }
      return skippedHere;
    });
    for (const seq of resent) own.delete(seq);
    out.pulled = true;
    for (const e of skipped) out.skipped.push({ seq: e.seq ?? 0, kind: e.kind, message: e.message });
    const last = objects[objects.length - 1].seq;
    return deps.state.update((s) => ({
      ...s,
      applied: last,
      damaged: [...new Set([...s.damaged, ...skipped.map((e) => e.seq ?? 0).filter((n) => n > 0)])].slice(-200),
      ownCommits: s.ownCommits.filter((c) => own.has(c.seq) || c.seq > last),
    }));
  } finally {
    deps.store.read(releaseMerged);
    for (const item of items) if ('database' in item) item.database.close();
  }
}

/**
 * A snapshot of `seq`, only when nothing is pending (so it equals the chain through seq) and this database is
 * not missing rows of a fallback (st.incomplete).
 */
async function writeSnapshot(deps: SyncDeps, seq: number, st: SyncState, out: SyncOutcome): Promise<void> {
  if (st.incomplete) return;
  const exporting = performance.now();
  // One task: sql.js exports the file in one call (about 20 ms per 10 MB on a laptop), the one step of a sync
  // that is not split; the gzip after it is (gzip.ts).
  const bytes = deps.store.read((db) => (hasChanges(db, st.uploadedThrough, Number.MAX_SAFE_INTEGER) ? null : db.export()));
  if (!bytes) return;
  const packing = performance.now();
  const body = await gzip(bytes);
  // Read by scripts/bench-app.mjs (BENCH_VERBOSE): where a snapshot's time goes.
  performance.measure('nba-daily:snapshot', { start: exporting, detail: { bytes: bytes.length, exportMs: packing - exporting, gzipMs: performance.now() - packing } });
  if ((await deps.chain.snapshot(seq, body)) === 'ok') {
    out.snapshotSeq = seq;
    out.bytesUp += body.length;
  }
}
