// Fetching upstream JSON: bounded time, bounded size, validated shape. Every failure is an UpstreamError.
// Upstreams are untrusted input: redirects are never followed (they would carry the nba.com Referer elsewhere),
// bodies are read as a stream and cut at the byte limit as they arrive (after decompression, so a gzip bomb stops
// at the limit too), and upstream text only ever leaves the worker as a short excerpt without control characters.
import type { z } from 'zod';
import { TokenBuckets } from '../rate-limit';

export type UpstreamName = 'nba-cdn' | 'espn';

export class UpstreamError extends Error {
  constructor(
    readonly upstream: UpstreamName,
    readonly reason: string,
    /** the upstream answered 404 / said "not found" (the caller may treat it as "not available yet") */
    readonly notFound = false,
  ) {
    const clean = excerpt(reason, MAX_REASON_CHARS);
    super(`${upstream}: ${clean}`);
    this.reason = clean;
  }
}

/** Longest reason an UpstreamError carries into a 502 body or a log line. */
export const MAX_REASON_CHARS = 300;

/**
 * A string from an upstream as it may appear in a body or a log: control characters (newlines included, which
 * would forge log lines) and bidi/line separators become spaces, and it is cut to `max` characters.
 */
export function excerpt(text: string, max = 80): string {
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  // eslint-disable-next-line no-control-regex
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  return clean.length > max || text.length > head.length ? `${clean.slice(0, max)}…` : clean;
}

/**
 * Largest upstream body read, after decompression (the NBA season schedule is the big one: ~6 MB; a box score is
 * ~40 KB). A Workers isolate has 128 MB, and the bytes are held once more as text and once as parsed JSON.
 */
export const MAX_UPSTREAM_BYTES = 16 * 1024 * 1024;

export interface FetchOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  /** how a JSON error body of this upstream reads, e.g. ESPN's {"code":404,"message":"…"} */
  errorBody?: (json: unknown) => string | null;
  /** records bytes received per URL (for size reports and tests) */
  onBytes?: (url: string, bytes: number) => void;
  /** a smaller limit than MAX_UPSTREAM_BYTES for this request */
  maxBytes?: number;
}

class BodyTooLarge extends Error {}

/** Reads a body chunk by chunk and stops (cancelling the rest) as soon as more than `max` bytes arrived. */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** At most this many box scores (NBA CDN) or summaries (ESPN) for one request; an NBA day has at most 15 games. */
export const MAX_BOX_SCORES_PER_REQUEST = 20;
const boxScoreBudgets = new Map<number, TokenBuckets>();

/**
 * Takes `count` box-score fetches from this isolate's per-minute budget for one upstream base, or throws: a
 * schedule listing hundreds of finals, or many cold days at once, must not turn into hundreds of fetches.
 */
export function takeBoxScoreFetches(upstream: UpstreamName, base: string, count: number, perMinute = 300): void {
  if (count > MAX_BOX_SCORES_PER_REQUEST) {
    throw new UpstreamError(upstream, `${count} final games listed for one day; at most ${MAX_BOX_SCORES_PER_REQUEST} box scores are fetched per request`);
  }
  let buckets = boxScoreBudgets.get(perMinute);
  if (!buckets) boxScoreBudgets.set(perMinute, (buckets = new TokenBuckets(perMinute, perMinute)));
  for (let i = 0; i < count; i++) {
    const wait = buckets.take(`${upstream} ${base}`);
    if (wait > 0) throw new UpstreamError(upstream, `box-score budget of ${perMinute} fetches a minute used up; retry in ${wait} s`);
  }
}

/** For tests: a fresh box-score budget. */
export const resetBoxScoreBudgets = () => boxScoreBudgets.clear();


/** The first issue of a failed parse as "path: message". */
export function firstIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return `${i.path.join('.') || '(root)'}: ${i.message}`;
}

/** GET url and validate its JSON with schema; throws UpstreamError with a short reason otherwise. */
export async function fetchJson<S extends z.ZodType>(
  upstream: UpstreamName,
  url: string,
  schema: S,
  o: FetchOptions,
): Promise<z.output<S>> {
  const what = excerpt(new URL(url).pathname.split('/').pop() || url, 80);
  const max = Math.min(o.maxBytes ?? MAX_UPSTREAM_BYTES, MAX_UPSTREAM_BYTES);
  const timedOut = (e: unknown) => ['TimeoutError', 'AbortError'].includes((e as Error)?.name);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...o.headers },
      signal: AbortSignal.timeout(o.timeoutMs),
      // a redirect is an answer like any other: following it would send the nba.com headers to another host
      redirect: 'manual',
    });
  } catch (e) {
    if (timedOut(e)) throw new UpstreamError(upstream, `${what}: timed out after ${o.timeoutMs} ms`);
    throw new UpstreamError(upstream, `${what}: fetch failed (${excerpt(String((e as Error)?.message ?? e), 80)})`);
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => {});
    throw new UpstreamError(upstream, `${what}: HTTP ${res.status} redirect (not followed)`);
  }
  let text: string;
  try {
    // the declared length is the compressed size: refuse it up front; the decoded stream is counted as it arrives
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > max) {
      await res.body?.cancel().catch(() => {});
      throw new UpstreamError(upstream, `${what}: body too large (${declared} bytes declared, limit ${max})`);
    }
    const bytes = await readCapped(res.body, max);
    o.onBytes?.(url, bytes.byteLength);
    text = new TextDecoder().decode(bytes);
  } catch (e) {
    if (e instanceof UpstreamError) throw e;
    if (e instanceof BodyTooLarge) throw new UpstreamError(upstream, `${what}: body too large (more than ${max} bytes)`);
    throw new UpstreamError(upstream, `${what}: ${timedOut(e) ? `timed out after ${o.timeoutMs} ms` : 'body read failed'}`);
  }

  let json: unknown;
  let jsonOk = true;
  try {
    json = JSON.parse(text);
  } catch {
    jsonOk = false;
  }
  const said = jsonOk && o.errorBody ? o.errorBody(json) : null;
  if (!res.ok) {
    throw new UpstreamError(upstream, `${what}: HTTP ${res.status}${said ? ` (${said})` : ''}`, res.status === 404 || res.status === 403);
  }
  if (said) throw new UpstreamError(upstream, `${what}: ${said}`, /\b404\b/.test(said));
  if (!jsonOk) throw new UpstreamError(upstream, `${what}: not JSON`);
  const r = schema.safeParse(json);
  if (!r.success) throw new UpstreamError(upstream, `${what}: unexpected shape (${excerpt(firstIssue(r.error), 160)})`);
  return r.data;
}
