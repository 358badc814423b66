// An in-memory chain with the worker's protocol-2 rules (SYNC_V2_CONTRACT / docs/API.md): create-only
// seqs, snapshots, `begin` answers with the same base / more / snapshotDue / reset logic. Downloads go
// through the app's real presignedGet (size and MD5 checks) over a fake fetch, so faults look like the network.
import SparkMD5 from 'spark-md5';
import type { BeginAnswer, ChainClient, ChainObject, PutOutcome } from '../../web/src/lib/sync/chain';
import { SyncHttpError } from '../../web/src/lib/sync/errors';
import { presignedGet } from '../../web/src/lib/sync/transfer';

interface Stored {
  seq: number;
  kind: 'changeset' | 'snapshot';
  bytes: Uint8Array;
}

export const PAGE = 100;
const md5 = (b: Uint8Array) => SparkMD5.ArrayBuffer.hash(b.slice().buffer as ArrayBuffer);

export class MemoryChain {
  readonly generations = new Map<number, Stored>();
  readonly snapshots = new Map<number, Uint8Array>();

  head(): number {
    return Math.max(0, ...this.generations.keys());
  }

  /** The newest snapshot's seq (0: none), leaving out the seqs in `skip` (a client's damagedSnapshots). */
  newestSnapshot(skip: ReadonlySet<number> = new Set()): number {
    let best = 0;
    for (const s of this.snapshots.keys()) if (!skip.has(s)) best = Math.max(best, s);
    for (const g of this.generations.values()) if (g.kind === 'snapshot' && !skip.has(g.seq)) best = Math.max(best, g.seq);
    return best;
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

  private object(seq: number, kind: 'changeset' | 'snapshot', bytes: Uint8Array, snap = false): ChainObject {
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
    const c = this.chain;
    const head = c.head();
    const named = damagedSnapshots ? { snapshotSeq: null } : {};
    if (head === 0) return { protocol: 2, head: null, snapshot: null, changesets: [], more: false, snapshotDue: false, reset: after > 0, ...named };
    const reset = after > head;
    const skip = new Set(damagedSnapshots ?? []);
    const snapSeq = c.newestSnapshot(skip);
    const replace = skip.has(c.newestSnapshot());
    const needSnapshot = snapSeq > 0 && (after === 0 || reset || head - after > PAGE);
    let snapshot: ChainObject | null = null;
    if (needSnapshot) {
      const bytes = c.snapshots.get(snapSeq) ?? c.generations.get(snapSeq)!.bytes;
      snapshot = this.object(snapSeq, 'snapshot', bytes, c.snapshots.has(snapSeq));
    }
    const base = snapshot ? snapSeq : reset ? 0 : after;
    const following = [...c.generations.values()].filter((g) => g.seq > base).sort((a, b) => a.seq - b.seq);
    const since = [...c.generations.values()].filter((g) => g.seq > snapSeq);
    const snapSize = snapSeq ? (c.snapshots.get(snapSeq) ?? c.generations.get(snapSeq)?.bytes)?.length ?? 0 : 0;
    const snapshotDue = snapSeq === 0 ? head >= 1 : since.length >= 32 || since.reduce((n, g) => n + g.bytes.length, 0) >= 0.25 * snapSize;
    return {
      protocol: 2,
      head: { seq: head, time: new Date(0).toISOString() },
      snapshot,
      changesets: following.slice(0, PAGE).map((g) => this.object(g.seq, g.kind, g.bytes)),
      more: following.length > PAGE,
      snapshotDue: replace || snapshotDue,
      reset,
      ...(damagedSnapshots ? { snapshotSeq: snapSeq || null } : {}),
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
