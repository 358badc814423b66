// Bounded cost, tokens, content types, caching and unauthenticated rate limits (issue 9, items 4-7).
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backupsToPrune, manualBackupWait } from '../../../presign-worker/src/backup-policy';
import { startNodeServer } from '../../../presign-worker/src/node-server';
import { bytesOf, call, client, commitAndUpload, makeEnv, rawStore, snapshotAndUpload, tenant } from '../helpers';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const BEGIN = { protocol: 2, after: 0 };
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('backups: rate and retention', () => {
  it('one manual backup per BACKUP_MIN_INTERVAL_SECONDS per namespace (429 with Retry-After); the daily one does not count', async () => {
    const alice = tenant('bk-rate');
    const a = client(makeEnv([alice]), alice);
    await commitAndUpload(a, 1, bytesOf(50));
    await snapshotAndUpload(a, 1, bytesOf(60)); // a backup copies the newest snapshot
    // the day's first backup is its daily one (the app makes it on its first sync); "Back up now" right after works
    expect((await a.post('/v1/backups', { daily: true })).status).toBe(201);
    expect((await a.post('/v1/backups', {})).status).toBe(201);
    const again = await a.post('/v1/backups', {});
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    // the automatic daily backup still answers (it already exists today)
    const daily = await a.post('/v1/backups', { daily: true });
    expect(daily.status).toBe(200);
    expect(daily.json.created).toBe(false);
    expect((await a.get('/v1/backups')).json.backups).toHaveLength(2);
  });

  it('retention keeps the first backup of each day and the newest BACKUP_MANUAL_KEEP others, deleting the rest', async () => {
    const alice = tenant('bk-keep');
    const a = client(makeEnv([alice], { BACKUP_MIN_INTERVAL_SECONDS: '0', BACKUP_MANUAL_KEEP: '2' }), alice);
    await commitAndUpload(a, 1, bytesOf(50));
    await snapshotAndUpload(a, 1, bytesOf(60)); // a backup copies the newest snapshot
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await a.post('/v1/backups', {});
      expect(r.status).toBe(201);
      made.push(r.json.backup.name);
      await waitForNextMillisecond(r.json.backup.time);
    }
    const kept = (await a.get('/v1/backups')).json.backups.map((b: { name: string }) => b.name).sort();
    // the first of today (the daily one) and the two newest manual ones
    expect(kept).toEqual([made[0], made[3], made[4]].sort());
    expect((await rawStore(alice).list('backups/')).length).toBe(3);
  });

  it('the retention rule itself: daily backups older than BACKUP_DAILY_KEEP_DAYS go, manual ones beyond the newest M go', () => {
    const now = new Date('2026-06-30T12:00:00Z');
    const b = (iso: string) => ({ name: `${iso.replace(/[-:]/g, '')}-seq1.sqlite.gz`, time: iso });
    const list = [
      b('2026-05-01T10:00:00.000Z'), // daily, too old (keep 30 days)
      b('2026-06-01T10:00:00.000Z'), // daily, kept
      b('2026-06-01T11:00:00.000Z'), // manual, beyond the newest 1
      b('2026-06-30T09:00:00.000Z'), // daily, kept
      b('2026-06-30T10:00:00.000Z'), // manual, the newest: kept
    ];
    const doomed = backupsToPrune(list, now, { minIntervalSeconds: 300, dailyKeepDays: 30, manualKeep: 1 });
    expect(doomed.map((d) => d.time).sort()).toEqual(['2026-05-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z']);
    const limits = { minIntervalSeconds: 300, dailyKeepDays: 30, manualKeep: 1 };
    expect(manualBackupWait(list, new Date('2026-06-30T10:04:00Z'), limits)).toBe(60);
    expect(manualBackupWait(list, new Date('2026-06-30T10:05:00Z'), limits)).toBe(0);
    // only the day's daily backup so far: a manual one may be made at once
    expect(manualBackupWait([b('2026-06-30T10:00:00.000Z')], new Date('2026-06-30T10:00:01Z'), limits)).toBe(0);
  });
});

async function waitForNextMillisecond(iso: string) {
  while (new Date().toISOString() <= iso) await new Promise((r) => setImmediate(r));
}

