import { describe, expect, it } from 'vitest';
import { adoptKnownPlayerIds } from '../../web/src/lib/app/ingest';
import { upsertPlayers } from '../../web/src/lib/db/league-repo';
import type { PlayerGameLog } from '../../web/src/lib/domain/types';
import { freshDb } from './helpers';

const line = (playerId: string): PlayerGameLog => ({
  gameId: 'g', playerId, teamId: 'DEN', opponentId: 'LAL', date: '2024-01-10', home: true, played: true, starter: true,
  minutes: 30, points: 20, rebounds: 10, assists: 8, threesMade: 1, dnpReason: null,
});

describe('adoptKnownPlayerIds', () => {
  it('maps an ESPN-only player to the NBA.com id of the same team and name, whatever the spelling', async () => {
    const db = await freshDb();
    upsertPlayers(db, [{ id: '203999', name: 'Nikola Jokić', teamId: 'DEN', position: 'C' }], 'nba');
    const day = {
      date: '2024-01-10',
      games: [],
      players: [
        { id: 'espn-3112335', name: 'Nikola Jokic', teamId: 'DEN', position: 'C' },
        { id: 'espn-999', name: 'New Guy', teamId: 'DEN', position: 'G' },
      ],
      logs: [line('espn-3112335'), line('espn-999')],
    };
    const out = adoptKnownPlayerIds(db, day, 'nba');
    expect(out.players.map((p) => p.id)).toEqual(['203999', 'espn-999']);
    expect(out.logs.map((l) => l.playerId)).toEqual(['203999', 'espn-999']);
    // Another source's players are never used.
    expect(adoptKnownPlayerIds(db, day, 'simulated').players[0].id).toBe('espn-3112335');
  });
});
