import { Hono } from 'hono';
import { z } from 'zod';
import { describeHead, listGenerations, prune } from '../generations';
import { MAX_SEQ, generationKey, generationName } from '../keys';
import type { AppEnv } from '../state';
import { jsonBody, optionalJsonBody } from '../validate';

const BeginBody = z.strictObject({});

export const sync = new Hono<AppEnv>()
  /** The newest generation with a presigned GET, or null before the first commit. */
  .post('/v1/sync/begin', async (c) => {
    const body = await optionalJsonBody(c, BeginBody);
    if (!body.ok) return body.response;
    const { store, state } = c.var;
    const [newest] = await listGenerations(store, 1);
    return c.json({ head: newest ? await describeHead(store, newest, state.config.presignTtlSeconds) : null });
  })

  /** Presigned create-only PUT for generation `seq`, which must be head.seq + 1 (else 409 with the head). */
  .post('/v1/sync/commit', async (c) => {
    const { store, state } = c.var;
    const { config } = state;
    const body = await jsonBody(
      c,
      z.strictObject({
        seq: z.number().int().min(1).max(MAX_SEQ - 1),
        size: z.number().int().min(1).max(config.maxDbBytes, `size exceeds MAX_DB_BYTES (${config.maxDbBytes})`),
      }),
    );
    if (!body.ok) return body.response;
    const { seq, size } = body.data;

    const gens = await listGenerations(store);
    const head = gens[0];
    const expected = (head?.seq ?? 0) + 1;
    if (seq !== expected) {
      return c.json(
        {
          error: `seq must be ${expected} (head is ${head ? head.seq : 'empty'})`,
          head: head ? await describeHead(store, head, config.presignTtlSeconds) : null,
        },
        409,
      );
    }

    const put = await store.presignPut(generationKey(seq), {
      contentType: 'application/gzip',
      contentLength: size,
      expiresIn: config.presignTtlSeconds,
    });
    try {
      await prune(store, gens, config.keepGenerations - 1);
    } catch (e) {
      console.error('prune failed (will retry on the next commit):', e);
    }
    return c.json({
      seq,
      name: generationName(seq),
      url: put.url,
      method: put.method,
      headers: put.headers,
      expiresAt: put.expiresAt.toISOString(),
    });
  });
