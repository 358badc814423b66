// What the warm-up worker (sqlite-warm-up.worker.ts) runs: a first visit's SQL, on a throwaway copy of the
// new-database file: the copy and its ids, the change capture, a backfill's writes of a small made-up league
// (enough rows to split pages) with the store's bookkeeping around each, the changeset read back, the reads a slate
// makes, the export. Nothing of it is kept. tests/unit/sqlite-warm-up.test.ts checks that it runs every statement a
// first visit runs. Pure: any sql.js, in a worker or in Node.
import type { Database, SqlJsStatic } from 'sql.js';
import type { Game, PlayerGameLog } from '../domain/types';
import { currentHlc, localVersion, setNode, setWall, totalChanges } from './changes';
import { openEmptyDatabase, rehearseWrites } from './empty-database';
import { installCapture, takeChanges, touchedTables } from './journal';
import { completeSourceDays, finalGamesBetween, gamesOn, listTeams, logsForPlayers, markSourceDay, playersOfTeams, upsertGameLogs, upsertGames, upsertLiveGames, upsertPlayers, upsertTeams } from './league-repo';
import { countPredictions, scoreFinishedGames } from './predictions-repo';
import { transaction } from './sql';

const SOURCE = 'warm-up';
const TEAMS = ['A', 'B', 'C', 'D'];
const PLAYERS_PER_TEAM = 12;
const DAYS = 6;

export function warmUp(SQL: SqlJsStatic, template: Uint8Array | null): void {
  const db = openEmptyDatabase(SQL, template);
  try {
    setNode(db, 'warm-up');
    installCapture(db);
    rehearseWrites(db);
    const players = TEAMS.flatMap((teamId) => Array.from({ length: PLAYERS_PER_TEAM }, (_, i) => ({ id: `${teamId}${i}`, name: `Player ${teamId}${i}`, teamId, position: 'G' })));
    completeSourceDays(db, SOURCE, '2000-01-01', '2000-01-31');
    for (let day = 1; day <= DAYS; day++) {
      const date = `2000-01-${String(day).padStart(2, '0')}`;
      write(db, () => {
        if (day === 1) upsertTeams(db, TEAMS.map((id) => ({ id, city: id, name: id, conference: 'East' })));
        const games: Game[] = [0, 2].map((i) => ({ id: `${date}-${i}`, date, tipoff: `${date}T00:00:00Z`, homeTeamId: TEAMS[i], awayTeamId: TEAMS[i + 1], status: 'final', homeScore: 100 + day, awayScore: 99 }));
        upsertPlayers(db, players, SOURCE);
        upsertGames(db, games, SOURCE);
        upsertGameLogs(db, games.flatMap((g) => players.filter((p) => p.teamId === g.homeTeamId || p.teamId === g.awayTeamId).map((p, i): PlayerGameLog => ({
          gameId: g.id, playerId: p.id, teamId: p.teamId, opponentId: p.teamId === g.homeTeamId ? g.awayTeamId : g.homeTeamId, date, home: p.teamId === g.homeTeamId,
          played: i % 11 !== 0, starter: i % 12 < 5, minutes: 10 + i, points: i + day, rebounds: 3, assists: 2, threesMade: 1, dnpReason: i % 11 === 0 ? 'rest' : null,
        }))));
        if (day === DAYS) upsertLiveGames(db, [{ ...games[0], status: 'live', period: 2, clock: '4:32' }], 0);
        markSourceDay(db, SOURCE, date, true, 0);
        scoreFinishedGames(db, undefined, games.map((g) => g.id));
      });
    }
    gamesOn(db, '2000-01-06', SOURCE);
    listTeams(db);
    const rostered = playersOfTeams(db, TEAMS, SOURCE);
    finalGamesBetween(db, '2000-01-01', '2000-01-06', SOURCE);
    logsForPlayers(db, rostered.map((p) => p.id), '2000-01-01', '2000-01-06');
    countPredictions(db, { from: '2000-01-06', to: '2000-01-06', sourceId: SOURCE });
    db.export();
  } finally {
    db.close();
  }
}

/** A write as the store makes it (store.ts write): its bookkeeping, one transaction, its changeset read back. */
function write(db: Database, fn: () => void): void {
  setWall(db, 0);
  totalChanges(db);
  localVersion(db);
  currentHlc(db);
  transaction(db, fn);
  totalChanges(db);
  touchedTables(db);
  takeChanges(db);
}
