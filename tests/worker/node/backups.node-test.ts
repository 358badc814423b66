import { describe, expect, it } from 'vitest';
import { bytesOf, client, commitAndUpload, expectNoChecksumParams, makeEnv, tenant } from '../helpers';

const alice = tenant('backup');
// two manual backups back to back: the rate rule has its own test (limits.node-test.ts)
const a = client(makeEnv([alice], { BACKUP_MIN_INTERVAL_SECONDS: '0' }), alice);
const NAME = /^\d{8}T\d{6}\.\d{3}Z-seq\d+\.sqlite\.gz$/;

describe('backups', () => {
  it('create (server-side copy of the head), list newest first, get a presigned GET', async () => {
    expect((await a.get('/v1/backups')).json).toEqual({ backups: [] });
    expect((await a.post('/v1/backups')).status).toBe(409); // nothing to back up yet

    const v1 = bytesOf(1000, 1);
    await commitAndUpload(a, 1, v1);
    const b1 = await a.post('/v1/backups');
    expect(b1.status).toBe(201);
    expect(b1.json.created).toBe(true);
    expect(b1.json.backup).toMatchObject({ seq: 1, size: 1000 });
    expect(b1.json.backup.name).toMatch(NAME);
    expect(b1.json.backup.name).toContain('-seq1.');

    const v2 = bytesOf(1200, 2);
    await commitAndUpload(a, 2, v2);
    const b2 = await a.post('/v1/backups', {});
    expect(b2.status).toBe(201);

    const list = (await a.get('/v1/backups')).json.backups;
    expect(list.map((b: { seq: number }) => b.seq)).toEqual([2, 1]);
    expect(list[0]).toEqual(b2.json.backup);

    const g = await a.get(`/v1/backups/${b1.json.backup.name}`);
    expect(g.status).toBe(200);
    expect(g.json).toMatchObject({ name: b1.json.backup.name, seq: 1, size: 1000 });
    expectNoChecksumParams(g.json.url);
    const res = await fetch(g.json.url);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(v1);

    expect((await a.get('/v1/backups/20200101T000000.000Z-seq1.sqlite.gz')).status).toBe(404);
  });

  it('daily: true creates at most one backup per UTC day', async () => {
    const first = await a.post('/v1/backups', { daily: true });
    expect(first.status).toBe(200); // the test above already made one today
    expect(first.json.created).toBe(false);
    expect(first.json.backup.name.slice(0, 8)).toBe(new Date().toISOString().slice(0, 10).replace(/-/g, ''));
  });
});
