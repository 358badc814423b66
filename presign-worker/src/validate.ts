import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest, toIssues } from './errors';

type Result<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Parse and validate a JSON body; on failure the caller returns `response` (400 {error, issues}). */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<Result<z.output<S>>> {
  if (!isJson(c)) {
    return { ok: false, response: badRequest(c, 'expected Content-Type: application/json') };
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, response: badRequest(c, 'body is not valid JSON') };
  }
  return check(c, schema, raw, 'invalid request body');
}

export function check<S extends z.ZodType>(c: Context, schema: S, raw: unknown, error: string): Result<z.output<S>> {
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, data: r.data } : { ok: false, response: badRequest(c, error, toIssues(r.error)) };
}

const isJson = (c: Context) => /^application\/json(\s*;|$)/i.test(c.req.header('content-type') ?? '');

/**
 * Like jsonBody, but an empty body counts as `{}` (for POSTs whose fields are all optional). A body that is not
 * empty must still say it is JSON (docs/API.md): a text/plain or form body is refused like everywhere else.
 */
export async function optionalJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<Result<z.output<S>>> {
  const text = await c.req.text();
  if (text.trim() === '') return check(c, schema, {}, 'invalid request body');
  if (!isJson(c)) return { ok: false, response: badRequest(c, 'expected Content-Type: application/json') };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, response: badRequest(c, 'body is not valid JSON') };
  }
  return check(c, schema, raw, 'invalid request body');
}
