// What a sync round needs from the chain (docs/API.md, protocol 2), as an interface: the worker + S3
// implement it in production (worker-chain.ts), an in-memory chain in the property tests.
import { z } from 'zod';

export const chainObject = z.lazy(() => z.object({
  seq: z.number().int().positive(),
  kind: z.enum(['changeset', 'snapshot']),
  name: z.string(),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  time: z.string(),
  url: z.string(),
  expiresAt: z.string(),
}));
export type ChainObject = z.infer<typeof chainObject>;

export const headInfo = z.lazy(() => z.object({ seq: z.number().int().positive(), time: z.string() }));

export const beginAnswer = z.lazy(() => z.object({
  protocol: z.literal(2),
  head: headInfo.nullable(),
  snapshot: chainObject.nullable(),
  changesets: z.array(chainObject).max(1000),
  more: z.boolean(),
  snapshotDue: z.boolean(),
  reset: z.boolean(),
  /** Only in answers to a begin that named damaged snapshots: the newest snapshot not among them. */
  snapshotSeq: z.number().int().positive().nullable().optional(),
}));
export type BeginAnswer = z.infer<typeof beginAnswer>;

/** 'ok' = the object is in the chain; 'taken' = another device won that seq (409 or 412): begin again. */
export type PutOutcome = 'ok' | 'taken';

export interface ChainClient {
  /** `damagedSnapshots`: snapshot seqs this device could not use; the answer then falls back below them. */
  begin(after: number, damagedSnapshots?: number[]): Promise<BeginAnswer>;
  /** The object's bytes, checked against the size (and MD5 ETag) the listing gave; otherwise a SyncHttpError. */
  download(object: ChainObject): Promise<Uint8Array>;
  commit(seq: number, body: Uint8Array): Promise<PutOutcome>;
  snapshot(seq: number, body: Uint8Array): Promise<PutOutcome>;
  /** Requests made so far (worker and storage together), for outcomes and benchmarks. */
  readonly requests: number;
}
