// Logging a slate in writes of whole games (app/slate.ts logWrites): every row exactly once, in slate order, a game's
// players never split, no write over the bound unless one game alone is, and the game picks in the first write.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LOG_WRITE_ROWS, logWrites } from '../../web/src/lib/app/slate';
import type { GamePrediction } from '../../web/src/lib/domain/types';
import { prediction } from './helpers';

const pick = (gameId: string) => ({ gameId }) as GamePrediction;

describe('logWrites', () => {
  it('keeps every row once, games whole, within the bound; the picks go first', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 15 }), fc.integer({ min: 1, max: 120 }), (sizes, max) => {
        const players = sizes.flatMap((n, g) => Array.from({ length: n }, (_, i) => prediction({ playerId: `p${g}-${i}`, gameId: `g${g}` })));
        const games = sizes.map((_, g) => pick(`g${g}`));
        const writes = logWrites({ players, games }, max);
        expect(writes.flatMap((w) => w.players)).toEqual(players);
        expect(writes[0].games).toEqual(games);
        expect(writes.slice(1).every((w) => w.games.length === 0)).toBe(true);
        for (const w of writes) {
          // Over the bound only as one game alone; never an empty write unless there is nothing to log.
          if (new Set(w.players.map((p) => p.gameId)).size > 1) expect(w.players.length).toBeLessThanOrEqual(max);
          if (players.length > 0) expect(w.players.length).toBeGreaterThan(0);
        }
        // A game's rows are all in one write.
        const writesOf = new Map<string, Set<number>>();
        writes.forEach((w, i) => w.players.forEach((p) => writesOf.set(p.gameId, (writesOf.get(p.gameId) ?? new Set()).add(i))));
        for (const seen of writesOf.values()) expect(seen.size).toBe(1);
        // As few writes as whole games allow: two neighbouring writes would not fit in one.
        for (let i = 1; i < writes.length; i++) expect(writes[i - 1].players.length + writes[i].players.length).toBeGreaterThan(max);
      }),
    );
  });

  it('a slate of 300 rows over 10 games is three or four writes; nothing to log is one empty write', () => {
    const players = Array.from({ length: 300 }, (_, i) => prediction({ playerId: `p${i}`, gameId: `g${i % 10}` })).sort((a, b) => (a.gameId < b.gameId ? -1 : 1));
    const writes = logWrites({ players, games: [] });
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes.length).toBeLessThanOrEqual(4);
    expect(writes.every((w) => w.players.length <= LOG_WRITE_ROWS)).toBe(true);
    expect(logWrites({ players: [], games: [] })).toEqual([{ players: [], games: [] }]);
  });
});
