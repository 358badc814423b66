import { describe, expect, it } from 'vitest';
import { generationKey } from '../../../presign-worker/src/keys';
import { BACKENDS, bytesOf, expectNoChecksumParams, type World, world } from '../helpers';

// several manual backups back to back: the rate rule has its own test (limits.node-test.ts)
const NO_RATE_CAP = { BACKUP_MIN_INTERVAL_SECONDS: '0' };
const NAME = /^\d{8}T\d{6}\.\d{3}Z-seq\d+\.sqlite\.gz$/;

async function writeSnapshot(w: World, seq: number, bytes: Uint8Array<ArrayBuffer>) {
  const r = await w.client.snapshot(seq, bytes.length);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect((await w.put(r.json, bytes)).status).toBe(200);
}

describe.each(BACKENDS)('backups on %s', (backend) => {
  it('create (server-side copy of the newest snapshot), list newest first, get a presigned GET', async () => {
    const w = world(backend, 'backup', NO_RATE_CAP);
    const a = w.client;
    expect((await a.get('/v1/backups')).json).toEqual({ backups: [] });
    expect((await a.post('/v1/backups')).status).toBe(409); // nothing at all

    await w.commitAndUpload(1, bytesOf(100, 9));
    const none = await a.post('/v1/backups');
    expect(none.status).toBe(409); // a changeset is not a database
    expect(none.json.error).toMatch(/no snapshot/);

    const s1 = bytesOf(1000, 1);
    await writeSnapshot(w, 1, s1);
    const b1 = await a.post('/v1/backups');
    expect(b1.status).toBe(201);
    expect(b1.json.created).toBe(true);
    expect(b1.json.backup).toMatchObject({ seq: 1, size: 1000 });
    expect(b1.json.backup.name).toMatch(NAME);
    expect(b1.json.backup.name).toContain('-seq1.');

    // head is a newer changeset: the backup is still the newest snapshot (the client snapshots first)
    await w.commitAndUpload(2, bytesOf(50, 2));
    const stale = await a.post('/v1/backups', {});
    expect(stale.json.backup).toMatchObject({ seq: 1, size: 1000 });
    const s2 = bytesOf(1200, 2);
    await writeSnapshot(w, 2, s2);
    w.clock.advance(1000); // distinct backup names
    const b2 = await a.post('/v1/backups', {});
    expect(b2.status).toBe(201);
    expect(b2.json.backup).toMatchObject({ seq: 2, size: 1200 });

    const list = (await a.get('/v1/backups')).json.backups;
    expect(list.map((b: { seq: number }) => b.seq)).toEqual([2, 1, 1]);
    expect(list[0]).toEqual(b2.json.backup);

    for (const [backup, bytes] of [[b1.json.backup, s1], [b2.json.backup, s2]] as const) {
      const g = await a.get(`/v1/backups/${backup.name}`);
      expect(g.status).toBe(200);
      expect(g.json).toMatchObject({ name: backup.name, seq: backup.seq, size: bytes.length });
      expectNoChecksumParams(g.json.url);
      expect(new Uint8Array(await (await w.get(g.json.url)).arrayBuffer())).toEqual(bytes);
    }
    expect((await a.get('/v1/backups/20200101T000000.000Z-seq1.sqlite.gz')).status).toBe(404);

    // daily: true creates at most one backup per UTC day
    const daily = await a.post('/v1/backups', { daily: true });
    expect(daily.status).toBe(200);
    expect(daily.json.created).toBe(false);
    expect(daily.json.backup.name.slice(0, 8)).toBe(w.clock.date().toISOString().slice(0, 10).replace(/-/g, ''));
  });

  it('a v1 bucket: the newest v1 generation is backed up', async () => {
    const w = world(backend, 'backup-v1', NO_RATE_CAP);
    const v1 = bytesOf(700, 3);
    await w.seed(generationKey(1, 'legacy'), bytesOf(600, 1));
    await w.seed(generationKey(2, 'legacy'), v1);
    const b = await w.client.post('/v1/backups');
    expect(b.status).toBe(201);
    expect(b.json.backup).toMatchObject({ seq: 2, size: 700 });
    const g = await w.client.get(`/v1/backups/${b.json.backup.name}`);
    expect(new Uint8Array(await (await w.get(g.json.url)).arrayBuffer())).toEqual(v1);
  });
});
