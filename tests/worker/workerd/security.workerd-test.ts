// Issue 9 inside workerd (the worker as deployed): isolation against the local RGW, hostile S3 endpoints and
// upstreams over real sockets (tests/fixtures/hostile/server.ts), the content-type rule, no-store, and the
// Workers Rate Limiting bindings declared in wrangler.toml (miniflare runs them locally).
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../../presign-worker/src/app';

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;
type Init = { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string };
const request = (method: string, path: string, init: Init = {}) => {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  return new Request(`https://presign.test${path}`, { method, headers, body });
};
const call = (method: string, path: string, init: Init = {}) => worker.fetch(request(method, path, init));
/** The same app with some bindings replaced (pointing S3 or the upstreams at a hostile endpoint). */
const withEnv = (extra: Record<string, string>) => {
  const e = { ...env, ...extra };
  return (method: string, path: string, init: Init = {}) => app.fetch(request(method, path, init), e);
};
const json = async (r: Response) => (await r.json()) as any;
const BEGIN = { protocol: 2, after: 0 };
const alice = () => env.TEST_TOKEN_ALICE;
const bob = () => env.TEST_TOKEN_BOB;

describe('isolation against RGW (URLs signed inside workerd)', () => {
  it("a PUT URL plus x-amz-copy-source or x-amz-acl cannot copy or publish another namespace's generation", async () => {
    // alice commits a generation
    const head = (await json(await call('POST', '/v1/sync/begin', { token: alice(), body: BEGIN }))).head;
    const seq = (head?.seq ?? 0) + 1;
    const secret = new TextEncoder().encode(`alice's database ${seq}`);
    const c = await json(await call('POST', '/v1/sync/commit', { token: alice(), body: { protocol: 2, seq, size: secret.length } }));
    const { 'Content-Length': _, ...putHeaders } = c.headers;
    expect((await fetch(c.url, { method: 'PUT', headers: putHeaders, body: secret })).status).toBe(200);
    const source = decodeURIComponent(new URL(c.url).pathname);

    // bob (a token holder) and a leaked CSV URL (no token) try to copy it and publish it
    const bobHead = (await json(await call('POST', '/v1/sync/begin', { token: bob(), body: BEGIN }))).head;
    const bobPut = await json(await call('POST', '/v1/sync/commit', { token: bob(), body: { protocol: 2, seq: (bobHead?.seq ?? 0) + 1, size: secret.length } }));
    const csv = await json(await call('POST', '/v1/csv', { token: alice(), body: { gameDate: '2025-02-02', size: secret.length } }));
    for (const target of [bobPut, csv]) {
      const { 'Content-Length': __, ...h } = target.headers;
      for (const extra of [{ 'x-amz-copy-source': source }, { 'x-amz-acl': 'public-read' }, { 'x-amz-copy-source': source, 'x-amz-acl': 'public-read' },
        { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }]) {
        const r = await fetch(target.url, { method: 'PUT', headers: { ...h, ...extra }, body: secret });
        expect(r.status, JSON.stringify(extra)).toBe(403);
        await r.arrayBuffer();
      }
      const u = new URL(target.url);
      expect((await fetch(`${u.origin}${u.pathname}`)).status).toBe(403);
    }
    expect((await json(await call('POST', '/v1/sync/begin', { token: bob(), body: BEGIN }))).head?.seq ?? 0).toBe(bobHead?.seq ?? 0);
  });
});

describe('a misbehaving S3 → 502 with a code, within S3_TIMEOUT_MS', () => {
  for (const [name, endpoint, code] of [
    ['resets connections', 'HOSTILE_S3_RESET', 'S3Unreachable'],
    ['never answers', 'HOSTILE_S3_HANG', 'S3Timeout'],
    ['serves an HTML page', 'HOSTILE_S3_HTML', 'S3BadAnswer'],
  ] as const) {
    it(`S3 that ${name}: begin, commit and backups → 502 ${code}`, async () => {
      const w = withEnv({ S3_ENDPOINT: env[endpoint], S3_TIMEOUT_MS: '300' });
      for (const [method, path, body] of [['POST', '/v1/sync/begin', { protocol: 2, after: 0 }], ['POST', '/v1/sync/commit', { protocol: 2, seq: 1, size: 5 }], ['GET', '/v1/backups']] as const) {
        const r = await w(method, path, { token: alice(), body });
        expect(r.status, path).toBe(502);
        expect(await r.json()).toEqual({ error: 'storage error', code });
      }
    });
  }
});

