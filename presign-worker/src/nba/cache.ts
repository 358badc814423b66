// Edge cache (Cache API, `caches.default` in workerd). Absent on Node: every call there goes to the upstreams.

interface EdgeCache {
  match(key: Request): Promise<Response | undefined>;
  put(key: Request, res: Response): Promise<void>;
}

export function edgeCache(): EdgeCache | null {
  const c = (globalThis as { caches?: { default?: EdgeCache } }).caches;
  return c?.default && typeof c.default.match === 'function' ? c.default : null;
}

/** A cache key that no client can reach and that changes with the upstream configuration (tests point it elsewhere). */
export async function cacheKey(path: string, config: object): Promise<Request> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(config)));
  const tag = [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return new Request(`https://nba-cache.nba-daily.invalid/v1/${tag}${path}`);
}

export async function cacheGet(key: Request): Promise<{ body: string; ttl: number } | null> {
  const cache = edgeCache();
  if (!cache) return null;
  try {
    const hit = await cache.match(key);
    if (!hit) return null;
    return { body: await hit.text(), ttl: Number(hit.headers.get('x-nba-ttl') ?? 0) };
  } catch {
    return null; // a cache problem must never fail the request
  }
}

export async function cachePut(key: Request, body: string, ttl: number): Promise<void> {
  const cache = edgeCache();
  if (!cache) return;
  try {
    await cache.put(key, new Response(body, {
      headers: { 'content-type': 'application/json', 'cache-control': `public, max-age=${ttl}`, 'x-nba-ttl': String(ttl) },
    }));
  } catch {
    /* best effort */
  }
}
