// A file of its own: sql.js keeps the first instance it makes for the whole realm, whatever a later call asks.
import { describe, expect, it } from 'vitest';
import { instantiateSqlite } from '../../web/src/lib/db/sqlite-module';

describe('sql.js on a module compiled beforehand', () => {
  it('rejects, instead of waiting forever, when the module cannot be instantiated', async () => {
    // A module importing a function x.y, which sql.js does not give.
    const foreign = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 7, 1, 1, 0x78, 1, 0x79, 0, 0]);
    await expect(instantiateSqlite(await WebAssembly.compile(foreign))).rejects.toThrow();
  });
});
