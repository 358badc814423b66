// planRetention (presign-worker/src/retention.ts) over random chains: what it must never delete, and what it must.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChainObject } from '../../presign-worker/src/generations';
import { changesetKey, generationKey, snapshotKey } from '../../presign-worker/src/keys';
import { planRetention } from '../../presign-worker/src/retention';

const HOUR = 3_600_000;
const NOW = Date.UTC(2030, 5, 15, 12);
const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

const obj = (key: string, seq: number, t: number, kind: ChainObject['kind'], isSnapshotObject: boolean): ChainObject => ({
  key, seq, size: 10, etag: '"x"', lastModified: new Date(t), kind, isSnapshotObject,
});

/** A chain of `length` generations (some v1), snapshots at random seqs, times increasing with seq. */
const chainArb = fc
  .record({
    length: fc.integer({ min: 1, max: 60 }),
    legacyUpTo: fc.integer({ min: 0, max: 60 }),
    snapshotSeqs: fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 20 }),
    hoursPerSeq: fc.integer({ min: 0, max: 30 }),
    grace: fc.integer({ min: 0, max: 96 }),
    days: fc.integer({ min: 0, max: 10 }),
    lag: fc.integer({ min: 0, max: 100 }), // hours between the head and now
  })
  .map((r) => {
    const time = (seq: number) => NOW - r.lag * HOUR - (r.length - seq) * r.hoursPerSeq * HOUR;
    const generations = Array.from({ length: r.length }, (_, i) => {
      const seq = r.length - i; // newest first, as listed
      const legacy = seq <= r.legacyUpTo;
      return obj(legacy ? generationKey(seq, 'legacy') : changesetKey(seq), seq, time(seq), legacy ? 'snapshot' : 'changeset', false);
    });
    const snapshots = r.snapshotSeqs.filter((s) => s <= r.length).sort((a, b) => b - a)
      .map((seq) => obj(snapshotKey(seq), seq, time(seq) + 1000, 'snapshot', true));
    const legacy = generations.find((g) => g.kind === 'snapshot') ?? null;
    const newestSnap = snapshots[0] ?? null;
    const snapshot = !legacy ? newestSnap : !newestSnap ? legacy : newestSnap.seq >= legacy.seq ? newestSnap : legacy;
    return { chain: { head: generations[0], snapshot, snapshots, generations }, config: { generationGraceHours: r.grace, snapshotDays: r.days } };
  });

describe('planRetention', () => {
  it('never deletes the newest snapshot, the head, or anything after the newest snapshot', () => {
    fc.assert(fc.property(chainArb, ({ chain, config }) => {
      const doomed = new Set(planRetention(chain, new Date(NOW), config));
      if (chain.snapshot) expect(doomed.has(chain.snapshot.key)).toBe(false);
      expect(doomed.has(chain.head.key)).toBe(false);
      for (const g of chain.generations) if (!chain.snapshot || g.seq > chain.snapshot.seq) expect(doomed.has(g.key)).toBe(false);
      if (!chain.snapshot) expect(doomed.size).toBe(0);
    }));
  });

  it('generations at or below the newest snapshot: all kept within the grace, all (but head and snapshot) deleted after', () => {
    fc.assert(fc.property(chainArb, ({ chain, config }) => {
      fc.pre(chain.snapshot !== null);
      const doomed = new Set(planRetention(chain, new Date(NOW), config));
      const graceOver = NOW - chain.snapshot!.lastModified.getTime() >= config.generationGraceHours * HOUR;
      for (const g of chain.generations.filter((x) => x.seq <= chain.snapshot!.seq)) {
        const protectedOne = g.key === chain.head.key || g.key === chain.snapshot!.key;
        expect(doomed.has(g.key)).toBe(graceOver && !protectedOne);
      }
    }));
  });

  it('snapshots: the newest of each of the last N days is kept, at most one per day besides the newest, older ones go', () => {
    fc.assert(fc.property(chainArb, ({ chain, config }) => {
      const doomed = new Set(planRetention(chain, new Date(NOW), config));
      const since = NOW - config.snapshotDays * 24 * HOUR;
      const kept = chain.snapshots.filter((s) => !doomed.has(s.key) && s.key !== chain.snapshot?.key);
      const days = kept.map((s) => utcDay(s.lastModified.getTime()));
      expect(new Set(days).size).toBe(days.length);
      for (const s of kept) expect(s.lastModified.getTime()).toBeGreaterThanOrEqual(since);
      for (const s of chain.snapshots) {
        const recent = s.lastModified.getTime() >= since;
        const newestOfDay = !chain.snapshots.some((o) => o.seq > s.seq && o.lastModified.getTime() >= since && utcDay(o.lastModified.getTime()) === utcDay(s.lastModified.getTime()));
        if (recent && newestOfDay) expect(doomed.has(s.key)).toBe(false);
      }
    }));
  });
});
