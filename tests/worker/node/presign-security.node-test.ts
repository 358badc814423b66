import { describe, expect, it } from 'vitest';
import { bytesOf, client, commitAndUpload, makeEnv, putTo, tenant, waitFor } from '../helpers';

const alice = tenant('sec');
const a = client(makeEnv([alice]), alice);

const withPath = (url: string, f: (p: string) => string) => {
  const u = new URL(url);
  u.pathname = f(u.pathname);
  return u.toString();
};
const withParam = (url: string, k: string, f: (v: string) => string) => {
  const u = new URL(url);
  u.searchParams.set(k, f(u.searchParams.get(k) ?? ''));
  return u.toString();
};
const flipLast = (s: string) => s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');

describe('presigned URLs are enforced by RGW', () => {
  it('PUT: changed key, tampered signature, wrong length, other content type, missing If-None-Match -> 403', async () => {
    const bytes = bytesOf(512);
    const c = (await a.commit(1, bytes.length)).json;
    const { url, headers } = c;

    const changedKey = withPath(url, (p) => p.replace(/gen\/(\d+)/, (_, d) => `gen/${flipLast(d)}`));
    expect((await putTo(changedKey, headers, bytes)).status).toBe(403);
    const otherNs = withPath(url, (p) => p.replace(alice.ns, 'someone-else'));
    expect((await putTo(otherNs, headers, bytes)).status).toBe(403);
    const badSig = withParam(url, 'X-Amz-Signature', flipLast);
    expect((await putTo(badSig, headers, bytes)).status).toBe(403);
    const longer = withParam(url, 'X-Amz-Expires', () => '3600');
    expect((await putTo(longer, headers, bytes)).status).toBe(403);
    expect((await putTo(url, headers, bytesOf(513))).status).toBe(403);
    expect((await putTo(url, headers, bytesOf(511))).status).toBe(403);
    expect((await putTo(url, { ...headers, 'Content-Type': 'text/plain' }, bytes)).status).toBe(403);
    const { 'If-None-Match': _, ...noCondition } = headers;
    expect((await putTo(url, noCondition, bytes)).status).toBe(403);
    // a DELETE or GET with the PUT URL is refused too
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(403);

    // and the genuine request still works afterwards
    expect((await putTo(url, headers, bytes)).status).toBe(200);
  });

  it('GET: changed key and tampered signature -> 403', async () => {
    const [head] = (await a.begin(0)).json.changesets;
    expect((await fetch(head.url)).status).toBe(200);
    const changedKey = withPath(head.url, (p) => p.replace(/gen\/(\d+)/, (_, d) => `gen/${flipLast(d)}`));
    expect((await fetch(changedKey)).status).toBe(403);
    expect((await fetch(withParam(head.url, 'X-Amz-Signature', flipLast))).status).toBe(403);
    expect((await fetch(head.url, { method: 'DELETE' })).status).toBe(403);
  });

  it('expired URLs are refused (PRESIGN_TTL_SECONDS=2, polled until past expiresAt)', async () => {
    const shortEnv = makeEnv([alice], { PRESIGN_TTL_SECONDS: '2' });
    const s = client(shortEnv, alice);
    const head = (await s.begin(0)).json.changesets.at(-1);
    expect(Date.parse(head.expiresAt) - Date.now()).toBeLessThanOrEqual(2000);
    expect((await fetch(head.url)).status).toBe(200);

    const bytes = bytesOf(64);
    const put = (await s.commit(head.seq + 1, bytes.length)).json;

    // wait until the worker's own expiresAt has passed (plus RGW's 1 s date granularity), then check RGW refuses
    await waitFor(() => Date.now() > Date.parse(head.expiresAt) + 1000, 10_000, 100);
    expect((await fetch(head.url)).status).toBe(403);
    expect((await putTo(put.url, put.headers, bytes)).status).toBe(403);
    await commitAndUpload(s, head.seq + 1, bytes); // a fresh URL works
  });
});
