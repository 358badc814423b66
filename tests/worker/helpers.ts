import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createApp } from '../../presign-worker/src/app';
import { S3Store } from '../../presign-worker/src/store/s3';
import { TEST_BUCKET, TEST_ORIGIN, TEST_S3 } from './rgw-env';

export const app = createApp();

/** A fresh namespace per test run, so runs against a long-lived RGW never see each other's objects. */
export const uniqueNs = (label: string) => `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export interface Tenant {
  ns: string;
  token: string;
}

export function tenant(label: string): Tenant {
  return { ns: uniqueNs(label), token: randomBytes(32).toString('base64url') };
}

const entry = (t: Tenant) => `${t.ns}:${createHash('sha256').update(t.token).digest('hex')}`;

/** A new env object (so a new validated config, store and rate limiter) for the given tenants. */
export function makeEnv(tenants: Tenant[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    S3_ENDPOINT: TEST_S3.endpoint,
    S3_REGION: TEST_S3.region,
    S3_BUCKET: TEST_BUCKET,
    S3_PREFIX: 'nba-daily/',
    S3_ACCESS_KEY_ID: TEST_S3.accessKeyId,
    S3_SECRET_ACCESS_KEY: TEST_S3.secretAccessKey,
    S3_WRITER_ACCESS_KEY_ID: TEST_S3.writer.accessKeyId,
    S3_WRITER_SECRET_ACCESS_KEY: TEST_S3.writer.secretAccessKey,
    S3_READER_ACCESS_KEY_ID: TEST_S3.reader.accessKeyId,
    S3_READER_SECRET_ACCESS_KEY: TEST_S3.reader.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    ALLOWED_ORIGINS: TEST_ORIGIN,
    ACCESS_TOKENS: tenants.map(entry).join(','),
    RATE_LIMIT_PER_MINUTE: '6000',
    RATE_LIMIT_BURST: '1000',
    ANON_RATE_LIMIT_PER_MINUTE: '6000',
    ANON_RATE_LIMIT_BURST: '1000',
    ...extra,
  };
}

/** Direct S3 access to a tenant's namespace (as the worker's own identity), to check what the worker did. */
export const rawStore = (t: Tenant) =>
  S3Store.fromConfig({ ...TEST_S3, bucket: TEST_BUCKET, prefix: 'nba-daily/', writer: undefined, reader: undefined }).scoped(`${t.ns}/`);

export interface Call {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Calls the worker in-process (app.fetch with the env) and returns status, headers and parsed JSON. */
export async function call(env: object, method: string, path: string, o: Call = {}) {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: string | undefined = o.rawBody;
  if (o.body !== undefined && method !== 'GET' && method !== 'HEAD') {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.fetch(new Request(`http://worker.test${path}`, { method, headers, body }), env);
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** A client bound to one tenant. */
export function client(env: object, t: Tenant) {
  return {
    begin: () => call(env, 'POST', '/v1/sync/begin', { token: t.token }),
    commit: (seq: number, size: number) => call(env, 'POST', '/v1/sync/commit', { token: t.token, body: { seq, size } }),
    get: (path: string) => call(env, 'GET', path, { token: t.token }),
    post: (path: string, body?: unknown) => call(env, 'POST', path, { token: t.token, body }),
  };
}

/** PUT bytes to a presigned URL with the headers the worker said to send (fetch sets Content-Length itself). */
export function putTo(url: string, headers: Record<string, string>, bytes: Uint8Array<ArrayBuffer>) {
  const h = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-length'));
  return fetch(url, { method: 'PUT', headers: h, body: bytes });
}

export const bytesOf = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** commit seq and upload bytes; asserts both steps succeed */
export async function commitAndUpload(c: ReturnType<typeof client>, seq: number, bytes: Uint8Array<ArrayBuffer>) {
  const r = await c.commit(seq, bytes.length);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const put = await putTo(r.json.url, r.json.headers, bytes);
  expect(put.status, await put.clone().text()).toBe(200);
  return { commit: r.json, etag: put.headers.get('etag') };
}

export function expectNoChecksumParams(url: string) {
  const params = [...new URL(url).searchParams.keys()].map((k) => k.toLowerCase());
  expect(params.filter((k) => k.startsWith('x-amz-checksum') || k.startsWith('x-amz-sdk-checksum'))).toEqual([]);
}

/** Poll until cond() is true or the deadline passes. */
export async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs = 10_000, everyMs = 100) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
