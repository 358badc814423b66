// One sync round: begin → (download, validate, merge) → (commit a new generation). Local data is never
// replaced by remote bytes: a remote database is only ever merged in, after it passed validation.
import type { Database, SqlJsStatic } from 'sql.js';
import { InvalidDatabaseError, openValidated } from '../db/validate';
import { migrate } from '../db/schema';
import { pendingCount } from '../db/changes';
import { mergeDatabase, type MergeReport } from './merge';
import { type Head, SyncHttpError, type WorkerApi } from './api';
import { gunzip, gzip } from './gzip';
import type { SyncStateStore } from './state';

export interface SyncableStore {
  writeTracked<T>(fn: (db: Database) => T): Promise<{ result: T; generation: number }>;
  snapshot(): { bytes: Uint8Array; generation: number };
  readonly currentGeneration: number;
}

export interface SyncDeps {
  api: WorkerApi;
  store: SyncableStore;
  SQL: SqlJsStatic;
  state: SyncStateStore;
  now: () => number;
  /** For the presigned S3 requests. */
  fetchImpl?: typeof fetch;
}

export interface SyncOutcome {
  pulled: boolean;
  pushed: boolean;
  seq: number | null;
  /** HTTP requests made, worker and S3 together. */
  requests: number;
  bytesDown: number;
  bytesUp: number;
  merge: MergeReport | null;
  /** Set when the head generation was unreadable and this device committed its own data on top of it. */
  skippedGeneration: number | null;
}

export class RemoteDatabaseError extends Error {
  override name = 'RemoteDatabaseError';
  constructor(
    message: string,
    /** 'newer': another device runs a newer app (update, touch nothing); 'unreadable': damaged blob. */
    readonly kind: 'newer' | 'unreadable',
  ) {
    super(message);
  }
}

const MAX_ATTEMPTS = 5;

export async function syncOnce(deps: SyncDeps): Promise<SyncOutcome> {
  const fetchImpl = deps.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const outcome: SyncOutcome = { pulled: false, pushed: false, seq: null, requests: 0, bytesDown: 0, bytesUp: 0, merge: null, skippedGeneration: null };
  let state = await deps.state.load();

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    outcome.requests++;
    const { head } = await deps.api.begin();
    const headKnown = head !== null && head.seq === state.lastSeq && head.etag === state.lastEtag;
    const dirty = deps.store.currentGeneration !== state.syncedGeneration;

    if (headKnown && !dirty) break; // the common case: one request
    let localAhead = dirty || head === null;
    if (head && !headKnown) {
      let merged: { report: MergeReport & { localAhead: boolean }; generation: number } | null = null;
      try {
        merged = await pullAndMerge(deps, head, fetchImpl, outcome);
      } catch (error) {
        // A damaged head cannot be merged, but it must not stop every device forever: commit this
        // device's (intact) data on top, so the chain heals. A newer app's database is left alone.
        if (!(error instanceof RemoteDatabaseError) || error.kind !== 'unreadable') throw error;
        outcome.skippedGeneration = head.seq;
      }
      state = { ...state, lastSeq: head.seq, lastEtag: head.etag };
      localAhead = merged ? merged.report.localAhead : true;
      // Nothing of ours is missing remotely and no write slipped in after the merge: in sync.
      if (merged && !localAhead && deps.store.currentGeneration === merged.generation) {
        state = { ...state, syncedGeneration: merged.generation };
        break;
      }
    }
    if (!localAhead) {
      state = { ...state, syncedGeneration: deps.store.currentGeneration };
      break;
    }

    // Upload what this device has: a new immutable generation, create-only.
    const snapshot = deps.store.snapshot();
    const body = await gzip(snapshot.bytes);
    const seq = (head?.seq ?? 0) + 1;
    outcome.requests++;
    const commit = await deps.api.commit(seq, body.length);
    if ('conflict' in commit) continue; // someone else took seq: begin again, merge theirs, try seq + 1
    const headers = Object.fromEntries(Object.entries(commit.grant.headers).filter(([k]) => k.toLowerCase() !== 'content-length'));
    outcome.requests++;
    let put: Response;
    try {
      put = await fetchImpl(commit.grant.url, { method: 'PUT', headers, body: new Blob([body as BlobPart]) });
    } catch (error) {
      throw new SyncHttpError(`The upload to storage failed (${(error as Error).message}).`, 0);
    }
    await put.arrayBuffer().catch(() => undefined); // drain the (empty or XML) body so the request completes
    if (put.status === 412) continue; // lost the race for seq at S3 itself
    if (!put.ok) throw new SyncHttpError(`Storage refused the upload (${put.status}).`, put.status);
    outcome.pushed = true;
    outcome.bytesUp += body.length;
    state = { ...state, lastSeq: seq, lastEtag: put.headers.get('ETag') ?? '', syncedGeneration: snapshot.generation };
    break;
  }
  outcome.seq = state.lastSeq;
  state = { ...state, lastSyncAt: deps.now() };
  await deps.state.save(state);
  return outcome;
}

async function pullAndMerge(
  deps: SyncDeps,
  head: Head,
  fetchImpl: typeof fetch,
  outcome: SyncOutcome,
): Promise<{ report: MergeReport & { localAhead: boolean }; generation: number }> {
  outcome.requests++;
  let response: Response;
  try {
    response = await fetchImpl(head.url);
  } catch (error) {
    throw new SyncHttpError(`The download from storage failed (${(error as Error).message}).`, 0);
  }
  if (!response.ok) throw new SyncHttpError(`Storage refused the download (${response.status}).`, response.status);
  const compressed = new Uint8Array(await response.arrayBuffer());
  outcome.bytesDown += compressed.length;
  let bytes: Uint8Array;
  try {
    bytes = await gunzip(compressed);
  } catch {
    throw new RemoteDatabaseError(`The synced database (generation ${head.seq}) is not valid gzip; local data was left untouched.`, 'unreadable');
  }
  let remote: Database;
  try {
    remote = openValidated(deps.SQL, bytes);
  } catch (error) {
    const reason = error instanceof InvalidDatabaseError ? error.message : String(error);
    const kind = error instanceof InvalidDatabaseError && error.kind === 'newer' ? 'newer' : 'unreadable';
    throw new RemoteDatabaseError(`The synced database (generation ${head.seq}) was not used: ${reason} Local data was left untouched.`, kind);
  }
  try {
    migrate(remote); // an older app's database: bring it to our schema before merging
    const { result, generation } = await deps.store.writeTracked((db) => {
      const report = mergeDatabase(db, remote);
      return { ...report, localAhead: pendingCount(db, 0) > 0 };
    });
    outcome.pulled = true;
    outcome.merge = result;
    return { report: result, generation };
  } finally {
    remote.close();
  }
}
