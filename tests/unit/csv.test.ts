import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvShapeError, OPTIONAL_CSV_COLUMNS, parsePredictionsCsv, PREDICTION_CSV_COLUMNS, predictionsToCsv } from '../../web/src/lib/csv/predictions-csv';
import { prediction } from './helpers';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('predictions CSV', () => {
  it('round-trips predictions exactly, including names that need quoting', () => {
    const rows = [
      prediction({ playerName: 'Shaquille "Shaq" O\'Neal, Jr.', actualPoints: 27, actualMinutes: 31.5, didPlay: true, error: 7, absError: 7, inRange: true }),
      prediction({ playerId: 'p2', gameDate: '2026-11-21', factors: { ...prediction().factors, vsOppAvg: 18.5, vsOppGames: 2, restDays: null, home: false } }),
      prediction({ playerId: 'p3', didPlay: false, availabilityStatus: 'questionable' }),
    ];
    const csv = predictionsToCsv(rows);
    expect(csv.split('\r\n')[0]).toBe([...PREDICTION_CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS].join(','));
    expect(csv).toContain('"Shaquille ""Shaq"" O\'Neal, Jr."');
    const back = parsePredictionsCsv(csv, NOW);
    expect(back.rejected).toEqual([]);
    expect(back.predictions).toEqual(rows);
  });

  it('the availability status at prediction time is exported; CSVs from before it (no column) still import', () => {
    const csv = predictionsToCsv([prediction({ availabilityStatus: 'probable' })]);
    expect(Papa.parse<Record<string, string>>(csv, { header: true }).data[0].availability_status).toBe('probable');
    const old = Papa.unparse(Papa.parse<Record<string, string>>(csv, { header: true }).data.map(({ availability_status: _, ...r }) => r));
    const back = parsePredictionsCsv(old, NOW);
    expect(back.rejected).toEqual([]);
    expect(back.predictions[0].availabilityStatus).toBeNull();
    const bad = csv.replace(/,probable/, ',sidelined');
    expect(parsePredictionsCsv(bad, NOW).rejected[0].reason).toMatch(/availability_status/);
  });

  it('writes ISO dates and timestamps', () => {
    const csv = predictionsToCsv([prediction()]);
    const [row] = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect(row.game_date).toBe('2026-11-20');
    expect(row.updated_at).toBe(new Date(1_700_000_000_000).toISOString());
  });

  it('rejects bad lines with their line number and reason, and keeps the good ones', () => {
    const good = predictionsToCsv([prediction({ playerId: 'a' }), prediction({ playerId: 'b' })]).split('\r\n');
    const header = good[0];
    const cols = header.split(',');
    const withValue = (line: string, column: string, value: string) => {
      const cells = Papa.parse<string[]>(line).data[0];
      cells[cols.indexOf(column)] = value;
      return Papa.unparse([cells]);
    };
    const lines = [
      header,
      good[1], // line 2: fine
      withValue(good[2], 'game_date', '2026-13-45'), // line 3
      withValue(good[2], 'projected_points', 'lots'), // line 4
      withValue(good[2], 'home_away', 'X'), // line 5
      withValue(good[2], 'floor', '99'), // line 6: floor above projection
      good[1], // line 7: duplicate of line 2
      'too,few,fields', // line 8
    ];
    const result = parsePredictionsCsv(lines.join('\n'), NOW);
    expect(result.predictions.map((p) => p.playerId)).toEqual(['a']);
    expect(result.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(result.rejected[0].reason).toMatch(/game_date/);
    expect(result.rejected[1].reason).toMatch(/projected_points/);
    expect(result.rejected[2].reason).toMatch(/home_away/);
    expect(result.rejected[3].reason).toMatch(/floor/);
    expect(result.rejected[4].reason).toMatch(/duplicate of line 2/);
  });

  it('refuses a file of another shape as a whole', () => {
    expect(() => parsePredictionsCsv('name,points\nAva,20\n', NOW)).toThrow(CsvShapeError);
    expect(() => parsePredictionsCsv('', NOW)).toThrow(/missing columns/);
  });

  it('clamps timestamps from the future to now', () => {
    const csv = predictionsToCsv([prediction({ updatedAt: NOW + 86_400_000 })]);
    expect(parsePredictionsCsv(csv, NOW).predictions[0].updatedAt).toBe(NOW);
  });

  it('accepts a byte-order mark and blank lines', () => {
    const csv = `\uFEFF${predictionsToCsv([prediction()])}\r\n\r\n`;
    expect(parsePredictionsCsv(csv, NOW).predictions).toHaveLength(1);
  });
});
