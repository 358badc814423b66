import { describe, expect, it } from 'vitest';
import { importDashboardDb, importSeasonCsv, ImportShapeError } from '../../web/src/lib/sources/import/game-logs';
import { loadSql } from './helpers';

const HEADER = 'season,game_id,game_date,player_id,player_name,team_id,team,opponent,home_away,wl,played,min,pts,reb,ast,fg3m';
const line = (game: string, date: string, id: string, name: string, team: string, opp: string, ha: string, min: number, pts: number) =>
  `2023-24,${game},${date},${id},${name},1,${team},${opp},${ha},W,1,${min},${pts},5,4,2`;

describe('season CSV import', () => {
  it('builds final games with summed scores, players and box-score lines', () => {
    const csv = [
      HEADER,
      line('0022300001', '2023-10-24', '101', 'Home One', 'DEN', 'LAL', 'H', 36, 30),
      line('0022300001', '2023-10-24', '102', 'Home Two', 'DEN', 'LAL', 'H', 30, 12),
      line('0022300001', '2023-10-24', '201', 'Away One', 'LAL', 'DEN', 'A', 35, 28),
    ].join('\n');
    const r = importSeasonCsv(csv);
    expect(r.rejected).toEqual([]);
    expect(r.games).toEqual([
      { id: '0022300001', date: '2023-10-24', tipoff: '2023-10-24T23:00:00.000Z', homeTeamId: 'DEN', awayTeamId: 'LAL', status: 'final', homeScore: 42, awayScore: 28 },
    ]);
    expect(r.players.map((p) => [p.id, p.teamId])).toEqual([['101', 'DEN'], ['102', 'DEN'], ['201', 'LAL']]);
    expect(r.logs[2]).toMatchObject({ playerId: '201', home: false, opponentId: 'DEN', points: 28, minutes: 35, played: true });
    expect(r.dates).toEqual(['2023-10-24']);
  });

  it('rejects bad rows with the reason and keeps the rest; a one-sided game is left out', () => {
    const csv = [
      HEADER,
      line('0022300001', '2023-10-24', '101', 'Home One', 'DEN', 'LAL', 'H', 36, 30),
      line('22300001', '2023-10-24', '102', 'Lost Zeros', 'DEN', 'LAL', 'H', 30, 12), // line 3
      line('0022300001', '2023-10-24', '201', 'Away One', 'XXX', 'DEN', 'A', 35, 28), // line 4
      line('0022300001', '2023-10-24', '101', 'Home One', 'DEN', 'LAL', 'H', 36, 30), // line 5 duplicate
      line('0022300002', '2023-10-25', '301', 'Lonely', 'BOS', 'NYK', 'H', 30, 20), // only one team's lines
    ].join('\n');
    const r = importSeasonCsv(csv);
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 0, 0]);
    expect(r.rejected[0].reason).toMatch(/leading zeros/);
    expect(r.rejected[1].reason).toMatch(/team must be/);
    expect(r.rejected[2].reason).toMatch(/duplicate of line 2/);
    expect(r.games).toEqual([]);
  });

  it('refuses a CSV of another shape', () => {
    expect(() => importSeasonCsv('name,points\nAva,3')).toThrow(ImportShapeError);
  });
});

describe('dashboard nba_stats.db import', () => {
  it('reads player_game_logs with nba_api columns (matchup, "mm:ss" minutes)', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    db.exec(`CREATE TABLE player_game_logs (game_id TEXT, player_id TEXT, player_name TEXT, team_id INTEGER, season TEXT,
      game_date DATE, matchup TEXT, wl TEXT, min TEXT, pts INTEGER, reb INTEGER, ast INTEGER, fg3m INTEGER)`);
    db.run(`INSERT INTO player_game_logs VALUES ('0022300061', '1', 'Home Guy', 1, '2023-24', '2023-10-24', 'DEN vs. LAL', 'W', '34:30', 29, 13, 11, 3)`);
    db.run(`INSERT INTO player_game_logs VALUES ('0022300061', '2', 'Away Guy', 2, '2023-24', '2023-10-24', 'LAL @ DEN', 'L', '0', 0, 0, 0, 0)`);
    db.run(`INSERT INTO player_game_logs VALUES ('0022300061', '3', 'Away Star', 2, '2023-24', '2023-10-24', 'LAL @ DEN', 'L', '36', 21, 8, 5, 1)`);
    const r = importDashboardDb(SQL, db.export());
    expect(r.rejected).toEqual([]);
    expect(r.games[0]).toMatchObject({ homeTeamId: 'DEN', awayTeamId: 'LAL', homeScore: 29, awayScore: 21 });
    expect(r.logs.find((l) => l.playerId === '1')).toMatchObject({ minutes: 34.5, home: true, played: true });
    expect(r.logs.find((l) => l.playerId === '2')).toMatchObject({ played: false, dnpReason: 'Did not play' });
  });

  it('explains a file that is not the dashboard database', async () => {
    const SQL = await loadSql();
    const other = new SQL.Database();
    other.exec('CREATE TABLE notes (x)');
    expect(() => importDashboardDb(SQL, other.export())).toThrow(/no player_game_logs table/);
    expect(() => importDashboardDb(SQL, new TextEncoder().encode('hello'))).toThrow(ImportShapeError);
  });
});
