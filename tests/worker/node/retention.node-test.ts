// Retention (docs/API.md "Retention") through the real routes, on RGW and the memory store, with the worker's
// clock moved by the test (no waiting).
import { describe, expect, it } from 'vitest';
import { changesetKey, parseGenerationKey, parseSnapshotKey, snapshotKey } from '../../../presign-worker/src/keys';
import { MAX_DELETES_PER_REQUEST } from '../../../presign-worker/src/retention';
import { MemoryBlobStore } from '../../../presign-worker/src/store/memory';
import { BACKENDS, bytesOf, type World, world } from '../helpers';

const HOUR = 3_600_000;

async function seedChangesets(w: World, from: number, to: number) {
  for (let seq = from; seq <= to; seq += 8) {
    await Promise.all(Array.from({ length: Math.min(8, to - seq + 1) }, (_, i) => w.seed(changesetKey(seq + i), bytesOf(20, seq + i))));
  }
}
const genSeqs = async (w: World) => (await w.raw.list('gen/')).map((o) => parseGenerationKey(o.key)!.seq).reverse();
const snapSeqs = async (w: World) => (await w.raw.list('snap/')).map((o) => parseSnapshotKey(o.key)!).reverse();
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(BACKENDS)('retention on %s', (backend) => {
  it('a snapshot that was presigned but never uploaded makes nothing obsolete; once it has landed, it does', async () => {
    const w = world(backend, 'ret-landed', { SYNC_GENERATION_GRACE_HOURS: '0' });
    await seedChangesets(w, 1, 3);
    const snap = await w.client.snapshot(3, 300); // URL only: nothing has landed
    expect(snap.status).toBe(200);
    expect((await w.client.commit(4, 10)).status).toBe(200);
    expect(await genSeqs(w)).toEqual([1, 2, 3]); // v1 pruned here, before any upload

    expect((await w.put(snap.json, bytesOf(300))).status).toBe(200);
    expect((await w.client.commit(4, 10)).status).toBe(200); // still not uploaded: head is 3
    expect(await genSeqs(w)).toEqual([3]); // ≤ snapshot, grace 0 — but the head carries the seq counter
    expect((await w.client.begin(0)).json).toMatchObject({ head: { seq: 3 }, snapshot: { seq: 3 }, changesets: [] });
    expect((await w.client.commit(4, 10)).status).toBe(200); // seq 4 is still next, never 1 again

    await w.commitAndUpload(4, bytesOf(10));
    await w.client.commit(5, 10);
    expect(await genSeqs(w)).toEqual([4]);
    const behind = (await w.client.begin(1)).json; // its changesets are gone: restart from the snapshot
    expect(behind).toMatchObject({ snapshot: { seq: 3 }, changesets: [{ seq: 4 }] });
  });

  it('generations at or below the newest snapshot live 48 h after it (worker clock), then go', async () => {
    const w = world(backend, 'ret-grace');
    await seedChangesets(w, 1, 4);
    const s = await w.client.snapshot(3, 100);
    expect((await w.put(s.json, bytesOf(100))).status).toBe(200);
    await w.client.commit(5, 10);
    expect(await genSeqs(w)).toEqual([1, 2, 3, 4]);
    w.clock.advance(47 * HOUR);
    await w.client.commit(5, 10);
    expect(await genSeqs(w)).toEqual([1, 2, 3, 4]);
    expect(seqOfChangesets((await w.client.begin(1)).json)).toEqual([2, 3, 4]); // slightly behind: changesets
    w.clock.advance(HOUR + 60_000);
    await w.client.snapshot(4, 10); // the snapshot route applies the rules too (its own upload not landed)
    expect(await genSeqs(w)).toEqual([4]);
    expect(await snapSeqs(w)).toEqual([3]);
  });

  it('snapshots of one day: only the newest of the day is kept', async () => {
    const w = world(backend, 'ret-day');
    await seedChangesets(w, 1, 4);
    for (const seq of [1, 2, 3]) {
      const s = await w.client.snapshot(seq, 50);
      expect((await w.put(s.json, bytesOf(50, seq))).status).toBe(200);
    }
    expect(await snapSeqs(w)).toEqual([2, 3]); // the third request saw snapshots 1 and 2 (same day): 1 went
    await w.client.commit(5, 10);
    expect(await snapSeqs(w)).toEqual([3]);
  });
});

const seqOfChangesets = (b: { changesets: { seq: number }[] }) => b.changesets.map((c) => c.seq);

describe('retention over days and in bounded steps (memory store: its Last-Modified follows the test clock)', () => {
  it('keeps the newest snapshot of each of the last 7 UTC days plus the newest', async () => {
    const w = world('memory', 'ret-week');
    w.clock.advance(Date.UTC(2030, 0, 1, 6) - w.clock.now()); // 2030-01-01 06:00 UTC
    const written: Record<number, string> = {};
    let seq = 0;
    for (let day = 0; day < 10; day++) {
      for (let i = 0; i < 2; i++) { // two snapshots a day, at 06:00 and 14:00
        seq++;
        await w.commitAndUpload(seq, bytesOf(10, seq));
        const s = await w.client.snapshot(seq, 30);
        expect((await w.put(s.json, bytesOf(30, seq))).status).toBe(200);
        written[seq] = w.clock.date().toISOString().slice(0, 10);
        w.clock.advance(8 * HOUR);
      }
      w.clock.advance(8 * HOUR);
    }
    await w.client.commit(seq + 1, 10);
    // now: 2030-01-11 06:00; the last 7 days: snapshots since 2030-01-04 06:00 → days 4..10, the 14:00 one of each
    expect(await snapSeqs(w)).toEqual([8, 10, 12, 14, 16, 18, 20]);
    expect(written[8]).toBe('2030-01-04');
  });

  it(`deletes at most ${MAX_DELETES_PER_REQUEST} objects per request; the rest go on later requests`, async () => {
    const w = world('memory', 'ret-cap', { SYNC_GENERATION_GRACE_HOURS: '0' });
    const store = w.raw as MemoryBlobStore;
    for (let seq = 1; seq <= 100; seq++) store.putObject(changesetKey(seq), bytesOf(5, seq));
    store.putObject(snapshotKey(100), bytesOf(50));
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await w.client.commit(101, 10);
      counts.push((await genSeqs(w)).length);
    }
    expect(counts).toEqual([60, 20, 1, 1]); // 99 doomed (the head, 100, stays)
    expect(await genSeqs(w)).toEqual(range(100, 100));
  });
});
