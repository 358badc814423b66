// Importers for game history people already have: a CSV in the columns of the NBA season files
// (season, game_id, game_date, player_id, player_name, team, opponent, home_away, played, min, pts, ...),
// and the original dashboard's `nba_stats.db` (its `player_game_logs` table, nba_api column names).
// Both become the app's games, players and box-score lines; every rejected row says why. Pure.
import Papa from 'papaparse';
import type { Database, SqlJsStatic } from 'sql.js';
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { teamById } from '../../domain/teams';
import type { Game, IsoDate, Player, PlayerGameLog } from '../../domain/types';

export interface ImportedHistory {
  games: Game[];
  players: Player[];
  logs: PlayerGameLog[];
  /** Dates that the import covers completely (every game's lines), so a backfill can skip them. */
  dates: IsoDate[];
  rejected: { line: number; reason: string }[];
}

export class ImportShapeError extends Error {
  override name = 'ImportShapeError';
}

/** One appearance, whatever file it came from. */
const appearance = z.lazy(() => z.object({
  gameId: z.string().trim().regex(/^\d{10}$/, 'game_id must be the 10-digit NBA.com id (keep its leading zeros)'),
  date: z.string().trim().refine(isIsoDate, 'game_date must be a date like 2023-10-24'),
  playerId: z.string().trim().regex(/^\d+$/, 'player_id must be the NBA.com person id'),
  playerName: z.string().trim().min(1, 'player_name is required').max(100),
  team: z.string().trim().refine((t) => teamById(t) !== undefined, 'team must be an NBA team code like BOS'),
  opponent: z.string().trim().refine((t) => teamById(t) !== undefined, 'opponent must be an NBA team code like NYK'),
  home: z.boolean(),
  played: z.boolean(),
  minutes: z.number().min(0).max(70),
  points: z.number().int().min(0).max(120),
  rebounds: z.number().int().min(0).max(60),
  assists: z.number().int().min(0).max(40),
  threesMade: z.number().int().min(0).max(20),
}));
export type Appearance = z.infer<typeof appearance>;

const toNumber = (v: unknown): number => {
  if (typeof v === 'number') return v;
  const s = String(v ?? '').trim();
  if (s === '') return 0;
  const clock = /^(\d+):(\d{1,2})$/.exec(s); // "34:12"
  return clock ? Number(clock[1]) + Number(clock[2]) / 60 : Number(s);
};

function collect(rows: { line: number; raw: Record<string, unknown>; map: (raw: Record<string, unknown>) => unknown }[]): ImportedHistory {
  const { good, rejected } = validateAppearances(rows);
  return { ...assemble(good, rejected), rejected };
}

/** Each row checked (zod) and de-duplicated by game and player; rejected rows say why. */
function validateAppearances(rows: { line: number; raw: Record<string, unknown>; map: (raw: Record<string, unknown>) => unknown }[]): { good: Appearance[]; rejected: ImportedHistory['rejected'] } {
  const rejected: ImportedHistory['rejected'] = [];
  const seen = new Map<string, number>();
  const good: Appearance[] = [];
  for (const { line, raw, map } of rows) {
    const parsed = appearance.safeParse(map(raw));
    if (!parsed.success) {
      rejected.push({ line, reason: parsed.error.issues[0].message });
      continue;
    }
    const key = `${parsed.data.gameId}|${parsed.data.playerId}`;
    const first = seen.get(key);
    if (first !== undefined) {
      rejected.push({ line, reason: `duplicate of line ${first} (same game and player)` });
      continue;
    }
    seen.set(key, line);
    good.push(parsed.data);
  }
  return { good, rejected };
}

/** Box scores become games: each team's points summed, home and away from the rows themselves. */
function assemble(rows: Appearance[], rejected: ImportedHistory['rejected']): Omit<ImportedHistory, 'rejected'> {
  type Box = { date: IsoDate; home?: string; away?: string; points: Map<string, number> };
  const games = new Map<string, Box>();
  for (const r of rows) {
    const g: Box = games.get(r.gameId) ?? { date: r.date, points: new Map() };
    if (r.home) (g.home = r.team), (g.away = r.opponent);
    else (g.home = r.opponent), (g.away = r.team);
    g.points.set(r.team, (g.points.get(r.team) ?? 0) + (r.played ? r.points : 0));
    games.set(r.gameId, g);
  }
  const complete = new Set<string>();
  const outGames: Game[] = [];
  for (const [id, g] of games) {
    if (!g.home || !g.away || !g.points.has(g.home) || !g.points.has(g.away)) {
      rejected.push({ line: 0, reason: `game ${id} has lines for only one team; it is kept out` });
      continue;
    }
    complete.add(id);
    // Tip-off times are not in these files: 7 pm US Eastern stands in.
    outGames.push({
      id, date: g.date, tipoff: `${g.date}T23:00:00.000Z`, homeTeamId: g.home, awayTeamId: g.away, status: 'final',
      homeScore: g.points.get(g.home)!, awayScore: g.points.get(g.away)!,
    });
  }
  const kept = rows.filter((r) => complete.has(r.gameId));
  const latest = new Map<string, Appearance>();
  for (const r of kept) if ((latest.get(r.playerId)?.date ?? '') <= r.date) latest.set(r.playerId, r);
  return {
    games: outGames.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    players: [...latest.values()].map((r) => ({ id: r.playerId, name: r.playerName, teamId: r.team, position: '' })),
    logs: kept.map((r) => ({
      gameId: r.gameId, playerId: r.playerId, teamId: r.team, opponentId: r.opponent, date: r.date, home: r.home,
      played: r.played, starter: false, minutes: Math.round(r.minutes * 10) / 10, points: r.points, rebounds: r.rebounds,
      assists: r.assists, threesMade: r.threesMade, dnpReason: r.played ? null : 'Did not play',
    })),
    dates: [...new Set(outGames.map((g) => g.date))].sort(),
  };
}

