import { describe, expect, it } from 'vitest';
import { startNodeServer } from '../../../presign-worker/src/node-server';
import { call, makeEnv, tenant } from '../helpers';
import { TEST_ORIGIN } from '../rgw-env';

const alice = tenant('health');
const env = makeEnv([alice]);

describe('health, configuration and CORS', () => {
  it('GET /v1/health needs no token', async () => {
    const r = await call(env, 'GET', '/v1/health');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true });
  });

  it('answers 503 without leaking values when the configuration is invalid', async () => {
    const bad = { ...env, ACCESS_TOKENS: 'alice:not-a-hash', S3_SECRET_ACCESS_KEY: 'sekrit-value' };
    const r = await call(bad, 'GET', '/v1/health');
    expect(r.status).toBe(503);
    expect(r.text).not.toContain('sekrit-value');
    expect(r.text).not.toContain('not-a-hash');
  });

  it('unknown routes are 404 JSON (after auth)', async () => {
    expect((await call(env, 'GET', '/v1/nope', { token: alice.token })).status).toBe(404);
    expect((await call(env, 'DELETE', '/v1/backups/x', { token: alice.token })).status).toBe(404);
  });

  it('CORS: configured origin gets the headers and ETag exposed; others get none', async () => {
    const ok = await call(env, 'GET', '/v1/health', { headers: { origin: TEST_ORIGIN } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(TEST_ORIGIN);
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/etag/i);
    const other = await call(env, 'GET', '/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS preflight is answered without a token, only for configured origins', async () => {
    const pre = (origin: string) =>
      call(env, 'OPTIONS', '/v1/sync/begin', {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const ok = await pre(TEST_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(TEST_ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    expect((await pre('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the Node entry serves the same app over HTTP', async () => {
    const { url, server } = await startNodeServer(env, 0);
    try {
      const r = await fetch(`${url}/v1/health`);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { ok: boolean }).ok).toBe(true);
      expect((await fetch(`${url}/v1/sync/begin`, { method: 'POST' })).status).toBe(401);
    } finally {
      server.close();
    }
  });
});