describe('hostile upstreams over real sockets', () => {
  const nba = (prefix: string, extra: Record<string, string> = {}) =>
    withEnv({ NBA_CDN_BASE: `${env.HOSTILE_UPSTREAM}/${prefix}`, ESPN_BASE: `${env.HOSTILE_UPSTREAM}/${prefix}`, NBA_UPSTREAM_TIMEOUT_MS: '10000', ...extra });

  it('a redirect is not followed: the other path never sees a request or the nba.com Referer', async () => {
    await fetch(`${env.HOSTILE_UPSTREAM}/stats/reset`);
    const r = await nba('redirect')('GET', '/v1/nba/day/2024-01-10', { token: alice() });
    expect(r.status).toBe(502);
    expect((await json(r)).reason).toMatch(/HTTP 302 redirect \(not followed\)/);
    const stats = await json(await fetch(`${env.HOSTILE_UPSTREAM}/stats`));
    expect(stats.elsewhere).toBe(0);
  });

  it('an endless chunked body and an endless gzip body are cut at the limit as they arrive', async () => {
    for (const prefix of ['endless', 'gzip-bomb']) {
      const t0 = Date.now();
      const r = await nba(prefix)('GET', '/v1/nba/day/2024-01-10', { token: alice() });
      expect(r.status, prefix).toBe(502);
      expect((await json(r)).reason, prefix).toMatch(/body too large \(more than \d+ bytes\)/);
      expect(Date.now() - t0).toBeLessThan(10_000);
    }
  });

  it('a 2 MB multi-line team code comes back as a short single-line excerpt', async () => {
    const r = await nba('huge')('GET', '/v1/nba/day/2024-01-10', { token: alice() });
    expect(r.status).toBe(502);
    const text = await r.text();
    expect(text.length).toBeLessThan(1000);
    expect(JSON.parse(text).reason).not.toMatch(/[\r\n]/);
  });
});

describe('requests', () => {
  it('a non-empty begin or backups body must be JSON; answers carrying URLs are no-store', async () => {
    for (const [path, raw] of [['/v1/sync/begin', JSON.stringify(BEGIN)], ['/v1/backups', '{}']]) {
      const r = await call('POST', path, { token: alice(), raw, headers: { 'content-type': 'text/plain' } });
      expect(r.status, path).toBe(400);
    }
    const begin = await call('POST', '/v1/sync/begin', { token: alice(), body: BEGIN });
    expect(begin.headers.get('cache-control')).toBe('no-store');
    const csv = await call('POST', '/v1/csv', { token: alice(), body: { gameDate: '2025-02-03', size: 3 } });
    expect(csv.headers.get('cache-control')).toBe('no-store');
  });
});

/**
 * Miniflare counts in fixed windows of the period, aligned on the clock (floor(Date.now() / period)): a burst that
 * straddles a boundary is counted in two windows, and its last request is let through (CI failed so once). A burst
 * starts where at least `needMs` of its window are left, else at the next window's start.
 */
async function inOneWindow(periodMs: number, needMs: number): Promise<void> {
  const left = periodMs - (Date.now() % periodMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 20));
}

describe('Workers Rate Limiting bindings (wrangler.toml [[ratelimits]], run by miniflare)', () => {
  it('per token: the 61st request within a minute is 429 (the in-memory burst here would allow 1000)', async () => {
    await inOneWindow(60_000, 10_000);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await call('GET', '/v1/nope', { token: env.TEST_TOKEN_CAROL })).status);
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    expect(statuses[60]).toBe(429);
    const limited = await call('GET', '/v1/nope', { token: env.TEST_TOKEN_CAROL });
    expect(limited.headers.get('retry-after')).toBe('60');
    // other tokens and namespaces are not affected
    expect((await call('GET', '/v1/nope', { token: bob() })).status).toBe(404);
  });

  it('unauthenticated requests: per CF-Connecting-IP, 30 a minute', async () => {
    const from = (ip: string) => call('POST', '/v1/sync/begin', { headers: { 'cf-connecting-ip': ip, authorization: 'Bearer wrong-wrong-wrong-wrong' } });
    await inOneWindow(60_000, 10_000);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await from('198.51.100.7')).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect((await call('GET', '/v1/health', { headers: { 'cf-connecting-ip': '198.51.100.7' } })).status).toBe(429);
    expect((await from('198.51.100.8')).status).toBe(401);
  });
});
