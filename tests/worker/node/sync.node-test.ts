// Sync protocol 2 routes (docs/API.md "Sync"), each rule against both BlobStores: the real RGW and the memory store.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { changesetKey, generationKey, snapshotKey } from '../../../presign-worker/src/keys';
import { BACKENDS, bytesOf, expectNoChecksumParams, type World, world } from '../helpers';

const md5 = (b: Uint8Array) => `"${createHash('md5').update(b).digest('hex')}"`;

/** Writes changesets seq from..to straight into the store (8 at a time), returning their bytes by seq. */
async function seedChangesets(w: World, from: number, to: number, size = 40) {
  const bytes = new Map<number, Uint8Array<ArrayBuffer>>();
  const seqs = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  for (let i = 0; i < seqs.length; i += 8) {
    await Promise.all(seqs.slice(i, i + 8).map((seq) => {
      const b = bytesOf(size, seq);
      bytes.set(seq, b);
      return w.seed(changesetKey(seq), b);
    }));
  }
  return bytes;
}

/** Asks for snapshot seq and uploads it; asserts both steps succeed. */
async function writeSnapshot(w: World, seq: number, bytes: Uint8Array<ArrayBuffer>) {
  const r = await w.client.snapshot(seq, bytes.length);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect((await w.put(r.json, bytes)).status).toBe(200);
  return r.json;
}

