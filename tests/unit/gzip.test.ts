// gzip in steps (sync/gzip.ts): the same bytes as zlib's gzip reads back, whatever the size relative to a step;
// the bound and corrupt input still fail clearly.
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gunzip, gunzipBounded, gzip, STEP_BYTES, TooLargeError } from '../../web/src/lib/sync/gzip';

/** Byte equality (toEqual walks a big array element by element, far too slowly). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

const sample = (n: number, seed: number) => {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 5 === 0 ? x >>> 24 : i & 0x0f;
  }
  return out;
};

describe('gzip in steps', () => {
  it('round-trips inputs of any size, within one step, on a boundary and over several', async () => {
    const sizes = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(STEP_BYTES - 1, STEP_BYTES, STEP_BYTES + 1, 3 * STEP_BYTES + 17));
    await fc.assert(
      fc.asyncProperty(sizes, fc.integer(), async (n, seed) => {
        const bytes = sample(n, seed);
        const packed = await gzip(bytes);
        expect(same(new Uint8Array(gunzipSync(packed)), bytes)).toBe(true);
        expect(same(await gunzip(packed), bytes)).toBe(true);
        expect(same(await gunzip(new Uint8Array(gzipSync(bytes))), bytes)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('stops a bounded gunzip past its bound, also when the input spans several steps', async () => {
    const bytes = sample(5 * STEP_BYTES, 7);
    const packed = new Uint8Array(gzipSync(bytes));
    await expect(gunzipBounded(packed, bytes.length - 1)).rejects.toBeInstanceOf(TooLargeError);
    expect(same(await gunzipBounded(packed, bytes.length), bytes)).toBe(true);
  });

  it('rejects what is not gzip, and gzip cut short', async () => {
    await expect(gunzip(new TextEncoder().encode('{"not": "gzip"}'))).rejects.toThrow();
    const packed = new Uint8Array(gzipSync(sample(3 * STEP_BYTES, 3)));
    await expect(gunzip(packed.subarray(0, packed.length - 40))).rejects.toThrow();
  });
});