const SEASON_COLUMNS = ['game_id', 'game_date', 'player_id', 'player_name', 'team', 'opponent', 'home_away', 'min', 'pts', 'reb', 'ast', 'fg3m'];

/**
 * The one reader of the NBA season files' CSV (`player_games_<season>.csv`), for the app's import and the backtest
 * CLI: every row validated, with the line and reason of each rejected one.
 */
export function readSeasonCsv(text: string): { rows: Appearance[]; rejected: ImportedHistory['rejected'] } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const missing = SEASON_COLUMNS.filter((c) => !(parsed.meta.fields ?? []).includes(c));
  if (missing.length) throw new ImportShapeError(`This CSV is not a season game log: missing ${missing.join(', ')}.`);
  const { good, rejected } = validateAppearances(
    parsed.data.map((raw, i) => ({
      line: i + 2,
      raw,
      map: (r) => ({
        gameId: r.game_id, date: r.game_date, playerId: r.player_id, playerName: r.player_name, team: r.team,
        opponent: r.opponent, home: String(r.home_away).trim() === 'H', played: String(r.played ?? '1').trim() !== '0',
        minutes: toNumber(r.min), points: toNumber(r.pts), rebounds: toNumber(r.reb), assists: toNumber(r.ast), threesMade: toNumber(r.fg3m),
      }),
    })),
  );
  return { rows: good, rejected };
}

/** A CSV in the columns of the NBA season files, as games, players and box-score lines. */
export function importSeasonCsv(text: string): ImportedHistory {
  const { rows, rejected } = readSeasonCsv(text);
  return { ...assemble(rows, rejected), rejected };
}

/** `player_game_logs` of the original dashboard (nba_api names: game_id, player_id, game_date, matchup, min, pts, ...). */
export function importDashboardDb(SQL: SqlJsStatic, bytes: Uint8Array): ImportedHistory {
  let db: Database;
  try {
    db = new SQL.Database(bytes);
    db.exec('PRAGMA schema_version');
  } catch {
    throw new ImportShapeError('This file is not a SQLite database.');
  }
  try {
    const columns = new Set((db.exec('PRAGMA table_info(player_game_logs)')[0]?.values ?? []).map((r) => String(r[1]).toLowerCase()));
    if (columns.size === 0) throw new ImportShapeError('This database has no player_game_logs table (is it the dashboard\'s nba_stats.db?).');
    const pick = (...names: string[]) => names.find((n) => columns.has(n));
    const need = { game: pick('game_id'), date: pick('game_date'), player: pick('player_id'), matchup: pick('matchup'), pts: pick('pts', 'points') };
    const missing = Object.entries(need).filter(([, v]) => !v).map(([k]) => k);
    if (missing.length) throw new ImportShapeError(`player_game_logs lacks the columns this import needs: ${missing.join(', ')}.`);
    const col = { name: pick('player_name', 'player'), min: pick('min', 'minutes'), reb: pick('reb', 'rebounds'), ast: pick('ast', 'assists'), fg3m: pick('fg3m', 'threes', 'three_pointers_made') };
    const stmt = db.prepare('SELECT * FROM player_game_logs');
    const rows: { line: number; raw: Record<string, unknown>; map: (raw: Record<string, unknown>) => unknown }[] = [];
    for (let i = 1; stmt.step(); i++) {
      const raw = Object.fromEntries(Object.entries(stmt.getAsObject()).map(([k, v]) => [k.toLowerCase(), v]));
      rows.push({
        line: i,
        raw,
        map: (r) => {
          // "BOS vs. NYK" is a home game for BOS, "BOS @ NYK" an away one.
          const m = /^\s*([A-Z]{2,4})\s+(vs\.?|@)\s+([A-Z]{2,4})\s*$/.exec(String(r[need.matchup!] ?? ''));
          const minutes = col.min ? toNumber(r[col.min]) : 0;
          return {
            gameId: String(r[need.game!] ?? '').padStart(10, '0'), date: String(r[need.date!] ?? '').slice(0, 10),
            playerId: String(r[need.player!] ?? ''), playerName: col.name ? String(r[col.name] ?? '') : `Player ${r[need.player!]}`,
            team: m?.[1] ?? '', opponent: m?.[3] ?? '', home: m?.[2]?.startsWith('vs') ?? false, played: minutes > 0,
            minutes, points: toNumber(r[need.pts!]), rebounds: col.reb ? toNumber(r[col.reb]) : 0,
            assists: col.ast ? toNumber(r[col.ast]) : 0, threesMade: col.fg3m ? toNumber(r[col.fg3m]) : 0,
          };
        },
      });
    }
    stmt.free();
    return collect(rows);
  } finally {
    db.close();
  }
}