const seqsOf = (objs: { seq: number }[]) => objs.map((o) => o.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(BACKENDS)('sync protocol 2 on %s', (backend) => {
  it('426 for requests without "protocol": 2 (today\'s app); 400 for a malformed v2 body', async () => {
    const w = world(backend, 'v2-426');
    const { client: c } = w;
    const olds = [
      await c.post('/v1/sync/begin'), // no body at all, as today's app sends
      await c.post('/v1/sync/begin', {}),
      await c.post('/v1/sync/begin', { protocol: 1, after: 0 }),
      await c.post('/v1/sync/begin', { protocol: '2', after: 0 }),
      await c.post('/v1/sync/commit', { seq: 1, size: 10 }),
      await c.post('/v1/sync/snapshot', { seq: 1, size: 10 }),
      await c.post('/v1/sync/begin', [2]),
    ];
    for (const r of olds) {
      expect(r.status).toBe(426);
      expect(r.json).toEqual({
        error: 'This app is too old for this sync bucket (sync protocol 2). Update the app.',
        code: 'upgrade-required',
        protocol: 2,
      });
    }
    expect(await w.raw.list('')).toEqual([]); // nothing was written

    for (const body of [{ protocol: 2 }, { protocol: 2, after: -1 }, { protocol: 2, after: 1.5 }, { protocol: 2, after: 0, key: 'x' }]) {
      const r = await c.post('/v1/sync/begin', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(Array.isArray(r.json.issues)).toBe(true);
    }
    const bad = await c.post('/v1/sync/commit', { protocol: 2, seq: 'one', size: -5 });
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i: { path: string }) => i.path).sort()).toEqual(['seq', 'size']);
    expect((await c.post('/v1/sync/snapshot', { protocol: 2, seq: 0, size: 1 })).status).toBe(400);
  });

  it('empty chain: nothing to fetch, no snapshot due; after > 0 is a reset', async () => {
    const { client: c } = world(backend, 'v2-empty');
    const r = await c.begin(0);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ protocol: 2, head: null, snapshot: null, changesets: [], more: false, snapshotDue: false, reset: false });
    expect((await c.begin(7)).json).toMatchObject({ head: null, snapshot: null, changesets: [], reset: true });
  });

  it('commit → PUT → begin: the changeset is listed with size, MD5 etag, time and a working GET', async () => {
    const w = world(backend, 'v2-commit');
    const bytes = bytesOf(4096);
    const c = await w.client.commit(1, bytes.length);
    expect(c.status).toBe(200);
    expect(c.json).toMatchObject({
      seq: 1,
      name: 'gen-1',
      method: 'PUT',
      headers: { 'Content-Type': 'application/gzip', 'Content-Length': '4096', 'If-None-Match': '*' },
    });
    expectNoChecksumParams(c.json.url);
    const ttl = Date.parse(c.json.expiresAt) - w.clock.now();
    expect(ttl).toBeGreaterThan(250_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
    expect((await w.put(c.json, bytes)).status).toBe(200);
    expect((await w.raw.head(changesetKey(1)))?.size).toBe(4096); // gen/<inv>.cs.gz

    const b = (await w.client.begin(0)).json;
    expect(b.head.seq).toBe(1);
    expect(Date.parse(b.head.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(b.snapshot).toBeNull(); // no snapshot yet: a new device applies the chain from seq 1
    expect(b.changesets).toHaveLength(1);
    const [cs] = b.changesets;
    expect(cs).toMatchObject({ seq: 1, kind: 'changeset', name: 'gen-1', size: 4096, etag: md5(bytes), time: b.head.time });
    expectNoChecksumParams(cs.url);
    expect(Date.parse(cs.expiresAt)).toBeGreaterThan(w.clock.now());
    expect(new Uint8Array(await (await w.get(cs.url)).arrayBuffer())).toEqual(bytes);
    expect(b).toMatchObject({ more: false, reset: false, snapshotDue: true }); // no snapshot yet and head ≥ 1
  });

  it('caught up: one request answers nothing to fetch', async () => {
    const w = world(backend, 'v2-caught-up');
    await seedChangesets(w, 1, 3);
    expect((await w.client.begin(3)).json).toMatchObject({ head: { seq: 3 }, snapshot: null, changesets: [], more: false, reset: false });
  });

  it('behind by k: exactly the k changesets after `after`, ascending, with the bytes that were written', async () => {
    const w = world(backend, 'v2-behind');
    const bytes = await seedChangesets(w, 1, 9);
    for (const after of [8, 5, 1]) {
      const b = (await w.client.begin(after)).json;
      expect(b.snapshot).toBeNull();
      expect(seqsOf(b.changesets)).toEqual(range(after + 1, 9));
      expect(b.more).toBe(false);
    }
    const b = (await w.client.begin(6)).json;
    for (const cs of b.changesets) {
      expect(new Uint8Array(await (await w.get(cs.url)).arrayBuffer())).toEqual(bytes.get(cs.seq));
      expect(cs.etag).toBe(md5(bytes.get(cs.seq)!));
    }
  });

  it('new device and device too far behind start from the newest snapshot, plus the changesets after it', async () => {
    const w = world(backend, 'v2-snapshot');
    await seedChangesets(w, 1, 110);
    // no snapshot yet: a device 106 behind pages through the chain, 100 at a time
    const page1 = (await w.client.begin(4)).json;
    expect(page1.snapshot).toBeNull();
    expect(seqsOf(page1.changesets)).toEqual(range(5, 104));
    expect(page1.more).toBe(true);
    const page2 = (await w.client.begin(104)).json;
    expect(seqsOf(page2.changesets)).toEqual(range(105, 110));
    expect(page2.more).toBe(false);

    const snapBytes = bytesOf(2000, 77);
    const s = await writeSnapshot(w, 105, snapBytes);
    expect(s.name).toBe('snap-105');
    expect((await w.raw.head(snapshotKey(105)))?.size).toBe(2000);

    for (const after of [0, 4, 9]) { // new device; 106 and 101 behind (> 100)
      const b = (await w.client.begin(after)).json;
      expect(b.snapshot).toMatchObject({ seq: 105, kind: 'snapshot', name: 'snap-105', size: 2000, etag: md5(snapBytes) });
      expect(new Uint8Array(await (await w.get(b.snapshot.url)).arrayBuffer())).toEqual(snapBytes);
      expect(seqsOf(b.changesets)).toEqual(range(106, 110));
      expect(b).toMatchObject({ more: false, reset: false });
    }
    // exactly 100 behind still catches up by changesets
    const near = (await w.client.begin(10)).json;
    expect(near.snapshot).toBeNull();
    expect(seqsOf(near.changesets)).toEqual(range(11, 110));
    expect(near.more).toBe(false);
  }, 60_000);

  it('pruned chain (or a hole a failed delete left): restart from the snapshot', async () => {
    const w = world(backend, 'v2-pruned');
    await seedChangesets(w, 1, 8);
    await writeSnapshot(w, 5, bytesOf(500));
    await Promise.all([1, 2].map((seq) => w.raw.delete(changesetKey(seq))));
    const pruned = (await w.client.begin(1)).json; // gen 2 is gone
    expect(pruned.snapshot?.seq).toBe(5);
    expect(seqsOf(pruned.changesets)).toEqual([6, 7, 8]);
    const fine = (await w.client.begin(2)).json; // gen 3 onwards is there
    expect(fine.snapshot).toBeNull();
    expect(seqsOf(fine.changesets)).toEqual(range(3, 8));

    await w.raw.delete(changesetKey(4)); // a hole
    const hole = (await w.client.begin(2)).json;
    expect(hole.snapshot?.seq).toBe(5);
    expect(seqsOf(hole.changesets)).toEqual([6, 7, 8]);
  });

  it('damagedSnapshots: the newest snapshot not named serves instead, snapshotDue asks for a replacement, snapshotSeq says which', async () => {
    const w = world(backend, 'v2-fallback');
    await seedChangesets(w, 1, 6);
    await writeSnapshot(w, 4, bytesOf(400)); // (retention keeps one per UTC day: writing 5 today keeps 4 as the newest until 5 lands)
    await writeSnapshot(w, 5, bytesOf(500)); // the newest: say it is unreadable
    const plain = (await w.client.begin(0)).json;
    expect(plain.snapshot?.seq).toBe(5);
    expect('snapshotSeq' in plain).toBe(false); // the answer to a begin without the field keeps its shape

    const begin = (after: number, damagedSnapshots: number[]) => w.client.post('/v1/sync/begin', { protocol: 2, after, damagedSnapshots });
    const one = (await begin(0, [5])).json;
    expect(one).toMatchObject({ snapshot: { seq: 4, name: 'snap-4', size: 400 }, snapshotDue: true, snapshotSeq: 4, head: { seq: 6 } });
    expect(seqsOf(one.changesets)).toEqual([5, 6]);
    const none = (await begin(0, [5, 4])).json; // no readable snapshot left: the whole chain from seq 1
    expect(none).toMatchObject({ snapshot: null, snapshotSeq: null });
    expect(seqsOf(none.changesets)).toEqual(range(1, 6));
    const caughtUp = (await begin(6, [5])).json; // a client in sync only learns whether a replacement is needed
    expect(caughtUp).toMatchObject({ snapshot: null, changesets: [], snapshotDue: true, snapshotSeq: 4 });
    // an older snapshot named as damaged changes nothing about the newest one
    expect((await begin(6, [4])).json).toMatchObject({ snapshotDue: false, snapshotSeq: 5 });

    await writeSnapshot(w, 6, bytesOf(600)); // the replacement
    expect((await begin(6, [5])).json).toMatchObject({ snapshotDue: false, snapshotSeq: 6 });
    for (const bad of [[0], [1.5], Array.from({ length: 33 }, (_, i) => i + 1), 'x']) {
      expect((await w.client.post('/v1/sync/begin', { protocol: 2, after: 0, damagedSnapshots: bad })).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('reset chain: a client ahead of the head gets the newest snapshot and reset: true', async () => {
    const w = world(backend, 'v2-reset');
    await seedChangesets(w, 1, 4);
    const none = (await w.client.begin(50)).json; // no snapshot: start over from seq 1
    expect(none).toMatchObject({ reset: true, snapshot: null, head: { seq: 4 } });
    expect(seqsOf(none.changesets)).toEqual(range(1, 4));
    await writeSnapshot(w, 3, bytesOf(300));
    const b = (await w.client.begin(50)).json;
    expect(b).toMatchObject({ reset: true, snapshot: { seq: 3 } });
    expect(seqsOf(b.changesets)).toEqual([4]);
    expect((await w.client.begin(4)).json.reset).toBe(false);
  });

  it('legacy v1 generations are listed as kind "snapshot"; the newest serves as the newest snapshot', async () => {
    const w = world(backend, 'v2-legacy');
    const v1 = new Map([1, 2, 3].map((seq) => [seq, bytesOf(1000, seq)]));
    for (const [seq, b] of v1) await w.seed(generationKey(seq, 'legacy'), b);

    const fresh = (await w.client.begin(0)).json;
    expect(fresh.snapshot).toMatchObject({ seq: 3, kind: 'snapshot', name: 'gen-3', size: 1000, etag: md5(v1.get(3)!) });
    expect(new Uint8Array(await (await w.get(fresh.snapshot.url)).arrayBuffer())).toEqual(v1.get(3));
    expect(fresh).toMatchObject({ changesets: [], snapshotDue: false, head: { seq: 3 } });
    const behind = (await w.client.begin(1)).json;
    expect(behind.snapshot).toBeNull();
    expect(behind.changesets.map((g: { seq: number; kind: string }) => [g.seq, g.kind])).toEqual([[2, 'snapshot'], [3, 'snapshot']]);

    // the v2 chain continues on top; a snapshot must be newer than the v1 head
    const cs = bytesOf(100, 4);
    await w.commitAndUpload(4, cs);
    expect((await w.raw.head(changesetKey(4)))?.size).toBe(100);
    const next = (await w.client.begin(3)).json;
    expect(next.changesets.map((g: { seq: number; kind: string }) => [g.seq, g.kind])).toEqual([[4, 'changeset']]);
    expect(next.snapshotDue).toBe(false); // 100 bytes < 25 % of 1000
    const refused = await w.client.snapshot(3, 10);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ head: { seq: 4 }, snapshot: { seq: 3 } });
    expect((await w.client.begin(0)).json).toMatchObject({ snapshot: { seq: 3, name: 'gen-3' }, changesets: [{ seq: 4 }] });
    await writeSnapshot(w, 4, bytesOf(1100));
    expect((await w.client.begin(0)).json).toMatchObject({ snapshot: { seq: 4, name: 'snap-4' }, changesets: [] });
  });

  it('a v1 bucket with more than 101 changesets on top and no snapshot: the newest v1 generation is still found', async () => {
    const w = world(backend, 'v2-legacy-deep');
    await w.seed(generationKey(1, 'legacy'), bytesOf(900, 1));
    await w.seed(generationKey(2, 'legacy'), bytesOf(900, 2));
    await seedChangesets(w, 3, 110);
    const b = (await w.client.begin(0)).json;
    expect(b.snapshot).toMatchObject({ seq: 2, kind: 'snapshot', name: 'gen-2', size: 900 });
    expect(seqsOf(b.changesets)).toEqual(range(3, 102));
    expect(b).toMatchObject({ more: true, snapshotDue: true });
  }, 60_000);

  it('two objects for one seq (a v1 worker writing next to this one): one is listed, the changeset', async () => {
    const w = world(backend, 'v2-dup');
    await w.seed(generationKey(1, 'legacy'), bytesOf(500, 1));
    const cs = bytesOf(30, 9);
    await w.seed(changesetKey(1), cs);
    const b = (await w.client.begin(0)).json;
    expect(b.snapshot).toBeNull();
    expect(b.changesets).toHaveLength(1);
    expect(b.changesets[0]).toMatchObject({ seq: 1, kind: 'changeset', size: 30, etag: md5(cs) });
    expect((await w.client.commit(2, 10)).status).toBe(200);
  });

  it('snapshotDue: none yet; then after 32 changesets, or when their bytes reach 25 % of the snapshot', async () => {
    const w = world(backend, 'v2-due');
    await seedChangesets(w, 1, 2, 100);
    expect((await w.client.begin(2)).json.snapshotDue).toBe(true);
    await writeSnapshot(w, 2, bytesOf(1000));
    expect((await w.client.begin(2)).json.snapshotDue).toBe(false);
    await seedChangesets(w, 3, 4, 124); // 248 bytes < 250
    expect((await w.client.begin(4)).json.snapshotDue).toBe(false);
    await seedChangesets(w, 5, 5, 2); // 250 bytes = 25 %
    expect((await w.client.begin(5)).json.snapshotDue).toBe(true);

    const v = world(backend, 'v2-due-count');
    await seedChangesets(v, 1, 1, 10);
    await writeSnapshot(v, 1, bytesOf(100_000));
    await seedChangesets(v, 2, 32, 10); // 31 tiny changesets
    expect((await v.client.begin(32)).json.snapshotDue).toBe(false);
    await seedChangesets(v, 33, 33, 10); // the 32nd
    expect((await v.client.begin(33)).json.snapshotDue).toBe(true);
  });

  it('409s: commit seq not next; snapshot above the head, not above the newest snapshot, or of a missing generation', async () => {
    const w = world(backend, 'v2-409');
    const { client: c } = w;
    const early = await c.commit(2, 10);
    expect(early.status).toBe(409);
    expect(early.json).toEqual({ error: expect.any(String), head: null });
    expect((await c.snapshot(1, 10)).json).toEqual({ error: expect.any(String), head: null, snapshot: null });

    await w.commitAndUpload(1, bytesOf(10));
    const again = await c.commit(1, 10);
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: 'seq must be 2 (head is 1)', head: { seq: 1, time: expect.any(String) } });
    expect((await c.commit(3, 10)).status).toBe(409);

    await seedChangesets(w, 2, 5);
    expect((await c.snapshot(6, 10)).status).toBe(409); // above the head
    await w.raw.delete(changesetKey(3));
    const missing = await c.snapshot(3, 10);
    expect(missing.status).toBe(409);
    expect(missing.json.error).toMatch(/does not exist/);
    await writeSnapshot(w, 4, bytesOf(400));
    const older = await c.snapshot(4, 10);
    expect(older.status).toBe(409);
    expect(older.json).toEqual({ error: expect.any(String), head: { seq: 5, time: expect.any(String) }, snapshot: { seq: 4 } });
    expect((await c.snapshot(2, 10)).status).toBe(409);
    expect((await c.snapshot(5, 10)).status).toBe(200);
  });

  it('race for one seq: both get a URL, exactly one PUT wins, the loser gets 412 and must commit the next seq', async () => {
    const w = world(backend, 'v2-race');
    await seedChangesets(w, 1, 2);
    const one = bytesOf(300, 1);
    const two = bytesOf(300, 2);
    const [c1, c2] = await Promise.all([w.client.commit(3, one.length), w.client.commit(3, two.length)]);
    expect([c1.status, c2.status]).toEqual([200, 200]);
    const [p1, p2] = await Promise.all([w.put(c1.json, one), w.put(c2.json, two)]);
    expect([p1.status, p2.status].sort()).toEqual([200, 412]);
    const winner = p1.status === 200 ? one : two;
    const b = (await w.client.begin(2)).json;
    expect(seqsOf(b.changesets)).toEqual([3]);
    expect(new Uint8Array(await (await w.get(b.changesets[0].url)).arrayBuffer())).toEqual(winner);
    expect((await w.client.commit(3, 10)).status).toBe(409);
    await w.commitAndUpload(4, bytesOf(20));

    // two devices writing the same snapshot: one lands, the other's 412 is harmless
    const [s1, s2] = await Promise.all([w.client.snapshot(4, 500), w.client.snapshot(4, 500)]);
    expect([s1.status, s2.status]).toEqual([200, 200]);
    const puts = await Promise.all([w.put(s1.json, bytesOf(500, 5)), w.put(s2.json, bytesOf(500, 6))]);
    expect(puts.map((p) => p.status).sort()).toEqual([200, 412]);
    expect((await w.client.begin(0)).json.snapshot.seq).toBe(4);
  });
});
