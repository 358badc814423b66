// The one helper for presigned storage requests: downloads checked against what the listing promised,
// create-only uploads. Used by sync, backups and the CSV safety copies.
import SparkMD5 from 'spark-md5';
import { deadline, deadlineFor } from './deadline';
import { SyncHttpError } from './errors';

type Fetch = typeof fetch;

export interface Expected {
  url: string;
  /** Bytes the listing reported; a shorter or longer body is a network error, never "damaged". */
  size?: number;
  /** The ETag; when it is a plain MD5 (no "-"), the body must hash to it. */
  etag?: string;
  maxBytes?: number;
  /** Default: deadlineFor the size (or the bound). */
  deadlineMs?: number;
}

export async function presignedGet(fetchImpl: Fetch, expected: Expected): Promise<Uint8Array> {
  const { signal, reason } = deadline(expected.deadlineMs ?? deadlineFor(expected.size ?? expected.maxBytes));
  let response: Response;
  try {
    response = await fetchImpl(expected.url, { signal });
  } catch (error) {
    throw new SyncHttpError(`The download from storage failed (${reason(error)}).`, 0);
  }
  if (!response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    throw new SyncHttpError(`Storage refused the download (${response.status}).`, response.status);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new SyncHttpError(`The download from storage broke off (${reason(error)}).`, 0);
  }
  if (expected.maxBytes !== undefined && bytes.length > expected.maxBytes) {
    throw new SyncHttpError(`The download is larger than allowed (${bytes.length} bytes).`, 0);
  }
  if (expected.size !== undefined && bytes.length !== expected.size) {
    throw new SyncHttpError(`The download was cut short (${bytes.length} of ${expected.size} bytes); it will be fetched again.`, 0);
  }
  const md5 = expected.etag?.replace(/"/g, '').toLowerCase();
  if (md5 && /^[0-9a-f]{32}$/.test(md5) && SparkMD5.ArrayBuffer.hash(bytes.slice().buffer as ArrayBuffer) !== md5) {
    throw new SyncHttpError('The download arrived altered (its MD5 does not match the stored object); it will be fetched again.', 0);
  }
  return bytes;
}

export interface PutGrant {
  url: string;
  headers: Record<string, string>;
}

/** Create-only PUT: 'ok' once stored, 'exists' when the key was taken (412). Other failures throw SyncHttpError. */
export async function presignedPut(fetchImpl: Fetch, grant: PutGrant, body: Uint8Array, deadlineMs = deadlineFor(body.length)): Promise<'ok' | 'exists'> {
  // The platform sets Content-Length itself (it is a forbidden header for fetch).
  const headers = Object.fromEntries(Object.entries(grant.headers).filter(([k]) => k.toLowerCase() !== 'content-length'));
  const { signal, reason } = deadline(deadlineMs);
  let put: Response;
  try {
    put = await fetchImpl(grant.url, { method: 'PUT', headers, body: new Blob([body as BlobPart]), signal });
  } catch (error) {
    throw new SyncHttpError(`The upload to storage failed (${reason(error)}).`, 0);
  }
  await put.arrayBuffer().catch(() => undefined); // drain the (empty or XML) body so the request completes
  if (put.status === 412) return 'exists';
  if (!put.ok) throw new SyncHttpError(`Storage refused the upload (${put.status}).`, put.status);
  return 'ok';
}
