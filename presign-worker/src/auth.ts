import type { MiddlewareHandler } from 'hono';
import { tooManyRequests, unauthenticatedWait } from './rate-limit';
import type { AppEnv } from './state';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two equal-length hex strings without an early exit. */
function equalHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Requires `Authorization: Bearer <token>` whose sha256 is configured. Every configured hash is
 * compared (no early exit), so timing does not reveal which entry matched or how much of it.
 * Sets `namespace` (which scopes every key) and `tokenHash` (the rate-limit key).
 */
export const requireToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const m = BEARER.exec(c.req.header('authorization') ?? '');
  const hash = m ? await sha256Hex(m[1]) : '0'.repeat(64);
  let match: { namespace: string; expiresAt: number | null } | null = null;
  for (const t of c.var.state.config.tokens) {
    if (equalHex(hash, t.hash) && m) match = t;
  }
  const expired = match?.expiresAt != null && Date.now() >= match.expiresAt;
  if (!match || expired) {
    const wait = await unauthenticatedWait(c);
    if (wait > 0) return tooManyRequests(c, wait);
    c.header('WWW-Authenticate', `Bearer realm="nba-daily"${expired ? ', error="invalid_token"' : ''}`);
    return c.json({ error: expired ? 'token expired' : 'missing or invalid bearer token' }, 401);
  }
  const { namespace } = match;
  c.set('namespace', namespace);
  c.set('tokenHash', hash);
  c.set('store', c.var.state.store.scoped(`${namespace}/`));
  await next();
};
