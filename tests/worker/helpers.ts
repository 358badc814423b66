import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createApp } from '../../presign-worker/src/app';
import { stateFor } from '../../presign-worker/src/state';
import { MemoryBlobStore } from '../../presign-worker/src/store/memory';
import { S3Store } from '../../presign-worker/src/store/s3';
import type { BlobStore } from '../../presign-worker/src/store/types';
import { TEST_BUCKET, TEST_ORIGIN, TEST_S3 } from './rgw-env';

export const app = createApp();
type App = ReturnType<typeof createApp>;

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
export async function call(env: object, method: string, path: string, o: Call = {}, worker: App = app) {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: string | undefined = o.rawBody;
  if (o.body !== undefined && method !== 'GET' && method !== 'HEAD') {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await worker.fetch(new Request(`http://worker.test${path}`, { method, headers, body }), env);
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** A sync protocol 2 client bound to one tenant (the worker app defaults to the S3-backed one). */
export function client(env: object, t: Tenant, worker: App = app) {
  const post = (path: string, body?: unknown) => call(env, 'POST', path, { token: t.token, body }, worker);
  return {
    begin: (after = 0) => post('/v1/sync/begin', { protocol: 2, after }),
    commit: (seq: number, size: number) => post('/v1/sync/commit', { protocol: 2, seq, size }),
    snapshot: (seq: number, size: number) => post('/v1/sync/snapshot', { protocol: 2, seq, size }),
    get: (path: string) => call(env, 'GET', path, { token: t.token }, worker),
    post,
  };
}
export type Client = ReturnType<typeof client>;

/** PUT bytes to a presigned URL with the headers the worker said to send (fetch sets Content-Length itself). */
export function putTo(url: string, headers: Record<string, string>, bytes: Uint8Array<ArrayBuffer>, fetchImpl: typeof fetch = fetch) {
  const h = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-length'));
  return fetchImpl(url, { method: 'PUT', headers: h, body: bytes });
}

export const bytesOf = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** commit seq and upload bytes; asserts both steps succeed */
export async function commitAndUpload(c: Client, seq: number, bytes: Uint8Array<ArrayBuffer>, fetchImpl: typeof fetch = fetch) {
  const r = await c.commit(seq, bytes.length);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const put = await putTo(r.json.url, r.json.headers, bytes, fetchImpl);
  expect(put.status, await put.clone().text()).toBe(200);
  return { commit: r.json, etag: put.headers.get('etag') };
}

/** write snapshot seq (the whole database through seq) and upload bytes; asserts both steps succeed */
export async function snapshotAndUpload(c: Client, seq: number, bytes: Uint8Array<ArrayBuffer>, fetchImpl: typeof fetch = fetch) {
  const r = await c.snapshot(seq, bytes.length);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const put = await putTo(r.json.url, r.json.headers, bytes, fetchImpl);
  expect(put.status, await put.clone().text()).toBe(200);
  return r.json;
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

/** The worker's clock in a test: real time plus an offset the test moves (no sleeping). */
export function testClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    date: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

export type BackendName = 'memory' | 'rgw';
export const BACKENDS: BackendName[] = ['memory', 'rgw'];

/**
 * One tenant's world on a storage backend: the worker app over that store (with a test clock), a protocol 2
 * client, direct access to the tenant's namespace, and the fetch that reaches the store's presigned URLs.
 * Both backends share the code under test; RGW's Last-Modified is its own (real) time, the memory store's
 * follows the test clock.
 */
export function world(backend: BackendName, label: string, extra: Record<string, string> = {}) {
  const t = tenant(label);
  const env = makeEnv([t], extra);
  const clock = testClock();
  const memory = backend === 'memory' ? new MemoryBlobStore({ now: clock.now }) : null;
  const root: BlobStore = memory ?? S3Store.fromConfig({ ...TEST_S3, bucket: TEST_BUCKET, prefix: 'nba-daily/' });
  const worker = createApp((e) => stateFor(e, () => root, clock.date));
  const raw = root.scoped(`${t.ns}/`);
  const fetchImpl: typeof fetch = memory ? memory.fetch : fetch;
  const c = client(env, t, worker);
  return {
    backend,
    tenant: t,
    env,
    clock,
    client: c,
    raw,
    fetch: fetchImpl,
    put: (answer: { url: string; headers: Record<string, string> }, bytes: Uint8Array<ArrayBuffer>) =>
      putTo(answer.url, answer.headers, bytes, fetchImpl),
    get: (url: string) => fetchImpl(url),
    commitAndUpload: (seq: number, bytes: Uint8Array<ArrayBuffer>) => commitAndUpload(c, seq, bytes, fetchImpl),
    /** Writes an object straight into the namespace (e.g. a v1 generation), as the store's own client would. */
    seed: async (key: string, bytes: Uint8Array<ArrayBuffer>) => {
      const put = await raw.presignPut(key, { contentType: 'application/gzip', contentLength: bytes.length, expiresIn: 60 });
      const r = await putTo(put.url, put.headers, bytes, fetchImpl);
      expect(r.status, `seed ${key}`).toBe(200);
    },
  };
}
export type World = ReturnType<typeof world>;
