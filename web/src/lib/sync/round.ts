// One sync round on protocol 2 (docs/API.md): begin with the last applied seq, download what the worker
// lists (checked against size and MD5 before parsing), apply it, commit this device's own changes as one
// changeset, and write a snapshot when one is due and this device is in sync.
//
// Rules that keep every write (see "Reading the chain" in docs/API.md):
// - the sync state belongs to one database id; state of another database starts over (after = 0);
// - a short or altered download is a network error: the round stops, nothing is applied or committed;
// - an object that cannot be read or merged is skipped, reported, and announced in this device's next
//   changeset; its writer then re-sends what it carried. A newer app's object stops the round untouched;
// - what is pending is "rows whose local change counter is past what the chain holds", read in the same
//   synchronous step that builds the changeset, so a write that lands meanwhile stays pending;
// - losing the race for a seq more than `maxAttempts` times is GaveUpError, never "Synced".
import type { Database, SqlJsStatic } from 'sql.js';
import { applyRows, changedRows, clockNode, currentHlc, databaseId, isEmpty, localVersion, markForResend, pendingCount } from '../db/changes';
import { transaction } from '../db/sql';
import type { ChainClient, ChainObject } from './chain';
import { decodeChangeset, encodeChangeset, type Changeset } from './changeset';
import { GaveUpError, RemoteDataError } from './errors';
import { gunzipBounded, gzip } from './gzip';
import { mergeDatabase } from './merge';
import { MAX_DATABASE_BYTES, openRemoteBytes, openRemoteDatabase } from './remote';
import { EMPTY_SYNC_STATE, stateFor, type SyncState, type SyncStateOwner } from './state';

