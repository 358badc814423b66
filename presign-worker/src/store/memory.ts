import { createHash, randomUUID } from 'node:crypto';
import { type BlobStore, type ObjectInfo, type PresignedRequest, type PutOptions, StorageError } from './types';

/**
 * An in-memory BlobStore that behaves like the S3 subset the worker relies on, presigned URLs included:
 * `fetch` serves them (GET; create-only PUT that checks the signed headers, the exact length and expiry, with
 * 403 / 412 as S3 answers). It passes the same contract suite as S3Store (tests/worker/node/blob-store.contract.ts).
 * For tests and local tools only: Node (node:crypto for the MD5 ETag), never bundled into the worker.
 */
export interface MemoryBlobStoreOptions {
  /** clock for Last-Modified and URL expiry (ms since epoch); tests pass a fake one */
  now?: () => number;
  /** origin of the presigned URLs this store hands out */
  origin?: string;
  /** presigned GETs live at most this long, whatever a route asks for (as S3Store's PRESIGN_GET_TTL_SECONDS) */
  maxGetTtlSeconds?: number;
}

interface StoredObject {
  bytes: Uint8Array;
  etag: string;
  lastModified: Date;
  contentType: string;
}

interface Grant {
  method: 'GET' | 'PUT';
  key: string; // full key
  expiresAt: number;
  put?: PutOptions;
}

class Bucket {
  readonly objects = new Map<string, StoredObject>();
  readonly grants = new Map<string, Grant>();
  constructor(
    readonly now: () => number,
    readonly origin: string,
    readonly maxGetTtlSeconds: number,
  ) {}
}

const md5Etag = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;
const GRANT_PARAM = 'X-Memory-Grant';

export class MemoryBlobStore implements BlobStore {
  private readonly bucket: Bucket;
  private readonly root: string;

  constructor(options: MemoryBlobStoreOptions = {}, internal?: { bucket: Bucket; root: string }) {
    this.bucket = internal?.bucket ?? new Bucket(options.now ?? Date.now, options.origin ?? 'http://memory-blob.test', options.maxGetTtlSeconds ?? 300);
    this.root = internal?.root ?? '';
  }

  scoped(subRoot: string): MemoryBlobStore {
    return new MemoryBlobStore({}, { bucket: this.bucket, root: this.root + subRoot });
  }

  async list(prefix: string, limit?: number, startAfter?: string): Promise<ObjectInfo[]> {
    const full = this.root + prefix;
    const after = startAfter === undefined ? undefined : this.root + startAfter;
    // S3 orders keys by UTF-8 bytes; JS string comparison is by UTF-16 code units, equal for the ASCII keys we use
    const keys = [...this.bucket.objects.keys()].filter((k) => k.startsWith(full) && (after === undefined || k > after)).sort();
    return keys.slice(0, limit ?? keys.length).map((k) => this.info(k));
  }

  async head(key: string): Promise<ObjectInfo | null> {
    return this.bucket.objects.has(this.root + key) ? this.info(this.root + key) : null;
  }

  async presignGet(key: string, expiresIn: number): Promise<PresignedRequest> {
    const { url, expiresAt } = this.grant({ method: 'GET', key: this.root + key, expiresIn: Math.min(expiresIn, this.bucket.maxGetTtlSeconds) });
    return { url, method: 'GET', headers: {}, expiresAt };
  }

  async presignPut(key: string, put: PutOptions): Promise<PresignedRequest> {
    const { url, expiresAt } = this.grant({ method: 'PUT', key: this.root + key, expiresIn: put.expiresIn, put });
    return {
      url,
      method: 'PUT',
      headers: { 'Content-Type': put.contentType, 'Content-Length': String(put.contentLength), 'If-None-Match': '*' },
      expiresAt,
    };
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const o = this.bucket.objects.get(this.root + fromKey);
    if (!o) throw new StorageError('NoSuchKey', 'copy: no such source object', 404); // the code S3Store reports
    this.bucket.objects.set(this.root + toKey, { ...o, lastModified: new Date(this.bucket.now()) });
  }

  async delete(key: string): Promise<void> {
    this.bucket.objects.delete(this.root + key); // like S3: deleting a missing key succeeds
  }

  /** Test seam: store an object directly (e.g. a legacy generation, or one with an old Last-Modified). */
  putObject(key: string, bytes: Uint8Array, o: { lastModified?: Date; contentType?: string } = {}): ObjectInfo {
    this.bucket.objects.set(this.root + key, {
      bytes: bytes.slice(),
      etag: md5Etag(bytes),
      lastModified: o.lastModified ?? new Date(this.bucket.now()),
      contentType: o.contentType ?? 'application/octet-stream',
    });
    return this.info(this.root + key);
  }

  /** Serves this store's presigned URLs the way S3 would; pass it to clients as their `fetch`. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const grant = this.bucket.grants.get(url.searchParams.get(GRANT_PARAM) ?? '');
    if (url.origin !== this.bucket.origin || !grant || grant.method !== req.method) return s3Error(403, 'SignatureDoesNotMatch');
    if (this.bucket.now() > grant.expiresAt) return s3Error(403, 'AccessDenied');
    if (grant.method === 'GET') {
      const o = this.bucket.objects.get(grant.key);
      if (!o) return s3Error(404, 'NoSuchKey');
      return new Response(o.bytes.slice(), {
        status: 200,
        headers: { ETag: o.etag, 'Content-Type': o.contentType, 'Last-Modified': o.lastModified.toUTCString() },
      });
    }
    const put = grant.put!;
    const bytes = new Uint8Array(await req.arrayBuffer());
    // signed headers: any other value is a signature mismatch, as with SigV4
    if (req.headers.get('content-type') !== put.contentType || req.headers.get('if-none-match') !== '*') {
      return s3Error(403, 'SignatureDoesNotMatch');
    }
    if (bytes.length !== put.contentLength) return s3Error(403, 'SignatureDoesNotMatch');
    if (this.bucket.objects.has(grant.key)) return s3Error(412, 'PreconditionFailed');
    const etag = md5Etag(bytes);
    this.bucket.objects.set(grant.key, { bytes, etag, lastModified: new Date(this.bucket.now()), contentType: put.contentType });
    return new Response(null, { status: 200, headers: { ETag: etag } });
  };

  private grant(g: { method: 'GET' | 'PUT'; key: string; expiresIn: number; put?: PutOptions }) {
    const id = randomUUID();
    // whole seconds, like X-Amz-Date + X-Amz-Expires
    const expiresAt = Math.floor(this.bucket.now() / 1000) * 1000 + g.expiresIn * 1000;
    this.bucket.grants.set(id, { method: g.method, key: g.key, expiresAt, put: g.put });
    const path = g.key.split('/').map(encodeURIComponent).join('/');
    return { url: `${this.bucket.origin}/${path}?${GRANT_PARAM}=${id}`, expiresAt: new Date(expiresAt) };
  }

  private info(fullKey: string): ObjectInfo {
    const o = this.bucket.objects.get(fullKey)!;
    return { key: fullKey.slice(this.root.length), size: o.bytes.length, etag: o.etag, lastModified: o.lastModified };
  }
}

function s3Error(status: number, code: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code></Error>`, {
    status,
    headers: { 'Content-Type': 'application/xml' },
  });
}