describe('bounded sizes and dates', () => {
  const alice = tenant('bounds');
  const env = makeEnv([alice]);
  const a = client(env, alice);

  it('CSV dates outside the NBA era or more than a year ahead are refused', async () => {
    for (const gameDate of ['0001-01-01', '1900-01-01', '9999-12-31', isoDay(400)]) {
      const r = await a.post('/v1/csv', { gameDate, size: 10 });
      expect(r.status, gameDate).toBe(400);
    }
    expect((await a.post('/v1/csv', { gameDate: '1996-11-01', size: 10 })).status).toBe(200);
    expect((await a.post('/v1/csv', { gameDate: isoDay(300), size: 10 })).status).toBe(200);
  });

  it('MAX_DB_BYTES and MAX_CSV_BYTES above their sane maximum are a configuration error', async () => {
    expect((await call(makeEnv([alice], { MAX_DB_BYTES: String(5 * 1024 ** 3) }), 'GET', '/v1/health')).status).toBe(503);
    expect((await call(makeEnv([alice], { MAX_DB_BYTES: String(257 * 1024 ** 2) }), 'GET', '/v1/health')).status).toBe(503);
    expect((await call(makeEnv([alice], { MAX_DB_BYTES: String(256 * 1024 ** 2) }), 'GET', '/v1/health')).status).toBe(200);
    expect((await call(makeEnv([alice], { MAX_CSV_BYTES: String(100 * 1024 ** 2) }), 'GET', '/v1/health')).status).toBe(503);
  });

  it('GET URLs live at most PRESIGN_GET_TTL_SECONDS (60 s by default), PUT URLs PRESIGN_TTL_SECONDS', async () => {
    await commitAndUpload(a, 1, bytesOf(20));
    const got = (await a.begin()).json.changesets.at(-1);
    expect(Number(new URL(got.url).searchParams.get('X-Amz-Expires'))).toBe(60);
    expect(Date.parse(got.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    const put = (await a.commit(2, 10)).json;
    expect(Number(new URL(put.url).searchParams.get('X-Amz-Expires'))).toBe(300);
  });

  it('every answer that carries a URL (and every /v1 error) says Cache-Control: no-store', async () => {
    const answers = [
      await a.begin(),
      await a.commit(2, 10),
      await a.post('/v1/csv', { gameDate: isoDay(-1), size: 10 }),
      await a.get('/v1/backups'),
      await call(env, 'POST', '/v1/sync/begin'),
      await call(env, 'GET', '/v1/health'),
    ];
    for (const r of answers) expect(r.headers.get('cache-control'), r.text).toBe('no-store');
    await snapshotAndUpload(a, 1, bytesOf(30)); // a backup copies the newest snapshot
    const made = await a.post('/v1/backups', {});
    const got = await a.get(`/v1/backups/${made.json.backup.name}`);
    expect(got.json.url).toBeTruthy();
    expect(got.headers.get('cache-control')).toBe('no-store');
  });
});

describe('request bodies: the content-type rule holds on every route', () => {
  const alice = tenant('ctype');
  const env = makeEnv([alice]);
  for (const [path, body] of [['/v1/sync/begin', '{"protocol":2,"after":0}'], ['/v1/backups', '{"daily":true}'], ['/v1/sync/commit', '{"protocol":2,"seq":1,"size":5}'], ['/v1/sync/snapshot', '{"protocol":2,"seq":1,"size":5}'], ['/v1/csv', '{"gameDate":"2025-01-01","size":5}']]) {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      it(`${path} with ${type.split(';')[0]} → 400`, async () => {
        const r = await call(env, 'POST', path, { token: alice.token, rawBody: body, headers: { 'content-type': type } });
        expect(r.status).toBe(400);
        expect(r.json.error).toMatch(/Content-Type/);
      });
    }
  }
  it('an empty body needs no content type where every field is optional', async () => {
    // accepted (an empty namespace has nothing to back up: 409, not 400)
    expect((await call(env, 'POST', '/v1/backups', { token: alice.token })).status).toBe(409);
  });
});

describe('tokens', () => {
  it('duplicate token hashes in ACCESS_TOKENS are a configuration error (not "the last namespace wins")', async () => {
    const token = randomBytes(32).toString('base64url');
    const env = makeEnv([], { ACCESS_TOKENS: `one:${sha(token)},two:${sha(token)}` });
    const r = await call(env, 'POST', '/v1/sync/begin', { token });
    expect(r.status).toBe(503);
    expect(r.text).not.toContain(sha(token));
  });

  it('an entry may carry an expiry date: before it the token works, from 00:00 UTC that day it is refused', async () => {
    const token = randomBytes(32).toString('base64url');
    const live = makeEnv([], { ACCESS_TOKENS: `exp-live-${Date.now().toString(36)}:${sha(token)}:${isoDay(2)}` });
    expect((await call(live, 'POST', '/v1/sync/begin', { token, body: BEGIN })).status).toBe(200);
    const expired = makeEnv([], { ACCESS_TOKENS: `exp-old:${sha(token)}:${isoDay(0)}` });
    const r = await call(expired, 'POST', '/v1/sync/begin', { token, body: BEGIN });
    expect(r.status).toBe(401);
    expect(r.json.error).toBe('token expired');
    expect((await call(makeEnv([], { ACCESS_TOKENS: `x:${sha(token)}:2026-02-30` }), 'GET', '/v1/health')).status).toBe(503);
  });

  it('rotation: two tokens for one namespace see the same data; dropping the old entry cuts it off', async () => {
    const ns = `rot-${Date.now().toString(36)}`;
    const [oldT, newT] = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
    const both = makeEnv([], { ACCESS_TOKENS: `${ns}:${sha(oldT)},${ns}:${sha(newT)}` });
    const o = client(both, { ns, token: oldT });
    await commitAndUpload(o, 1, bytesOf(30));
    expect((await client(both, { ns, token: newT }).begin()).json.head.seq).toBe(1);
    const onlyNew = makeEnv([], { ACCESS_TOKENS: `${ns}:${sha(newT)}` });
    expect((await call(onlyNew, 'POST', '/v1/sync/begin', { token: oldT })).status).toBe(401);
    expect((await client(onlyNew, { ns, token: newT }).begin()).json.head.seq).toBe(1);
  });
});

describe('rate limits', () => {
  it('two tokens of one namespace share the namespace budget', async () => {
    const ns = `rl-ns-${Date.now().toString(36)}`;
    const [t1, t2] = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
    const env = makeEnv([], { ACCESS_TOKENS: `${ns}:${sha(t1)},${ns}:${sha(t2)}`, RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '2' });
    expect((await call(env, 'GET', '/v1/nope', { token: t1 })).status).toBe(404);
    expect((await call(env, 'GET', '/v1/nope', { token: t2 })).status).toBe(404);
    const third = await call(env, 'GET', '/v1/nope', { token: t1 });
    expect(third.status).toBe(429);
    expect((await call(env, 'GET', '/v1/nope', { token: t2 })).status).toBe(429);
  });

  it('unauthenticated requests (bad tokens, health) are limited per client address on Node', async () => {
    const alice = tenant('rl-anon');
    const env = makeEnv([alice], { ANON_RATE_LIMIT_PER_MINUTE: '1', ANON_RATE_LIMIT_BURST: '3' });
    const { url, server } = await startNodeServer(env, 0);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${url}/v1/sync/begin`, { method: 'POST', headers: { authorization: 'Bearer nope-nope-nope-nope' } })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const health = await fetch(`${url}/v1/health`);
      expect(health.status).toBe(429);
      expect(Number(health.headers.get('retry-after'))).toBeGreaterThan(0);
      // a valid token is limited by its own budget, not the address's
      const begin = { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: JSON.stringify(BEGIN) };
      expect((await fetch(`${url}/v1/sync/begin`, begin)).status).toBe(200);
      // CF-Connecting-IP is not believed outside Cloudflare: it cannot buy a fresh budget
      const spoofed = await fetch(`${url}/v1/health`, { headers: { 'cf-connecting-ip': '203.0.113.9' } });
      expect(spoofed.status).toBe(429);
    } finally {
      server.close();
    }
  });
});
