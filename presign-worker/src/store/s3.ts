import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config';
import { type BlobStore, type ObjectInfo, type PresignedRequest, type PutOptions, StorageError } from './types';

function storageError(op: string, e: unknown, timedOut: boolean, timeoutMs: number): StorageError {
  if (e instanceof StorageError) return e;
  if (e instanceof S3ServiceException) {
    const status = e.$metadata.httpStatusCode;
    return new StorageError(/^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(e.name) ? e.name : 'S3Error', `${op}: S3 answered ${status ?? '?'} ${e.name}`, status);
  }
  const { name, code } = (e ?? {}) as { name?: string; code?: string };
  // the SDK names a reset connection "TimeoutError" too (code ECONNRESET): the socket error code decides
  const socketError = typeof code === 'string' && /^E[A-Z_]+$/.test(code) && code !== 'ETIMEDOUT';
  if (timedOut || (!socketError && (name === 'TimeoutError' || name === 'AbortError'))) {
    return new StorageError('S3Timeout', `${op}: no answer from S3 within ${timeoutMs} ms`);
  }
  return new StorageError('S3Unreachable', `${op}: S3 could not be reached (${socketError ? code : (name ?? 'error')})`);
}

/** Clients for the three identities (see config.ts): only `manager` sends requests; the others only sign. */
export interface S3Clients {
  manager: S3Client;
  writer: S3Client;
  reader: S3Client;
}

/** BlobStore over any S3-compatible service (AWS S3, Cloudflare R2, MinIO, Ceph RGW). */
export class S3Store implements BlobStore {
  private readonly client: S3Client;
  /** @param root key prefix every operation is confined to (e.g. "<S3_PREFIX><namespace>/") */
  constructor(
    private readonly clients: S3Clients,
    private readonly bucket: string,
    private readonly root: string,
    private readonly limits: { timeoutMs: number; maxGetTtlSeconds: number } = { timeoutMs: 5000, maxGetTtlSeconds: 300 },
  ) {
    this.client = clients.manager;
  }

  /** Without writer/reader keys (test tooling only) the one key signs everything. */
  static fromConfig(s3: Pick<Config['s3'], 'endpoint' | 'region' | 'bucket' | 'prefix' | 'accessKeyId' | 'secretAccessKey' | 'forcePathStyle'> & Partial<Config['s3']>): S3Store {
    const manager = createS3Client(s3);
    const as = (id?: { accessKeyId: string; secretAccessKey: string }) => (id ? createS3Client({ ...s3, ...id }) : manager);
    return new S3Store({ manager, writer: as(s3.writer), reader: as(s3.reader) }, s3.bucket, s3.prefix, {
      timeoutMs: s3.timeoutMs ?? 5000,
      maxGetTtlSeconds: s3.maxGetTtlSeconds ?? 300,
    });
  }

  scoped(subRoot: string): S3Store {
    return new S3Store(this.clients, this.bucket, this.root + subRoot, this.limits);
  }

  /** Sends one command with the timeout; every failure becomes a StorageError. */
  private async send<O>(op: string, run: (client: S3Client, options: { abortSignal: AbortSignal }) => Promise<O>): Promise<O> {
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    try {
      return await run(this.client, { abortSignal: signal });
    } catch (e) {
      throw storageError(op, e, signal.aborted, this.limits.timeoutMs);
    }
  }

  async list(prefix: string, limit?: number, startAfter?: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const r = await this.send('list', (s3, o) => s3.send(new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: this.root + prefix,
        ContinuationToken: token,
        StartAfter: startAfter === undefined ? undefined : this.root + startAfter,
        MaxKeys: limit ? Math.min(1000, limit - out.length) : 1000,
      }), o));
      // every ListBucketResult names its bucket: anything else (an HTML page, an empty 200) is not an empty list
      if (r.Name !== this.bucket) throw new StorageError('S3BadAnswer', 'list: the answer is not a ListBucketResult for this bucket');
      for (const o of r.Contents ?? []) {
        if (!o.Key) continue;
        out.push({
          key: o.Key.slice(this.root.length),
          size: o.Size ?? 0,
          etag: o.ETag ?? '',
          lastModified: o.LastModified ?? new Date(0),
        });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token && (!limit || out.length < limit));
    return out;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const r = await this.send('head', (s3, o) => s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.root + key }), o));
      return { key, size: r.ContentLength ?? 0, etag: r.ETag ?? '', lastModified: r.LastModified ?? new Date(0) };
    } catch (e) {
      if (e instanceof StorageError && e.status === 404) return null;
      throw e;
    }
  }

  async presignGet(key: string, expiresIn: number): Promise<PresignedRequest> {
    const url = await getSignedUrl(this.clients.reader, new GetObjectCommand({ Bucket: this.bucket, Key: this.root + key }), {
      expiresIn: Math.min(expiresIn, this.limits.maxGetTtlSeconds),
    });
    return { url, method: 'GET', headers: {}, expiresAt: expiryOf(url) };
  }

  async presignPut(key: string, o: PutOptions): Promise<PresignedRequest> {
    const cmd = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.root + key,
      ContentType: o.contentType,
      ContentLength: o.contentLength,
      IfNoneMatch: '*',
    });
    const url = await getSignedUrl(this.clients.writer, cmd, {
      expiresIn: o.expiresIn,
      // signed as headers: the client must send exactly these values or S3 answers 403
      signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
    });
    return {
      url,
      method: 'PUT',
      headers: {
        'Content-Type': o.contentType,
        'Content-Length': String(o.contentLength),
        'If-None-Match': '*',
      },
      expiresAt: expiryOf(url),
    };
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const source = `${this.bucket}/${(this.root + fromKey).split('/').map(encodeURIComponent).join('/')}`;
    const r = await this.send('copy', (s3, o) => s3.send(new CopyObjectCommand({ Bucket: this.bucket, Key: this.root + toKey, CopySource: source }), o));
    if (!r.CopyObjectResult?.ETag) throw new StorageError('S3BadAnswer', 'copy: the answer is not a CopyObjectResult');
  }

  async delete(key: string): Promise<void> {
    await this.send('delete', (s3, o) => s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.root + key }), o));
  }
}

export function createS3Client(s3: Pick<Config['s3'], 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey' | 'forcePathStyle'>): S3Client {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    // SDK >= 3.729 otherwise signs a CRC32 of an empty body into presigned PUT URLs
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
  // An S3 answers in XML (or with an object's own type); an HTML page is a misconfigured endpoint or a proxy's
  // error page, never a result, whatever its status.
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const type = (out.response as { headers?: Record<string, string> }).headers?.['content-type'] ?? '';
      if (/^\s*text\/html\b/i.test(type)) throw new StorageError('S3BadAnswer', 'S3 answered with an HTML page');
      return out;
    },
    { step: 'deserialize', name: 'refuseHtmlAnswers', priority: 'low' },
  );
  return client;
}

/** Exact expiry of a SigV4 presigned URL: X-Amz-Date (20260426T120000Z) + X-Amz-Expires seconds. */
export function expiryOf(url: string): Date {
  const q = new URL(url).searchParams;
  const d = q.get('X-Amz-Date') ?? '';
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(d);
  if (!m) throw new Error('presigned URL without X-Amz-Date');
  const signed = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return new Date(signed + Number(q.get('X-Amz-Expires')) * 1000);
}
