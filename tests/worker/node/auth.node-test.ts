import { describe, expect, it } from 'vitest';
import { bytesOf, call, client, commitAndUpload, makeEnv, putTo, rawStore, tenant } from '../helpers';

const alice = tenant('alice');
const bob = tenant('bob');
const env = makeEnv([alice, bob]);

describe('auth', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer ' + 'x'.repeat(43) }],
    ['a token with its hash instead', { authorization: `Bearer ${env.ACCESS_TOKENS.split(',')[0].split(':')[1]}` }],
    ['a non-Bearer scheme', { authorization: `Basic ${alice.token}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('401 with %s', async (_, headers) => {
    for (const [method, path] of [['POST', '/v1/sync/begin'], ['POST', '/v1/sync/commit'], ['GET', '/v1/backups'],
      ['POST', '/v1/backups'], ['GET', '/v1/backups/20260101T000000.000Z-seq1.sqlite.gz'], ['POST', '/v1/csv']]) {
      const r = await call(env, method, path, { headers, body: { seq: 1, size: 10 } });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(r.json.error).toBeTruthy();
    }
  });

  it("another namespace's data is unreachable", async () => {
    const a = client(env, alice);
    const b = client(env, bob);
    const bytes = bytesOf(100);
    await commitAndUpload(a, 1, bytes);
    const snap = await a.snapshot(1, bytes.length);
    expect((await putTo(snap.json.url, snap.json.headers, bytes)).status).toBe(200);
    expect((await a.post('/v1/backups')).status).toBe(201);

    const aSnap = (await a.begin(0)).json.snapshot;
    expect(aSnap.seq).toBe(1);
    expect(new URL(aSnap.url).pathname).toContain(`/${alice.ns}/snap/`);

    // bob sees an empty namespace: no head, no backups, and his commit 1 is not a conflict
    expect((await b.begin()).json.head).toBeNull();
    expect((await b.get('/v1/backups')).json.backups).toEqual([]);
    const aBackup = (await a.get('/v1/backups')).json.backups[0].name;
    expect((await b.get(`/v1/backups/${aBackup}`)).status).toBe(404);
    const bc = await b.commit(1, 10);
    expect(bc.status).toBe(200);
    expect(new URL(bc.json.url).pathname).toContain(`/${bob.ns}/gen/`);
    expect(bc.json.url).not.toContain(alice.ns);

    // bob's URL for seq 1 cannot overwrite alice's object: different key, and create-only anyway
    expect((await rawStore(alice).list('gen/')).length).toBe(1);
    expect((await rawStore(bob).list('')).length).toBe(0);
  });

  it('429 with Retry-After once the per-token bucket is empty; other tokens unaffected', async () => {
    const limited = makeEnv([alice, bob], { RATE_LIMIT_BURST: '3', RATE_LIMIT_PER_MINUTE: '1' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(limited, 'GET', '/v1/nope', { token: alice.token })).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const r = await call(limited, 'POST', '/v1/sync/begin', { token: alice.token });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(limited, 'GET', '/v1/nope', { token: bob.token })).status).toBe(404);
    expect((await call(limited, 'GET', '/v1/health')).status).toBe(200); // health is never limited
  });
});
