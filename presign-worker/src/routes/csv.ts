import { Hono } from 'hono';
import { z } from 'zod';
import { csvKey } from '../keys';
import type { AppEnv } from '../state';
import { jsonBody } from '../validate';

/**
 * Each date is an object kept forever, so only days the app can log are accepted: NBA seasons (the first game was
 * played on 1946-11-01) up to a year from today.
 */
export const FIRST_NBA_DATE = '1946-11-01';
function loggableDay(date: string): boolean {
  const latest = new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 10);
  return date >= FIRST_NBA_DATE && date <= latest;
}

export const csv = new Hono<AppEnv>()
  /** Presigned create-only PUT for csv/<gameDate>.csv, the human-readable safety copy of a day. */
  .post('/v1/csv', async (c) => {
    const { store, state } = c.var;
    const max = state.config.maxCsvBytes;
    const body = await jsonBody(
      c,
      z.strictObject({
        gameDate: z.iso.date().refine(loggableDay, `gameDate must be an NBA day (${FIRST_NBA_DATE} to a year from today)`),
        size: z.number().int().min(1).max(max, `size exceeds MAX_CSV_BYTES (${max})`),
      }),
    );
    if (!body.ok) return body.response;
    const { gameDate, size } = body.data;
    const put = await store.presignPut(csvKey(gameDate), {
      contentType: 'text/csv',
      contentLength: size,
      expiresIn: state.config.presignTtlSeconds,
    });
    return c.json({
      name: `${gameDate}.csv`,
      url: put.url,
      method: put.method,
      headers: put.headers,
      expiresAt: put.expiresAt.toISOString(),
    });
  });
