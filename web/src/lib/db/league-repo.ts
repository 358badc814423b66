// Reads and writes of league facts: teams, players, games, box scores, and which source days are stored.
// Upserts change a row only when a value differs, so refreshing an unchanged day writes nothing (and the
// store then neither saves nor syncs).
import type { Database } from 'sql.js';
import type { Game, GameStatus, IsoDate, Player, PlayerGameLog, Team } from '../domain/types';
import { all, bool, runMany, type Row } from './sql';

export function upsertTeams(db: Database, teams: Team[]): void {
  runMany(
    db,
    `INSERT INTO teams (id, city, name, conference) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET city = excluded.city, name = excluded.name, conference = excluded.conference
     WHERE (teams.city, teams.name, teams.conference) IS NOT (excluded.city, excluded.name, excluded.conference)`,
    teams.map((t) => [t.id, t.city, t.name, t.conference]),
  );
}

export function listTeams(db: Database): Team[] {
  return all(db, 'SELECT id, city, name, conference FROM teams ORDER BY city').map((r) => ({
    id: String(r.id),
    city: String(r.city),
    name: String(r.name),
    conference: r.conference === 'West' ? 'West' : 'East',
  }));
}

export function upsertPlayers(db: Database, players: Player[], sourceId: string): void {
  runMany(
    db,
    `INSERT INTO players (id, name, team_id, position, source_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, team_id = excluded.team_id, position = excluded.position
     WHERE (players.name, players.team_id, players.position) IS NOT (excluded.name, excluded.team_id, excluded.position)`,
    players.map((p) => [p.id, p.name, p.teamId, p.position, sourceId]),
  );
}

export function playersOfTeams(db: Database, teamIds: string[], sourceId: string): Player[] {
  if (teamIds.length === 0) return [];
  const marks = teamIds.map(() => '?').join(',');
  return all(
    db,
    `SELECT id, name, team_id, position FROM players WHERE source_id = ? AND team_id IN (${marks}) ORDER BY name`,
    [sourceId, ...teamIds],
  ).map(
    (r) => ({ id: String(r.id), name: String(r.name), teamId: String(r.team_id), position: String(r.position) }),
  );
}

export function upsertGames(db: Database, games: Game[], sourceId: string): void {
  runMany(
    db,
    `INSERT INTO games (id, date, tipoff, home_team_id, away_team_id, status, home_score, away_score, source_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET date = excluded.date, tipoff = excluded.tipoff,
       home_team_id = excluded.home_team_id, away_team_id = excluded.away_team_id, status = excluded.status,
       home_score = excluded.home_score, away_score = excluded.away_score
     WHERE (games.date, games.tipoff, games.home_team_id, games.away_team_id, games.status, games.home_score, games.away_score)
       IS NOT (excluded.date, excluded.tipoff, excluded.home_team_id, excluded.away_team_id, excluded.status, excluded.home_score, excluded.away_score)`,
    games.map((g) => [g.id, g.date, g.tipoff, g.homeTeamId, g.awayTeamId, g.status, g.homeScore, g.awayScore, sourceId]),
  );
}

// A live game's running state comes from live_games (local only, never synced) while the synced row says less.
const GAME_COLUMNS = `games.id AS id, date, tipoff, home_team_id, away_team_id,
  CASE WHEN games.status IN ('scheduled', 'live') AND lg.game_id IS NOT NULL THEN lg.status ELSE games.status END AS status,
  CASE WHEN games.status = 'final' OR lg.game_id IS NULL THEN games.home_score ELSE lg.home_score END AS home_score,
  CASE WHEN games.status = 'final' OR lg.game_id IS NULL THEN games.away_score ELSE lg.away_score END AS away_score,
  CASE WHEN games.status = 'final' THEN NULL ELSE lg.period END AS period,
  CASE WHEN games.status = 'final' THEN NULL ELSE lg.clock END AS clock`;
const GAMES_FROM = 'games LEFT JOIN live_games lg ON lg.game_id = games.id';

function toGame(r: Row): Game {
  return {
    id: String(r.id),
    date: String(r.date),
    tipoff: String(r.tipoff),
    homeTeamId: String(r.home_team_id),
    awayTeamId: String(r.away_team_id),
    status: String(r.status) as GameStatus,
    homeScore: r.home_score === null ? null : Number(r.home_score),
    awayScore: r.away_score === null ? null : Number(r.away_score),
    period: r.period === null || r.period === undefined ? null : Number(r.period),
    clock: r.clock === null || r.clock === undefined ? null : String(r.clock),
  };
}

/**
 * Stores the running state of live games (score, status, period, clock) in live_games: local only, not tracked,
 * never synced (each online device fetches its own; see docs/API.md). A state that did not change writes nothing.
 */
export function upsertLiveGames(db: Database, games: Game[], now: number): void {
  runMany(
    db,
    `INSERT INTO live_games (game_id, status, home_score, away_score, period, clock, observed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(game_id) DO UPDATE SET status = excluded.status, home_score = excluded.home_score, away_score = excluded.away_score,
       period = excluded.period, clock = excluded.clock, observed_at = excluded.observed_at
     WHERE (live_games.status, live_games.home_score, live_games.away_score, live_games.period, live_games.clock)
       IS NOT (excluded.status, excluded.home_score, excluded.away_score, excluded.period, excluded.clock)`,
    games.filter((g) => g.status === 'live').map((g) => [g.id, g.status, g.homeScore, g.awayScore, g.period ?? null, g.clock ?? null, now]),
  );
}

