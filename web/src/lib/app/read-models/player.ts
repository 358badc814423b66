// What a player's page shows: his logged projections against actual points, his game log, and his
// own accuracy (MAE, share of actuals inside the band).
import type { Database } from 'sql.js';
import type { IsoDate, Prediction } from '../../domain/types';
import { all, one } from '../../db/sql';
import { rowToPrediction } from '../../db/predictions-repo';
import { summarizePoints, type PointsSummary } from '../../metrics/accuracy';
import { calibratedConfidence } from '../../metrics/confidence';

export interface PlayerGameLine {
  gameId: string;
  date: IsoDate;
  teamId: string;
  opponentId: string;
  home: boolean;
  played: boolean;
  minutes: number;
  points: number;
  rebounds: number;
  assists: number;
  /** The logged projection for this game, if any. */
  projected: number | null;
  floor: number | null;
  ceiling: number | null;
}

export interface PlayerView {
  playerId: string;
  name: string;
  teamId: string | null;
  position: string | null;
  /** Logged predictions, oldest first (the chart's order). */
  predictions: (Prediction & { shownConfidence: number })[];
  /** Box scores, newest first, with the logged projection alongside. */
  games: PlayerGameLine[];
  summary: PointsSummary;
  dnp: number;
}

/** Null when the app knows nothing about this id (a stale or mistyped link). */
export function playerView(db: Database, input: { playerId: string; sourceId: string }): PlayerView | null {
  const { playerId } = input;
  const player = one(db, 'SELECT name, team_id, position FROM players WHERE id = ?', [playerId]);
  const predictions = all(db, 'SELECT * FROM predictions WHERE player_id = ? AND deleted = 0 ORDER BY game_date', [playerId]).map((r) => {
    const p = rowToPrediction(r);
    return { ...p, shownConfidence: calibratedConfidence(p) };
  });
  if (!player && predictions.length === 0) return null;
  const byGame = new Map(predictions.map((p) => [p.gameId, p]));
  const games = all(
    db,
    `SELECT game_id, date, team_id, opponent_id, home, played, minutes, points, rebounds, assists
     FROM player_game_logs WHERE player_id = ? ORDER BY date DESC LIMIT 100`,
    [playerId],
  ).map((r) => {
    const p = byGame.get(String(r.game_id));
    return {
      gameId: String(r.game_id),
      date: String(r.date),
      teamId: String(r.team_id),
      opponentId: String(r.opponent_id),
      home: Number(r.home) === 1,
      played: Number(r.played) === 1,
      minutes: Number(r.minutes),
      points: Number(r.points),
      rebounds: Number(r.rebounds),
      assists: Number(r.assists),
      projected: p?.projectedPoints ?? null,
      floor: p?.floor ?? null,
      ceiling: p?.ceiling ?? null,
    };
  });
  const last = predictions.at(-1);
  return {
    playerId,
    name: player ? String(player.name) : last!.playerName,
    teamId: player ? String(player.team_id) : (last?.teamId ?? null),
    position: player ? String(player.position) || null : null,
    predictions,
    games,
    summary: summarizePoints(predictions),
    dnp: predictions.filter((p) => p.didPlay === false).length,
  };
}
