import { Hono } from 'hono';
import { z } from 'zod';
import { csvKey } from '../keys';
import type { AppEnv } from '../state';
import { jsonBody } from '../validate';

export const csv = new Hono<AppEnv>()
  /** Presigned create-only PUT for csv/<gameDate>.csv, the human-readable safety copy of a day. */
  .post('/v1/csv', async (c) => {
    const { store, state } = c.var;
    const max = state.config.maxCsvBytes;
    const body = await jsonBody(
      c,
      z.strictObject({
        gameDate: z.iso.date(),
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
