// Fetching upstream JSON: bounded time, bounded size, validated shape. Every failure is an UpstreamError.
import type { z } from 'zod';

export type UpstreamName = 'nba-cdn' | 'espn';

export class UpstreamError extends Error {
  constructor(
    readonly upstream: UpstreamName,
    readonly reason: string,
    /** the upstream answered 404 / said "not found" (the caller may treat it as "not available yet") */
    readonly notFound = false,
  ) {
    super(`${upstream}: ${reason}`);
  }
}

/** Largest upstream body read (the NBA season schedule is the big one, a few MB). */
export const MAX_UPSTREAM_BYTES = 32 * 1024 * 1024;

export interface FetchOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  /** how a JSON error body of this upstream reads, e.g. ESPN's {"code":404,"message":"…"} */
  errorBody?: (json: unknown) => string | null;
  /** records bytes received per URL (for size reports and tests) */
  onBytes?: (url: string, bytes: number) => void;
}

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

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
  const what = new URL(url).pathname.split('/').pop() ?? url;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...o.headers },
      signal: AbortSignal.timeout(o.timeoutMs),
      redirect: 'follow',
    });
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new UpstreamError(upstream, `${what}: timed out after ${o.timeoutMs} ms`);
    throw new UpstreamError(upstream, `${what}: fetch failed (${short(String((e as Error)?.message ?? e), 80)})`);
  }
  let text: string;
  try {
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > MAX_UPSTREAM_BYTES) {
      await res.body?.cancel();
      throw new UpstreamError(upstream, `${what}: body too large (${declared} bytes)`);
    }
    text = await res.text(); // still bounded by the timeout signal
  } catch (e) {
    if (e instanceof UpstreamError) throw e;
    const name = (e as Error)?.name;
    throw new UpstreamError(upstream, `${what}: ${name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${o.timeoutMs} ms` : 'body read failed'}`);
  }
  if (text.length > MAX_UPSTREAM_BYTES) throw new UpstreamError(upstream, `${what}: body too large`);
  o.onBytes?.(url, new TextEncoder().encode(text).length);

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
  if (!r.success) throw new UpstreamError(upstream, `${what}: unexpected shape (${short(firstIssue(r.error))})`);
  return r.data;
}
