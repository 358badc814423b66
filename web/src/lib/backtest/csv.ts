// The backtest's rows, read with the app's own season-CSV reader (sources/import/game-logs.ts: the same zod
// checks as an import). A backtest needs every row: any rejected row fails the run with its line and reason.
import { readSeasonCsv } from '../sources/import/game-logs';

export interface BoxRow {
  gameId: string;
  date: string;
  playerId: string;
  playerName: string;
  teamId: string;
  opponentId: string;
  home: boolean;
  played: boolean;
  minutes: number;
  points: number;
  rebounds: number;
  assists: number;
  threesMade: number;
}

export function parsePlayerGamesCsv(text: string): BoxRow[] {
  const { rows, rejected } = readSeasonCsv(text);
  if (rejected.length > 0) {
    const first = rejected[0];
    throw new Error(`player games CSV: line ${first.line}: ${first.reason}${rejected.length > 1 ? ` (and ${rejected.length - 1} more rejected rows)` : ''}`);
  }
  return rows.map((r) => ({
    gameId: r.gameId, date: r.date, playerId: r.playerId, playerName: r.playerName, teamId: r.team, opponentId: r.opponent,
    home: r.home, played: r.played, minutes: r.minutes, points: r.points, rebounds: r.rebounds, assists: r.assists, threesMade: r.threesMade,
  }));
}
