import { describe, expect, it } from 'vitest';
import { bytesOf, client, commitAndUpload, expectNoChecksumParams, makeEnv, putTo, rawStore, tenant } from '../helpers';

const alice = tenant('sync');
const env = makeEnv([alice]);
const a = client(env, alice);

describe('begin / commit against the real RGW', () => {
  it('round trip: commit, PUT bytes, begin, GET the same bytes', async () => {
    expect((await a.begin()).json).toEqual({ head: null });

    const wrong = await a.commit(2, 10);
    expect(wrong.status).toBe(409);
    expect(wrong.json.head).toBeNull();

    const bytes = bytesOf(4096);
    const c = await a.commit(1, bytes.length);
    expect(c.status).toBe(200);
    expect(c.json).toMatchObject({
      seq: 1,
      name: 'gen-1',
      method: 'PUT',
      headers: { 'Content-Type': 'application/gzip', 'If-None-Match': '*', 'Content-Length': '4096' },
    });
    expect(c.json.name).not.toContain('/');
    const ttl = Date.parse(c.json.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(250_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
    expectNoChecksumParams(c.json.url);
    const signed = new URL(c.json.url).searchParams.get('X-Amz-SignedHeaders');
    expect(signed?.split(';').sort()).toEqual(['content-length', 'content-type', 'host', 'if-none-match']);

    const put = await putTo(c.json.url, c.json.headers, bytes);
    expect(put.status).toBe(200);
    const etag = put.headers.get('etag');

    const b = await a.begin();
    expect(b.status).toBe(200);
    expect(b.json.head).toMatchObject({ seq: 1, size: 4096, etag, name: 'gen-1' });
    expect(Date.parse(b.json.head.time)).toBeGreaterThan(Date.now() - 60_000);
    expectNoChecksumParams(b.json.head.url);
    const got = await fetch(b.json.head.url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);

    // committing an old seq again answers 409 with the current head (and a URL to fetch it)
    const again = await a.commit(1, 10);
    expect(again.status).toBe(409);
    expect(again.json.head).toMatchObject({ seq: 1, etag });
    expect((await fetch(again.json.head.url)).status).toBe(200);
  });

  it('two devices racing for the same seq: S3 accepts one PUT and answers 412 to the other', async () => {
    const head = (await a.begin()).json.head;
    const next = (head?.seq ?? 0) + 1;
    const one = bytesOf(300, 1);
    const two = bytesOf(300, 2);
    const [c1, c2] = await Promise.all([a.commit(next, one.length), a.commit(next, two.length)]);
    expect([c1.status, c2.status]).toEqual([200, 200]); // neither has uploaded yet
    const [p1, p2] = await Promise.all([putTo(c1.json.url, c1.json.headers, one), putTo(c2.json.url, c2.json.headers, two)]);
    expect([p1.status, p2.status].sort()).toEqual([200, 412]);

    const winner = p1.status === 200 ? one : two;
    const now = (await a.begin()).json.head;
    expect(now.seq).toBe(next);
    expect(new Uint8Array(await (await fetch(now.url)).arrayBuffer())).toEqual(winner);
    // the loser's URL stays useless, and the loser must now commit next + 1
    expect((await putTo(c2.json.url, c2.json.headers, two)).status).toBe(412);
    expect((await a.commit(next, 10)).status).toBe(409);
    await commitAndUpload(a, next + 1, bytesOf(20));
  });

  it('POST /v1/csv: presigned create-only PUT of text/csv under csv/<date>.csv', async () => {
    const csv = new TextEncoder().encode('player,game_date,points\nA,2026-04-01,31\n');
    const r = await a.post('/v1/csv', { gameDate: '2026-04-01', size: csv.length });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      name: '2026-04-01.csv',
      method: 'PUT',
      headers: { 'Content-Type': 'text/csv', 'Content-Length': String(csv.length), 'If-None-Match': '*' },
    });
    expectNoChecksumParams(r.json.url);
    expect((await putTo(r.json.url, r.json.headers, csv)).status).toBe(200);
    const info = await rawStore(alice).head('csv/2026-04-01.csv');
    expect(info?.size).toBe(csv.length);
    expect((await putTo(r.json.url, r.json.headers, csv)).status).toBe(412);
  });
});
