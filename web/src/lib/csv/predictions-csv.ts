// CSV export and import of logged predictions (RFC 4180 via Papa Parse, rows validated with zod).
import Papa from 'papaparse';
import { z } from 'zod';
import { isIsoDate } from '../domain/dates';
import type { Prediction } from '../domain/types';

export const PREDICTION_CSV_COLUMNS = [
  'game_date', 'player_id', 'player_name', 'team', 'opponent', 'home_away', 'game_id', 'prediction_date',
  'projected_points', 'floor', 'ceiling', 'confidence', 'games_played', 'season_avg', 'last3_avg', 'last5_avg',
  'vs_opp_avg', 'vs_opp_games', 'opp_def_factor', 'pace_factor', 'rest_days', 'model_version',
  'actual_points', 'actual_minutes', 'did_play', 'error', 'abs_error', 'in_range', 'updated_at', 'device_id',
] as const;

/** Written on export, read when present (CSVs exported before engine v3 lack it). */
export const OPTIONAL_CSV_COLUMNS = ['availability_status'] as const;

const optionalNumber = (v: number | null) => (v === null ? '' : String(v));
const optionalBool = (v: boolean | null) => (v === null ? '' : v ? 'true' : 'false');

export function predictionsToCsv(predictions: Prediction[]): string {
  const rows = predictions.map((p) => [
    p.gameDate, p.playerId, p.playerName, p.teamId, p.opponentId, p.factors.home ? 'H' : 'A', p.gameId, p.predictionDate,
    p.projectedPoints, p.floor, p.ceiling, p.confidence, p.factors.gamesPlayed, optionalNumber(p.factors.seasonAvg),
    optionalNumber(p.factors.last3Avg), optionalNumber(p.factors.last5Avg), optionalNumber(p.factors.vsOppAvg),
    p.factors.vsOppGames, p.factors.oppDefFactor, p.factors.paceFactor, optionalNumber(p.factors.restDays), p.modelVersion,
    optionalNumber(p.actualPoints), optionalNumber(p.actualMinutes), optionalBool(p.didPlay), optionalNumber(p.error),
    optionalNumber(p.absError), optionalBool(p.inRange), new Date(p.updatedAt).toISOString(), p.deviceId,
    p.availabilityStatus ?? '',
  ].map(String));
  // RFC 4180: CRLF line ends; quote fields that need it (Papa does this for commas, quotes and line breaks).
  return Papa.unparse({ fields: [...PREDICTION_CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS], data: rows }, { newline: '\r\n' });
}

const isoDate = z.lazy(() => z.string().trim().refine(isIsoDate, 'must be a date like 2026-11-28'));
const maybeNumber = z.lazy(() => z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === '') return null;
    const n = Number(s);
    if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: 'must be a number' });
    return n;
  }));
