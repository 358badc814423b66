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
    const r = await call('POST', '/v1/sync/commit', { token: env.TEST_TOKEN_ALICE, body: { protocol: 2, seq: 'one', size: -5 } });
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
    expect(u.pathname).toBe(`/${env.TEST_BUCKET}/${env.TEST_S3_PREFIX}alice/csv/2026-04-01.csv`);
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
describe('sync protocol 2 inside workerd against the local RGW', () => {
  const token = () => env.TEST_TOKEN_BOB;
  const post = async (path: string, body?: unknown) => {
    const r = await call('POST', path, { token: token(), body });
    return { status: r.status, json: (await r.json()) as any };
  };
  const put = (answer: { url: string; headers: Record<string, string> }, bytes: Uint8Array) => {
    const { 'Content-Length': _, ...headers } = answer.headers;
    return fetch(answer.url, { method: 'PUT', headers, body: bytes });
  };
  const text = async (url: string) => new TextDecoder().decode(await (await fetch(url)).arrayBuffer());

  it('426 without "protocol": 2', async () => {
    for (const [path, body] of [['/v1/sync/begin', undefined], ['/v1/sync/begin', {}], ['/v1/sync/commit', { seq: 1, size: 1 }], ['/v1/sync/snapshot', { seq: 1, size: 1 }]] as const) {
      const r = await post(path, body);
      expect(r.status).toBe(426);
      expect(r.json).toMatchObject({ code: 'upgrade-required', protocol: 2 });
    }
  });

  it('begin → commit → PUT → snapshot → PUT → begin for a new device and for one behind', async () => {
    const empty = await post('/v1/sync/begin', { protocol: 2, after: 0 });
    expect(empty.json).toEqual({ protocol: 2, head: null, snapshot: null, changesets: [], more: false, snapshotDue: false, reset: false });
    for (const seq of [1, 2, 3]) {
      const bytes = new TextEncoder().encode(`changeset ${seq} from workerd`);
      const c = await post('/v1/sync/commit', { protocol: 2, seq, size: bytes.length });
      expect(c.status).toBe(200);
      expect(c.json.name).toBe(`gen-${seq}`);
      expect(new URL(c.json.url).pathname).toMatch(/\/bob\/gen\/\d{10}\.cs\.gz$/);
      expect((await put(c.json, bytes)).status).toBe(200);
      expect((await put(c.json, bytes)).status).toBe(412);
    }
    expect((await post('/v1/sync/commit', { protocol: 2, seq: 3, size: 5 })).json).toMatchObject({ head: { seq: 3 } });
    const behind = await post('/v1/sync/begin', { protocol: 2, after: 1 });
    expect(behind.json).toMatchObject({ head: { seq: 3 }, snapshot: null, more: false, snapshotDue: true, reset: false });
    expect(behind.json.changesets.map((g: { seq: number; kind: string }) => [g.seq, g.kind])).toEqual([[2, 'changeset'], [3, 'changeset']]);
    expect(await text(behind.json.changesets[1].url)).toBe('changeset 3 from workerd');

    const snap = new TextEncoder().encode('snapshot through 2');
    const s = await post('/v1/sync/snapshot', { protocol: 2, seq: 2, size: snap.length });
    expect(s.status).toBe(200);
    expect(new URL(s.json.url).pathname).toMatch(/\/bob\/snap\/\d{10}\.sqlite\.gz$/);
    expect((await put(s.json, snap)).status).toBe(200);
    expect((await post('/v1/sync/snapshot', { protocol: 2, seq: 2, size: 5 })).json).toMatchObject({ snapshot: { seq: 2 } });

    const fresh = await post('/v1/sync/begin', { protocol: 2, after: 0 });
    expect(fresh.json.snapshot).toMatchObject({ seq: 2, kind: 'snapshot', name: 'snap-2', size: snap.length });
    expect(await text(fresh.json.snapshot.url)).toBe('snapshot through 2');
    expect(fresh.json.changesets.map((g: { seq: number }) => g.seq)).toEqual([3]);
    const backup = await post('/v1/backups', {});
    expect(backup.status).toBe(201);
    expect(backup.json.backup).toMatchObject({ seq: 2, size: snap.length });
  });
});
