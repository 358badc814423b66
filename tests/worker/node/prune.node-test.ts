import { describe, expect, it } from 'vitest';
import { bytesOf, client, commitAndUpload, makeEnv, rawStore, tenant } from '../helpers';

const alice = tenant('prune');
const a = client(makeEnv([alice]), alice);

describe('pruning', () => {
  it('keeps the newest 50 generations', async () => {
    const total = 53;
    for (let seq = 1; seq <= total; seq++) await commitAndUpload(a, seq, bytesOf(16, seq));
    const keys = (await rawStore(alice).list('gen/')).map((o) => o.key);
    expect(keys).toHaveLength(50);
    expect((await a.begin()).json.head.seq).toBe(total);
    // newest first in one list, and exactly seqs 4..53 remain
    const seqs = keys.map((k) => 9_999_999_999 - Number(k.slice(4, 14)));
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => total - i));
  }, 60_000);
});
