import { describe, expect, it } from 'vitest';
import { changedRows, localVersion } from '../../web/src/lib/db/changes';
import { gamesOn, upsertGames, upsertLiveGames } from '../../web/src/lib/db/league-repo';
import type { Game } from '../../web/src/lib/domain/types';
import { freshDb } from './helpers';

const game = (over: Partial<Game> = {}): Game => ({
  id: 'g1', date: '2026-11-20', tipoff: '2026-11-21T00:30:00Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'scheduled',
  homeScore: null, awayScore: null, ...over,
});
const changes = (db: Awaited<ReturnType<typeof freshDb>>) => Number(db.exec('SELECT total_changes()')[0].values[0][0]);

describe('live game state (local only)', () => {
  it('shows running score, period and clock on the domain Game, never in a changeset, and the final result wins', async () => {
    const db = await freshDb();
    upsertGames(db, [game()], 'sim');
    const tracked = localVersion(db);
    const live = game({ status: 'live', homeScore: 54, awayScore: 50, period: 3, clock: '4:32' });
    upsertGames(db, [{ ...live, homeScore: null, awayScore: null }], 'sim'); // what ingest stores in the synced row
    upsertLiveGames(db, [live], 1000);
    expect(gamesOn(db, '2026-11-20', 'sim')[0]).toMatchObject({ status: 'live', homeScore: 54, awayScore: 50, period: 3, clock: '4:32' });
    // The running score is not tracked: only the status change (scheduled → live) is a change to sync.
    const version = localVersion(db);
    expect(version).toBe(tracked + 1);
    upsertLiveGames(db, [{ ...live, homeScore: 56, clock: '3:58' }], 2000);
    expect(localVersion(db)).toBe(version);
    expect(changedRows(db, version).count).toBe(0);
    // Refreshing an unchanged live state writes nothing (the store neither saves nor syncs).
    const before = changes(db);
    upsertLiveGames(db, [{ ...live, homeScore: 56, clock: '3:58' }], 3000);
    expect(changes(db)).toBe(before);
    // Once final, the synced row decides.
    upsertGames(db, [game({ status: 'final', homeScore: 101, awayScore: 99 })], 'sim');
    expect(gamesOn(db, '2026-11-20', 'sim')[0]).toMatchObject({ status: 'final', homeScore: 101, awayScore: 99, period: null, clock: null });
  });
});
