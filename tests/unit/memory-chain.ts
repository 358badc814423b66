// An in-memory chain with the worker's protocol-2 rules (SYNC_V2_CONTRACT / docs/API.md): create-only
// seqs, snapshots, and `begin` answers decided by the worker's own pure rules (planBegin, snapshotDue,
// withoutSnapshots) over a view of the objects held here. Downloads go through the app's real presignedGet
// (size and MD5 checks) over a fake fetch, so faults look like the network.
import SparkMD5 from 'spark-md5';
import {
  MAX_CHANGESETS_PER_BEGIN,
  chainViewOf,
  planBegin,
  snapshotDue,
  withoutSnapshots,
  type ChainView,
} from '../../presign-worker/src/generations';
import { generationKey, snapshotKey } from '../../presign-worker/src/keys';
import type { ObjectInfo } from '../../presign-worker/src/store/types';
import type { BeginAnswer, ChainClient, ChainObject, PutOutcome } from '../../web/src/lib/sync/chain';
import { SyncHttpError } from '../../web/src/lib/sync/errors';
import { presignedGet } from '../../web/src/lib/sync/transfer';

interface Stored {
  seq: number;
  kind: 'changeset' | 'snapshot';
  bytes: Uint8Array;
}

const md5 = (b: Uint8Array) => SparkMD5.ArrayBuffer.hash(b.slice().buffer as ArrayBuffer);

export class MemoryChain {
  readonly generations = new Map<number, Stored>();
  readonly snapshots = new Map<number, Uint8Array>();

  head(): number {
    return Math.max(0, ...this.generations.keys());
  }

  /** The chain as the worker would list it from a bucket holding these objects. */
  view(): ChainView {
    const info = (key: string, bytes: Uint8Array): ObjectInfo => ({ key, size: bytes.length, etag: `"${md5(bytes)}"`, lastModified: new Date(0) });
    const newestFirst = <T extends { seq: number }>(xs: T[]) => xs.sort((a, b) => b.seq - a.seq);
    const gens = newestFirst([...this.generations.values()]).map((g) => info(generationKey(g.seq, g.kind === 'snapshot' ? 'legacy' : 'changeset'), g.bytes));
    const snaps = newestFirst([...this.snapshots].map(([seq, bytes]) => ({ seq, bytes }))).map((s) => info(snapshotKey(s.seq), s.bytes));
    return chainViewOf(gens, snaps, true);
  }

  /** The newest snapshot's seq (0: none). */
  newestSnapshot(): number {
    return this.view().snapshot?.seq ?? 0;
  }

  /** Bit rot: the newest commit's bytes become unreadable (its writer is none the wiser); returns its seq. */
  rotHead(): number {
    const seq = this.head();
    const stored = this.generations.get(seq)!;
    this.generations.set(seq, { ...stored, bytes: new TextEncoder().encode('not a changeset') });
    return seq;
  }

  /** Bit rot: the newest snapshot object's bytes are replaced (its writer is none the wiser). */
  rotNewestSnapshot(bytes: Uint8Array): number | null {
    const seq = Math.max(0, ...this.snapshots.keys());
    if (seq === 0) return null;
    this.snapshots.set(seq, bytes.slice());
    return seq;
  }

  /** A writer outside every device (a broken app, bit rot): puts `bytes` at the next seq. */
  inject(bytes: Uint8Array, kind: 'changeset' | 'snapshot' = 'changeset'): number {
    const seq = this.head() + 1;
    this.generations.set(seq, { seq, kind, bytes });
    return seq;
  }

  client(faults: DeviceFaults = {}): ChainClient & { faults: DeviceFaults } {
    return new MemoryClient(this, faults);
  }
}

export interface DeviceFaults {
  /** The next download is cut short by one byte. */
  truncateNext?: boolean;
  /** The next commit PUT lands, but its response is lost (the device sees a network error). */
  losePutResponse?: boolean;
  /** Every request fails (offline). */
  offline?: boolean;
}

class MemoryClient implements ChainClient {
  requests = 0;
  constructor(
    private readonly chain: MemoryChain,
    readonly faults: DeviceFaults,
  ) {}

  private request(): void {
    this.requests++;
    if (this.faults.offline) throw new SyncHttpError('offline', 0);
  }

  private object(seq: number, kind: 'changeset' | 'snapshot', snap: boolean): ChainObject {
    const bytes = snap ? this.chain.snapshots.get(seq)! : this.chain.generations.get(seq)!.bytes;
    return {
      seq,
      kind,
      name: `${snap ? 'snap' : 'gen'}/${seq}`,
      size: bytes.length,
      etag: `"${md5(bytes)}"`,
      time: new Date(0).toISOString(),
      url: `memory://${snap ? 'snap' : 'gen'}/${seq}`,
      expiresAt: new Date(0).toISOString(),
    };
  }

  async begin(after: number, damagedSnapshots?: number[]): Promise<BeginAnswer> {
    this.request();
    const { view, replace } = withoutSnapshots(this.chain.view(), damagedSnapshots ?? []);
    const plan = planBegin(view, after);
    const changesets = view.window.filter((g) => g.seq > plan.base && g.seq <= plan.base + MAX_CHANGESETS_PER_BEGIN).reverse();
    return {
      protocol: 2,
      head: view.head && { seq: view.head.seq, time: new Date(0).toISOString() },
      snapshot: plan.snapshot && this.object(plan.snapshot.seq, 'snapshot', plan.snapshot.isSnapshotObject),
      changesets: changesets.map((g) => this.object(g.seq, g.kind, false)),
      more: !!view.head && view.head.seq > plan.base + MAX_CHANGESETS_PER_BEGIN,
      snapshotDue: replace || snapshotDue(view),
      reset: plan.reset,
      ...(damagedSnapshots ? { snapshotSeq: view.snapshot?.seq ?? null } : {}),
    };
  }

  async download(object: ChainObject): Promise<Uint8Array> {
    this.request();
    const [, kind, n] = /^memory:\/\/(snap|gen)\/(\d+)$/.exec(object.url)!;
    const seq = Number(n);
    const bytes = kind === 'snap' ? this.chain.snapshots.get(seq) : this.chain.generations.get(seq)?.bytes;
    const truncate = this.faults.truncateNext;
    this.faults.truncateNext = false;
    const fake: typeof fetch = async () => {
      if (!bytes) return new Response(null, { status: 404 });
      return new Response(truncate ? bytes.slice(0, bytes.length - 1) : bytes.slice(), { status: 200 });
    };
    return presignedGet(fake, object);
  }

  async commit(seq: number, body: Uint8Array): Promise<PutOutcome> {
    this.request(); // the worker's commit grant
    if (seq !== this.chain.head() + 1) return 'taken';
    this.request(); // the PUT
    if (this.chain.generations.has(seq)) return 'taken';
    this.chain.generations.set(seq, { seq, kind: 'changeset', bytes: body.slice() });
    if (this.faults.losePutResponse) {
      this.faults.losePutResponse = false;
      throw new SyncHttpError('The upload to storage failed (connection reset).', 0);
    }
    return 'ok';
  }

  async snapshot(seq: number, body: Uint8Array): Promise<PutOutcome> {
    this.request();
    if (seq > this.chain.head() || !this.chain.generations.has(seq) || seq <= this.chain.newestSnapshot()) return 'taken';
    this.request();
    this.chain.snapshots.set(seq, body.slice());
    return 'ok';
  }
}
