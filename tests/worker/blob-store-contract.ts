// The BlobStore contract (presign-worker/src/store/types.ts), one suite for every implementation — in the spirit
// of Litestream's RunWithReplicaClient: the memory store runs it in the unit run, S3Store against the real RGW in
// the worker run (tests/worker/node/blob-store.node-test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type BlobStore, StorageError } from '../../presign-worker/src/store/types';

export interface ContractSetup {
  /** a store over an empty root of its own */
  store: BlobStore;
  /** the fetch that reaches this store's presigned URLs */
  fetch: typeof fetch;
  /** the store's clock now (ms); Last-Modified and expiresAt are checked against it */
  now: () => number;
  /** moves the store's clock (only stores with a controllable clock) */
  advance?: (ms: number) => void;
}

const md5 = (b: Uint8Array) => `"${createHash('md5').update(b).digest('hex')}"`;
const bytes = (n: number) => new Uint8Array(randomBytes(n));

/** `controllableClock`: the store's clock can be moved (`advance`), so expiry is checked without waiting. */
export function blobStoreContract(name: string, make: () => ContractSetup, o: { controllableClock: boolean }) {
  describe(`BlobStore contract: ${name}`, () => {
    async function upload(s: ContractSetup, key: string, body: Uint8Array<ArrayBuffer>, o: { contentType?: string } = {}) {
      const put = await s.store.presignPut(key, { contentType: 'application/gzip', contentLength: body.length, expiresIn: 60 });
      const { 'Content-Length': _, ...headers } = put.headers;
      return s.fetch(put.url, { method: 'PUT', headers: { ...headers, ...(o.contentType && { 'Content-Type': o.contentType }) }, body });
    }
    async function mustUpload(s: ContractSetup, key: string, body: Uint8Array<ArrayBuffer>) {
      const r = await upload(s, key, body);
      expect(r.status, key).toBe(200);
      return r;
    }

    it('an empty root lists nothing and heads null', async () => {
      const s = make();
      expect(await s.store.list('')).toEqual([]);
      expect(await s.store.head('gen/0000000001.cs.gz')).toBeNull();
    });

    it('presigned create-only PUT: exact headers, ETag is the MD5, a second PUT is 412 and changes nothing', async () => {
      const s = make();
      const body = bytes(1234);
      const put = await s.store.presignPut('a/obj', { contentType: 'application/gzip', contentLength: 1234, expiresIn: 60 });
      expect(put.method).toBe('PUT');
      expect(put.headers).toEqual({ 'Content-Type': 'application/gzip', 'Content-Length': '1234', 'If-None-Match': '*' });
      const exp = put.expiresAt.getTime() - s.now();
      expect(exp).toBeGreaterThan(58_000);
      expect(exp).toBeLessThanOrEqual(61_000);
      const r = await mustUpload(s, 'a/obj', body);
      expect(r.headers.get('etag')).toBe(md5(body));
      const info = await s.store.head('a/obj');
      expect(info).toMatchObject({ key: 'a/obj', size: 1234, etag: md5(body) });
      expect(Math.abs(info!.lastModified.getTime() - s.now())).toBeLessThan(60_000);
      expect((await upload(s, 'a/obj', bytes(1234))).status).toBe(412);
      expect((await s.store.head('a/obj'))?.etag).toBe(md5(body));
    });

    it('a PUT with another length, content type or without If-None-Match is 403 and stores nothing', async () => {
      const s = make();
      const put = await s.store.presignPut('k', { contentType: 'application/gzip', contentLength: 100, expiresIn: 60 });
      const { 'Content-Length': _, ...headers } = put.headers;
      const { 'If-None-Match': __, ...noCondition } = headers;
      const tries = [
        s.fetch(put.url, { method: 'PUT', headers, body: bytes(99) }),
        s.fetch(put.url, { method: 'PUT', headers, body: bytes(101) }),
        s.fetch(put.url, { method: 'PUT', headers: { ...headers, 'Content-Type': 'text/plain' }, body: bytes(100) }),
        s.fetch(put.url, { method: 'PUT', headers: noCondition, body: bytes(100) }),
      ];
      expect((await Promise.all(tries)).map((r) => r.status)).toEqual([403, 403, 403, 403]);
      expect(await s.store.head('k')).toBeNull();
    });

    it('presigned GET returns the bytes with the listed ETag; a missing key is 404 (403 for a GET-only signer)', async () => {
      const s = make();
      const body = bytes(500);
      await mustUpload(s, 'g/one', body);
      const get = await s.store.presignGet('g/one', 60);
      expect(get.method).toBe('GET');
      expect(get.headers).toEqual({});
      const r = await s.fetch(get.url);
      expect(r.status).toBe(200);
      expect(r.headers.get('etag')).toBe((await s.store.list('g/'))[0].etag);
      expect(new Uint8Array(await r.arrayBuffer())).toEqual(body);
      // a missing key: 404, or 403 where the GET-only signer may not list the bucket (S3 then hides whether it exists)
      expect([403, 404]).toContain((await s.fetch((await s.store.presignGet('g/none', 60)).url)).status);
    });

    it('list: key order (bytewise), prefix, limit, startAfter (a key that need not exist)', async () => {
      const s = make();
      const keys = ['a/2', 'a/10', 'a-x', 'a/1', 'b/1', 'a/1.cs', 'a/1/'];
      for (const k of keys) await mustUpload(s, k, bytes(3));
      const ls = async (prefix: string, limit?: number, after?: string) => (await s.store.list(prefix, limit, after)).map((o) => o.key);
      expect(await ls('')).toEqual([...keys].sort());
      expect(await ls('a/')).toEqual(['a/1', 'a/1.cs', 'a/1/', 'a/10', 'a/2']);
      expect(await ls('a/', 2)).toEqual(['a/1', 'a/1.cs']);
      expect(await ls('a/', undefined, 'a/1')).toEqual(['a/1.cs', 'a/1/', 'a/10', 'a/2']);
      expect(await ls('a/', 1, 'a/15')).toEqual(['a/2']); // "a/15" does not exist
      expect(await ls('a/', undefined, 'a/2')).toEqual([]);
      expect(await ls('c/')).toEqual([]);
      const [first] = await s.store.list('b/');
      expect(first).toMatchObject({ key: 'b/1', size: 3 });
    });

    it('scoped stores are fenced into their sub-root; keys stay relative', async () => {
      const s = make();
      const x = s.store.scoped('x/');
      const y = s.store.scoped('y/');
      const put = await x.presignPut('k', { contentType: 'application/gzip', contentLength: 4, expiresIn: 60 });
      const { 'Content-Length': _, ...headers } = put.headers;
      expect((await s.fetch(put.url, { method: 'PUT', headers, body: bytes(4) })).status).toBe(200);
      expect((await x.list('')).map((o) => o.key)).toEqual(['k']);
      expect(await y.list('')).toEqual([]);
      expect(await y.head('k')).toBeNull();
      expect((await s.store.list('')).map((o) => o.key)).toEqual(['x/k']);
      expect((await x.scoped('z/').list(''))).toEqual([]);
    });

    it('copy is server-side and keeps bytes and ETag; delete removes, and deleting a missing key succeeds', async () => {
      const s = make();
      const body = bytes(777);
      await mustUpload(s, 'src', body);
      await s.store.copy('src', 'dst/copy');
      const [src, dst] = await Promise.all([s.store.head('src'), s.store.head('dst/copy')]);
      expect(dst).toMatchObject({ size: 777, etag: src!.etag });
      expect(new Uint8Array(await (await s.fetch((await s.store.presignGet('dst/copy', 60)).url)).arrayBuffer())).toEqual(body);
      await s.store.delete('src');
      await s.store.delete('never-was');
      expect(await s.store.head('src')).toBeNull();
      expect((await s.store.list('')).map((o) => o.key)).toEqual(['dst/copy']);
    });

    it('a failing operation rejects with a StorageError naming S3\'s error (copy of a missing key: NoSuchKey)', async () => {
      const s = make();
      const err = await s.store.copy('missing', 'dst').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err).toMatchObject({ code: 'NoSuchKey', status: 404 });
      expect(await s.store.head('dst')).toBeNull();
    });

    // for S3 against real time, see presign-security.node-test.ts
    if (o.controllableClock) it('presigned URLs stop working once expired', async () => {
      const s = make();
      await mustUpload(s, 'e', bytes(8));
      const get = await s.store.presignGet('e', 10);
      const put = await s.store.presignPut('f', { contentType: 'application/gzip', contentLength: 8, expiresIn: 10 });
      s.advance!(11_000);
      expect((await s.fetch(get.url)).status).toBe(403);
      const { 'Content-Length': _, ...headers } = put.headers;
      expect((await s.fetch(put.url, { method: 'PUT', headers, body: bytes(8) })).status).toBe(403);
    });
  });
}