const number = z.lazy(() => maybeNumber.transform((n, ctx) => {
  if (n === null) ctx.addIssue({ code: 'custom', message: 'is required' });
  return n ?? 0;
}));
const maybeBool = z.lazy(() => z
  .string()
  .trim()
  .toLowerCase()
  .transform((s, ctx) => {
    if (s === '') return null;
    if (['true', '1', 'yes'].includes(s)) return true;
    if (['false', '0', 'no'].includes(s)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true, false or empty' });
    return null;
  }));
const text = z.lazy(() => z.string().trim().min(1, 'is required').max(200, 'is too long'));

const csvRow = z.lazy(() => z
  .object({
    game_date: isoDate,
    player_id: text,
    player_name: text,
    team: text,
    opponent: text,
    home_away: z.enum(['H', 'A'], { message: 'must be H or A' }),
    game_id: text,
    prediction_date: isoDate,
    projected_points: number.pipe(z.number().min(0).max(150)),
    floor: number.pipe(z.number().min(0).max(150)),
    ceiling: number.pipe(z.number().min(0).max(200)),
    confidence: number.pipe(z.number().min(0).max(1)),
    games_played: number.pipe(z.number().int().min(0)),
    season_avg: maybeNumber,
    last3_avg: maybeNumber,
    last5_avg: maybeNumber,
    vs_opp_avg: maybeNumber,
    vs_opp_games: number.pipe(z.number().int().min(0)),
    opp_def_factor: number,
    pace_factor: number,
    rest_days: maybeNumber,
    model_version: text,
    actual_points: maybeNumber,
    actual_minutes: maybeNumber,
    did_play: maybeBool,
    error: maybeNumber,
    abs_error: maybeNumber,
    in_range: maybeBool,
    updated_at: z.string().trim().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time'),
    device_id: text,
    availability_status: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((s) => (s ? s : null))
      .pipe(z.enum(['out', 'doubtful', 'questionable', 'probable', 'available'], { message: 'must be out, doubtful, questionable, probable, available or empty' }).nullable()),
  })
  .refine((r) => r.floor <= r.projected_points && r.projected_points <= r.ceiling, {
    message: 'floor ≤ projected_points ≤ ceiling must hold',
  }));

export interface RejectedLine {
  /** 1-based record number, as a spreadsheet shows it (the header is line 1). */
  line: number;
  reason: string;
}

export interface ParsedCsv {
  predictions: Prediction[];
  rejected: RejectedLine[];
}

export class CsvShapeError extends Error {
  override name = 'CsvShapeError';
}

/**
 * Parses an exported predictions CSV. Lines that fail validation are rejected with the reason and the
 * rest are kept. A file that is not a predictions CSV at all (missing columns) throws CsvShapeError.
 * Timestamps from the future are clamped to `now` so a wrong clock cannot make old data win a merge.
 */
export function parsePredictionsCsv(textContent: string, now: number): ParsedCsv {
  const parsed = Papa.parse<Record<string, string>>(textContent.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  });
  const fields = parsed.meta.fields ?? [];
  const missing = PREDICTION_CSV_COLUMNS.filter((c) => !fields.includes(c));
  if (missing.length > 0) {
    throw new CsvShapeError(
      `This is not an NBA Daily predictions CSV: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
    );
  }
  const rejected: RejectedLine[] = [];
  const firstLineOfKey = new Map<string, number>();
  const predictions: Prediction[] = [];
  // Papa reports structural errors (wrong field count, bad quotes) per row index.
  const rowErrors = new Map<number, string>();
  for (const e of parsed.errors) if (e.row !== undefined) rowErrors.set(e.row, e.message);
  parsed.data.forEach((raw, index) => {
    const line = index + 2;
    const structural = rowErrors.get(index);
    if (structural) return void rejected.push({ line, reason: structural });
    const result = csvRow.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue.path.length ? `${issue.path.join('.')} ` : '';
      return void rejected.push({ line, reason: `${where}${issue.message}`.trim() });
    }
    const r = result.data;
    const key = `${r.player_id}|${r.game_date}`;
    const first = firstLineOfKey.get(key);
    if (first !== undefined) return void rejected.push({ line, reason: `duplicate of line ${first} (same player and game date)` });
    firstLineOfKey.set(key, line);
    predictions.push({
      playerId: r.player_id,
      gameDate: r.game_date,
      predictionDate: r.prediction_date,
      gameId: r.game_id,
      playerName: r.player_name,
      teamId: r.team,
      opponentId: r.opponent,
      projectedPoints: r.projected_points,
      floor: r.floor,
      ceiling: r.ceiling,
      confidence: r.confidence,
      factors: {
        gamesPlayed: r.games_played,
        seasonAvg: r.season_avg,
        last3Avg: r.last3_avg,
        last5Avg: r.last5_avg,
        vsOppAvg: r.vs_opp_avg,
        vsOppGames: r.vs_opp_games,
        oppDefFactor: r.opp_def_factor,
        paceFactor: r.pace_factor,
        home: r.home_away === 'H',
        restDays: r.rest_days,
      },
      modelVersion: r.model_version,
      actualPoints: r.actual_points,
      actualMinutes: r.actual_minutes,
      didPlay: r.did_play,
      error: r.error,
      absError: r.abs_error,
      inRange: r.in_range,
      updatedAt: Math.min(Date.parse(r.updated_at), now),
      availabilityStatus: r.availability_status,
      deviceId: r.device_id,
      deleted: false,
    });
  });
  return { predictions, rejected };
}