export interface SyncableStore {
  read<T>(fn: (db: Database) => T): T;
  writeTracked<T>(fn: (db: Database) => T): Promise<{ result: T; generation: number }>;
  replaceWith<T>(bytes: Uint8Array, check: (db: Database) => T): Promise<{ result: T; generation: number }>;
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

export async function syncRound(deps: SyncDeps): Promise<SyncOutcome> {
  const { chain, store } = deps;
  const requestsBefore = chain.requests;
  const out: SyncOutcome = { seq: 0, pulled: false, pushed: false, adopted: false, snapshotSeq: null, rowsUp: 0, requests: 0, bytesDown: 0, bytesUp: 0, skipped: [] };
  let dbId = store.read(databaseId);
  let st = await deps.state.update((s) => stateFor(s, dbId));
  const maxAttempts = deps.maxAttempts ?? MAX_COMMIT_ATTEMPTS;
  let lost = 0;
  try {
    for (;;) {
      let answer = await chain.begin(st.applied);
      if (answer.reset) {
        // The chain is not the one our state describes (bucket wiped or replaced): everything here is pending again.
        st = await deps.state.update((s) => ({ ...s, applied: 0, uploadedThrough: 0, ownCommits: [], lastBuildHlc: '', damaged: [] }));
        if (answer.head) answer = await chain.begin(0);
      }
      for (;;) {
        if (answer.snapshot) {
          const adopted = await takeSnapshot(deps, answer.snapshot, out);
          if (adopted) dbId = adopted.dbId;
          st = await deps.state.update((s) => ({
            ...(adopted ? { ...EMPTY_SYNC_STATE, lastBackupDay: s.lastBackupDay, csvDays: s.csvDays, dbId, uploadedThrough: adopted.version } : s),
            applied: answer.snapshot!.seq,
          }));
        }
        st = await applyChangesets(deps, answer.changesets, st, out);
        if (!answer.more) break;
        answer = await chain.begin(st.applied);
      }
      const headSeq = answer.head?.seq ?? 0;

      // Built in one synchronous read: a write after this stays pending (its _v is past `through`).
      const built = store.read((db) => ({ ...changedRows(db, st.uploadedThrough), node: clockNode(db), hlc: currentHlc(db) }));
      if (built.count === 0 && st.damaged.length === 0) {
        if ((answer.snapshotDue || deps.forceSnapshot) && headSeq > 0 && st.applied === headSeq) await writeSnapshot(deps, headSeq, st, out);
        break;
      }
      if (lost >= maxAttempts) {
        throw new GaveUpError(`Sync gave up after ${lost} tries: other devices kept committing first. ${built.count} changes here are not uploaded yet; the next sync tries again.`);
      }
      const body = await encodeChangeset({ db: dbId, node: built.node, damaged: st.damaged, tables: built.rows });
      const seq = headSeq + 1;
      if ((await chain.commit(seq, body)) === 'taken') {
        lost++;
        continue; // someone else took seq: begin again, apply theirs, try the next one
      }
      out.pushed = true;
      out.rowsUp += built.count;
      out.bytesUp += body.length;
      const announced = new Set(st.damaged);
      st = await deps.state.update((s) => ({
        ...s,
        applied: seq,
        uploadedThrough: built.through,
        lastBuildHlc: built.hlc,
        ownCommits: [...s.ownCommits, { seq, hlcBefore: s.lastBuildHlc }].slice(-OWN_COMMITS_KEPT),
        damaged: s.damaged.filter((d) => !announced.has(d)),
      }));
      // An empty chain has no snapshot: the first generation makes one due (the worker's rule).
      if (answer.snapshotDue || answer.head === null || deps.forceSnapshot) await writeSnapshot(deps, seq, st, out);
      break;
    }
  } finally {
    out.requests = chain.requests - requestsBefore;
  }
  st = await deps.state.update((s) => ({ ...s, lastSyncAt: deps.now() }));
  out.seq = st.applied;
  return out;
}

/** Adopts the snapshot when this database is empty (returns the new id and change counter), else merges it. */
async function takeSnapshot(deps: SyncDeps, object: ChainObject, out: SyncOutcome): Promise<{ dbId: string; version: number } | null> {
  const packed = await deps.chain.download(object);
  out.bytesDown += packed.length;
  out.pulled = true;
  const what = `The snapshot of generation ${object.seq}`;
  if (deps.store.read(isEmpty)) {
    let bytes: Uint8Array;
    try {
      bytes = await gunzipBounded(packed, MAX_DATABASE_BYTES);
    } catch {
      throw new RemoteDataError(`${what} is not readable; nothing was changed.`, 'damaged', object.seq);
    }
    openRemoteBytes(deps.SQL, bytes, what, object.seq).close(); // the same checks, with a clear error
    const { result } = await deps.store.replaceWith(bytes, (db) => localVersion(db));
    out.adopted = true;
    return { dbId: deps.store.read(databaseId), version: result };
  }
  const remote = await openRemoteDatabase(deps.SQL, packed, what, object.seq);
  try {
    await deps.store.writeTracked((db) => {
      try {
        return mergeDatabase(db, remote);
      } catch (error) {
        throw new RemoteDataError(`${what} could not be merged (${(error as Error).message}); nothing was changed.`, 'unmergeable', object.seq);
      }
    });
  } finally {
    remote.close();
  }
  return null;
}

type Item = { seq: number; changeset: Changeset } | { seq: number; database: Database } | { seq: number; skipped: RemoteDataError };

async function applyChangesets(deps: SyncDeps, objects: ChainObject[], st: SyncState, out: SyncOutcome): Promise<SyncState> {
  if (objects.length === 0) return st;
  const items: Item[] = [];
  try {
    for (const object of objects) {
      const packed = await deps.chain.download(object); // a network error ends the round: nothing applied
      out.bytesDown += packed.length;
      try {
        if (object.kind === 'changeset') items.push({ seq: object.seq, changeset: await decodeChangeset(packed, object.seq) });
        else items.push({ seq: object.seq, database: await openRemoteDatabase(deps.SQL, packed, `Generation ${object.seq}`, object.seq) });
      } catch (error) {
        if (!(error instanceof RemoteDataError) || error.kind === 'newer') throw error;
        items.push({ seq: object.seq, skipped: error });
      }
    }
    const own = new Map(st.ownCommits.map((c) => [c.seq, c.hlcBefore]));
    const { result: skipped } = await deps.store.writeTracked((db) => {
      const skippedHere: RemoteDataError[] = [];
      const node = clockNode(db);
      for (const item of items) {
        if ('skipped' in item) {
          skippedHere.push(item.skipped);
          continue;
        }
        try {
          // Each object in a savepoint of its own: one that cannot be merged is skipped whole.
          transaction(db, () => ('changeset' in item ? applyRows(db, item.changeset.tables) : mergeDatabase(db, item.database)));
        } catch (error) {
          skippedHere.push(new RemoteDataError(`Generation ${item.seq} could not be merged (${(error as Error).message}); it was skipped.`, 'unmergeable', item.seq));
        }
        // Another device could not read one of our commits: send again what we stamped since before it.
        for (const seq of 'changeset' in item ? item.changeset.damaged : []) {
          const before = own.get(seq);
          if (before !== undefined) {
            markForResend(db, node, before);
            own.delete(seq);
          }
        }
      }
      return skippedHere;
    });
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
    for (const item of items) if ('database' in item) item.database.close();
  }
}

/** A snapshot of `seq`, only when nothing is pending (so it equals the chain through seq). */
async function writeSnapshot(deps: SyncDeps, seq: number, st: SyncState, out: SyncOutcome): Promise<void> {
  const bytes = deps.store.read((db) => (pendingCount(db, st.uploadedThrough) === 0 ? db.export() : null));
  if (!bytes) return;
  const body = await gzip(bytes);
  if ((await deps.chain.snapshot(seq, body)) === 'ok') {
    out.snapshotSeq = seq;
    out.bytesUp += body.length;
  }
}