export function gamesOn(db: Database, date: IsoDate, sourceId: string): Game[] {
  return all(db, `SELECT ${GAME_COLUMNS} FROM ${GAMES_FROM} WHERE source_id = ? AND date = ? ORDER BY tipoff, games.id`, [sourceId, date]).map(toGame);
}

/** Final games with `from <= date < before`, oldest first (the order ratings must be built in). */
export function finalGamesBetween(db: Database, from: IsoDate, before: IsoDate, sourceId: string): Game[] {
  return all(
    db,
    `SELECT ${GAME_COLUMNS} FROM ${GAMES_FROM} WHERE source_id = ? AND games.status = 'final' AND date >= ? AND date < ? ORDER BY date, tipoff, games.id`,
    [sourceId, from, before],
  ).map(toGame);
}

export function upsertGameLogs(db: Database, logs: PlayerGameLog[]): void {
  runMany(
    db,
    `INSERT INTO player_game_logs (game_id, player_id, team_id, opponent_id, date, home, played, starter,
       minutes, points, rebounds, assists, threes_made, dnp_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(game_id, player_id) DO UPDATE SET team_id = excluded.team_id, opponent_id = excluded.opponent_id,
       date = excluded.date, home = excluded.home, played = excluded.played, starter = excluded.starter,
       minutes = excluded.minutes, points = excluded.points, rebounds = excluded.rebounds,
       assists = excluded.assists, threes_made = excluded.threes_made, dnp_reason = excluded.dnp_reason
     WHERE (player_game_logs.played, player_game_logs.minutes, player_game_logs.points, player_game_logs.rebounds,
            player_game_logs.assists, player_game_logs.threes_made, player_game_logs.team_id, player_game_logs.dnp_reason)
       IS NOT (excluded.played, excluded.minutes, excluded.points, excluded.rebounds,
               excluded.assists, excluded.threes_made, excluded.team_id, excluded.dnp_reason)`,
    logs.map((l) => [
      l.gameId, l.playerId, l.teamId, l.opponentId, l.date, bool(l.home), bool(l.played), bool(l.starter),
      l.minutes, l.points, l.rebounds, l.assists, l.threesMade, l.dnpReason,
    ]),
  );
}

/** Box-score lines of the given players with `from <= date < before`, grouped by player, oldest first. */
export function logsForPlayers(db: Database, playerIds: string[], from: IsoDate, before: IsoDate): Map<string, PlayerGameLog[]> {
  const byPlayer = new Map<string, PlayerGameLog[]>(playerIds.map((id) => [id, []]));
  if (playerIds.length === 0) return byPlayer;
  const marks = playerIds.map(() => '?').join(',');
  // Rows as arrays, not objects: this is the hot query behind every slate (thousands of rows).
  const stmt = db.prepare(
    `SELECT game_id, player_id, team_id, opponent_id, date, home, played, starter, minutes, points, rebounds, assists,
            threes_made, dnp_reason
     FROM player_game_logs WHERE player_id IN (${marks}) AND date >= ? AND date < ?`,
  );
  try {
    stmt.bind([...playerIds, from, before]);
    while (stmt.step()) {
      const r = stmt.get();
      byPlayer.get(String(r[1]))?.push({
        gameId: String(r[0]),
        playerId: String(r[1]),
        teamId: String(r[2]),
        opponentId: String(r[3]),
        date: String(r[4]),
        home: r[5] === 1,
        played: r[6] === 1,
        starter: r[7] === 1,
        minutes: Number(r[8]),
        points: Number(r[9]),
        rebounds: Number(r[10]),
        assists: Number(r[11]),
        threesMade: Number(r[12]),
        dnpReason: r[13] === null ? null : String(r[13]),
      });
    }
  } finally {
    stmt.free();
  }
  // The (player_id, date) index already yields each player's rows in date order; sorting here instead of
  // ORDER BY saves SQLite a temporary B-tree over every row, and is nearly free on sorted input.
  for (const rows of byPlayer.values()) rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return byPlayer;
}

export function markSourceDay(db: Database, sourceId: string, date: IsoDate, complete: boolean, now: number): void {
  db.run(
    `INSERT INTO source_days (source_id, date, complete, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(source_id, date) DO UPDATE SET complete = excluded.complete, fetched_at = excluded.fetched_at
     WHERE source_days.complete IS NOT excluded.complete`,
    [sourceId, date, bool(complete), now],
  );
}

/** Dates in [from, to] this source has stored as complete (every game final). */
export function completeSourceDays(db: Database, sourceId: string, from: IsoDate, to: IsoDate): Set<IsoDate> {
  return new Set(
    all(db, 'SELECT date FROM source_days WHERE source_id = ? AND complete = 1 AND date BETWEEN ? AND ?', [sourceId, from, to]).map(
      (r) => String(r.date),
    ),
  );
}
