// Runs inside workerd: requests go through the worker's real entry (presign-worker/src/index.ts).
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;
const call = (method: string, path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return worker.fetch(new Request(`https://presign.test${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  }));
};

describe('presign worker inside workerd', () => {
  it('GET /v1/health', async () => {
    const r = await call('GET', '/v1/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true });
  });

  it('401 without or with a wrong token', async () => {
    expect((await call('POST', '/v1/sync/begin')).status).toBe(401);
    expect((await call('POST', '/v1/sync/begin', { token: 'not-the-right-token-at-all' })).status).toBe(401);
    expect((await call('GET', '/v1/backups', { token: 'x'.repeat(43) })).status).toBe(401);
  });

  it('400 with {error, issues} on malformed bodies', async () => {
    const r = await call('POST', '/v1/sync/commit', { token: env.TEST_TOKEN_ALICE, body: { seq: 'one', size: -5 } });
    expect(r.status).toBe(400);
    const j = (await r.json()) as { error: string; issues: { path: string }[] };
    expect(j.error).toBeTruthy();
    expect(j.issues.map((i) => i.path).sort()).toEqual(['seq', 'size']);
    expect((await call('POST', '/v1/csv', { token: env.TEST_TOKEN_ALICE, body: { gameDate: '2026-13-01', size: 1 } })).status).toBe(400);
  });

  it('presigns a create-only CSV PUT of the right shape (no network needed)', async () => {
    const r = await call('POST', '/v1/csv', { token: env.TEST_TOKEN_ALICE, body: { gameDate: '2026-04-01', size: 123 } });
    expect(r.status).toBe(200);
    const j = (await r.json()) as { url: string; method: string; headers: Record<string, string>; expiresAt: string; name: string };
    expect(j.method).toBe('PUT');
    expect(j.name).toBe('2026-04-01.csv');
    expect(j.headers).toEqual({ 'Content-Type': 'text/csv', 'Content-Length': '123', 'If-None-Match': '*' });
    const u = new URL(j.url);
    expect(u.origin).toBe('http://127.0.0.1:7480');
    expect(u.pathname).toBe(`/${env.TEST_BUCKET}/workerd/alice/csv/2026-04-01.csv`);
    const q = u.searchParams;
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    // signed by the write-only identity, never by the worker's own key (see docs/S3_SETUP.md)
    expect(q.get('X-Amz-Credential')).toMatch(new RegExp(`^${env.S3_WRITER_ACCESS_KEY_ID}/\\d{8}/us-east-1/s3/aws4_request$`));
    expect(Number(q.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(q.get('X-Amz-SignedHeaders')?.split(';').sort()).toEqual(['content-length', 'content-type', 'host', 'if-none-match']);
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect([...q.keys()].filter((k) => /^x-amz-(sdk-)?checksum/i.test(k))).toEqual([]);
    const ttl = Date.parse(j.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(290_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it('CORS only for configured origins', async () => {
    const ok = await call('GET', '/v1/health', { headers: { origin: 'http://app.test:4173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://app.test:4173');
    const bad = await call('GET', '/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });
});

// The suite's global setup (tests/worker/global-setup.ts) starts the local RGW and creates the bucket.
describe('inside workerd against the local RGW', () => {
  it('begin -> commit -> PUT -> begin -> GET round trip', async () => {
    const token = env.TEST_TOKEN_BOB;
    const head = ((await (await call('POST', '/v1/sync/begin', { token })).json()) as { head: { seq: number } | null }).head;
    const seq = (head?.seq ?? 0) + 1;
    const bytes = new TextEncoder().encode(`generation ${seq} from workerd`);
    const c = await call('POST', '/v1/sync/commit', { token, body: { seq, size: bytes.length } });
    expect(c.status).toBe(200);
    const put = (await c.json()) as { url: string; headers: Record<string, string> };
    const { 'Content-Length': _, ...headers } = put.headers;
    expect((await fetch(put.url, { method: 'PUT', headers, body: bytes })).status).toBe(200);
    expect((await fetch(put.url, { method: 'PUT', headers, body: bytes })).status).toBe(412);
    const after = (await (await call('POST', '/v1/sync/begin', { token })).json()) as { head: { seq: number; url: string } };
    expect(after.head.seq).toBe(seq);
    expect(new TextDecoder().decode(await (await fetch(after.head.url)).arrayBuffer())).toBe(`generation ${seq} from workerd`);
  });
});
