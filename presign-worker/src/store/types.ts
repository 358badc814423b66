/**
 * The storage backend the worker needs, in the spirit of Litestream's ReplicaClient:
 * a handful of operations on keys relative to a root the backend was built with.
 * Keys never come from clients: the routes build them (see keys.ts).
 */
export interface ObjectInfo {
  key: string; // relative to the store root
  size: number;
  etag: string; // as S3 returns it, quoted
  lastModified: Date;
}

export interface PresignedRequest {
  url: string;
  method: 'GET' | 'PUT';
  /** headers the client must send exactly (they are signed into the URL) */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PutOptions {
  contentType: string;
  contentLength: number;
  expiresIn: number; // seconds
}

/**
 * A storage failure the routes cannot do anything about: the backend refused (code = S3's error name, e.g.
 * NoSuchKey), did not answer in time (S3Timeout), could not be reached (S3Unreachable) or answered with something
 * that is not S3 (S3BadAnswer). app.onError turns it into 502 {error, code}.
 */
export class StorageError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Every operation that fails (other than presigning) rejects with a StorageError. */
export interface BlobStore {
  /**
   * Objects under prefix in key order (S3 lists by UTF-8 byte order); at most `limit` if given; only keys
   * after `startAfter` (a key relative to the store root, need not exist) if given.
   */
  list(prefix: string, limit?: number, startAfter?: string): Promise<ObjectInfo[]>;
  /** Metadata of one object, or null if it does not exist. */
  head(key: string): Promise<ObjectInfo | null>;
  presignGet(key: string, expiresIn: number): Promise<PresignedRequest>;
  /** Create-only PUT: signs Content-Type, the exact Content-Length and If-None-Match: *. */
  presignPut(key: string, opts: PutOptions): Promise<PresignedRequest>;
  /** Server-side copy (no bytes pass through the worker). */
  copy(fromKey: string, toKey: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** The same backend confined to root + subRoot (used to fence each token into its namespace). */
  scoped(subRoot: string): BlobStore;
}
