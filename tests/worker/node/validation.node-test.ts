import { describe, expect, it } from 'vitest';
import { call, makeEnv, tenant } from '../helpers';

const alice = tenant('valid');
const env = makeEnv([alice], { MAX_DB_BYTES: '1000', MAX_CSV_BYTES: '500' });
const post = (path: string, o: { body?: unknown; rawBody?: string; headers?: Record<string, string> }) =>
  call(env, 'POST', path, { token: alice.token, ...o });

function expect400(r: { status: number; json: any }) {
  expect(r.status).toBe(400);
  expect(typeof r.json.error).toBe('string');
  expect(Array.isArray(r.json.issues)).toBe(true);
}

describe('400 on malformed input', () => {
  it.each([
    ['not JSON', { rawBody: '{seq: 1', headers: { 'content-type': 'application/json' } }],
    ['wrong content type', { rawBody: '{"protocol":2,"seq":1,"size":1}', headers: { 'content-type': 'text/plain' } }],
    ['no fields but the protocol', { body: { protocol: 2 } }],
    ['seq as string', { body: { protocol: 2, seq: '1', size: 10 } }],
    ['seq zero', { body: { protocol: 2, seq: 0, size: 10 } }],
    ['fractional seq', { body: { protocol: 2, seq: 1.5, size: 10 } }],
    ['negative size', { body: { protocol: 2, seq: 1, size: -1 } }],
    ['size over MAX_DB_BYTES', { body: { protocol: 2, seq: 1, size: 1001 } }],
    ['a raw key field', { body: { protocol: 2, seq: 1, size: 10, key: '../other/gen/x' } }],
  ])('commit with %s', async (_, o) => {
    const r = await post('/v1/sync/commit', o);
    expect400(r);
  });

  it('names the offending fields', async () => {
    const r = await post('/v1/sync/commit', { body: { protocol: 2, seq: 'x', size: 5000 } });
    expect400(r);
    expect(r.json.issues.map((i: { path: string }) => i.path).sort()).toEqual(['seq', 'size']);
    expect(r.json.issues.find((i: { path: string }) => i.path === 'size').message).toMatch(/MAX_DB_BYTES/);
  });

  it.each([
    ['bad date', { gameDate: '2026-02-30', size: 10 }],
    ['date with path', { gameDate: '../2026-01-01', size: 10 }],
    ['missing size', { gameDate: '2026-01-01' }],
    ['size over MAX_CSV_BYTES', { gameDate: '2026-01-01', size: 501 }],
    ['extra field', { gameDate: '2026-01-01', size: 5, name: 'x.csv' }],
  ])('csv with %s', async (_, body) => {
    expect400(await post('/v1/csv', { body }));
  });

  it('begin and backups reject unknown fields and non-JSON', async () => {
    expect400(await post('/v1/sync/begin', { body: { protocol: 2, after: 0, key: 'gen/x' } }));
    expect400(await post('/v1/sync/snapshot', { body: { protocol: 2, seq: 1, size: 1001 } }));
    expect400(await post('/v1/sync/begin', { rawBody: 'nope' }));
    expect400(await post('/v1/backups', { body: { daily: 'yes' } }));
    expect400(await post('/v1/backups', { body: { source: 'gen/0001' } }));
  });

  it.each([
    'x',
    '..%2F..%2Fother%2Fgen%2F9999999998.sqlite.gz',
    '20260101T000000.000Z-seq1.sqlite.gz.exe',
    '20260101T000000Z-seq1.sqlite.gz',
    '20260101T000000.000Z-seq0.sqlite.gz',
    'a'.repeat(200),
  ])('backup name %s', async (name) => {
    expect400(await call(env, 'GET', `/v1/backups/${name}`, { token: alice.token }));
  });

  it('dot segments never reach a backup route', async () => {
    const r = await call(env, 'GET', '/v1/backups/%2E%2E', { token: alice.token });
    expect(r.status).toBe(404); // the URL parser resolves it to /v1/, which is no route
  });

  it('oversized request bodies are refused', async () => {
    const r = await post('/v1/sync/commit', { body: { protocol: 2, seq: 1, size: 10, pad: 'x'.repeat(20_000) } });
    expect(r.status).toBe(413);
  });
});
