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
import type { BlobStore, ObjectInfo, PresignedRequest, PutOptions } from './types';

/** BlobStore over any S3-compatible service (AWS S3, Cloudflare R2, MinIO, Ceph RGW). */
export class S3Store implements BlobStore {
  /** @param root key prefix every operation is confined to (e.g. "<S3_PREFIX><namespace>/") */
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly root: string,
  ) {}

  static fromConfig(s3: Config['s3']): S3Store {
    return new S3Store(createS3Client(s3), s3.bucket, s3.prefix);
  }

  scoped(subRoot: string): S3Store {
    return new S3Store(this.client, this.bucket, this.root + subRoot);
  }

  async list(prefix: string, limit?: number, startAfter?: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const r = await this.client.send(new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: this.root + prefix,
        ContinuationToken: token,
        StartAfter: startAfter === undefined ? undefined : this.root + startAfter,
        MaxKeys: limit ? Math.min(1000, limit - out.length) : 1000,
      }));
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
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.root + key }));
      return { key, size: r.ContentLength ?? 0, etag: r.ETag ?? '', lastModified: r.LastModified ?? new Date(0) };
    } catch (e) {
      if (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404) return null;
      throw e;
    }
  }

  async presignGet(key: string, expiresIn: number): Promise<PresignedRequest> {
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.root + key }), {
      expiresIn,
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
    const url = await getSignedUrl(this.client, cmd, {
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
    await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: this.root + toKey, CopySource: source }));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.root + key }));
  }
}

export function createS3Client(s3: Config['s3']): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    // SDK >= 3.729 otherwise signs a CRC32 of an empty body into presigned PUT URLs
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
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
