// Reads the player-appearance CSV format of the real-season files (one row per player per game).
// Pure: takes the file's text, returns typed rows.
import Papa from 'papaparse';

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

export const REQUIRED_COLUMNS = ['game_id', 'game_date', 'player_id', 'player_name', 'team', 'opponent', 'home_away', 'min', 'pts'] as const;

export function parsePlayerGamesCsv(text: string): BoxRow[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true, dynamicTyping: false });
  const fields = parsed.meta.fields ?? [];
  const missing = REQUIRED_COLUMNS.filter((c) => !fields.includes(c));
  if (missing.length > 0) throw new Error(`player games CSV: missing columns ${missing.join(', ')}`);
  const num = (v: string | undefined) => {
    const x = Number(v);
    return Number.isFinite(x) ? x : 0;
  };
  return parsed.data.map((r, i) => {
    const date = r.game_date;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date ?? '')) throw new Error(`player games CSV: bad game_date on data row ${i + 1}`);
    const ha = (r.home_away ?? '').trim().toUpperCase();
    if (ha !== 'H' && ha !== 'A') throw new Error(`player games CSV: home_away must be H or A on data row ${i + 1}`);
    return {
      gameId: r.game_id,
      date,
      playerId: r.player_id,
      playerName: r.player_name ?? '',
      teamId: r.team,
      opponentId: r.opponent,
      home: ha === 'H',
      played: r.played === undefined || r.played === '' ? true : r.played !== '0',
      minutes: num(r.min),
      points: num(r.pts),
      rebounds: num(r.reb),
      assists: num(r.ast),
      threesMade: num(r.fg3m),
    };
  });
}
