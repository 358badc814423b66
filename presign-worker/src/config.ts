import { z } from 'zod';

/** Raw environment as given by workerd bindings or process.env. */
export type Env = Record<string, unknown>;

const NAMESPACE = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');
const intInRange = (min: number, max: number, dflt: number) =>
  z.union([z.literal(''), z.coerce.number().int().min(min).max(max)]).optional()
    .transform((v) => (v === undefined || v === '' ? dflt : v));

const origin = z.string().refine((o) => {
  try {
    const u = new URL(o);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o;
  } catch {
    return false;
  }
}, 'each origin must be scheme://host[:port] with no path or trailing slash');

const accessToken = z.string().transform((pair, ctx) => {
  const i = pair.lastIndexOf(':');
  const namespace = pair.slice(0, i);
  const hash = pair.slice(i + 1).toLowerCase();
  if (i < 1 || !NAMESPACE.test(namespace) || !SHA256_HEX.test(hash)) {
    ctx.addIssue({ code: 'custom', message: 'expected namespace:sha256hex (namespace [a-z0-9_-], hash 64 hex)' });
    return z.NEVER;
  }
  return { namespace, hash };
});

export const MiB = 1024 * 1024;

/** An http(s) origin, optionally with a path prefix; no trailing slash is kept. */
const baseUrl = (dflt: string) =>
  z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).optional()
    .transform((v) => (v || dflt).replace(/\/+$/, ''));

export const ConfigSchema = z.object({
  S3_ENDPOINT: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).optional()
    .transform((v) => v || undefined),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'invalid bucket name'),
  S3_PREFIX: z.string().default('')
    .transform((p) => (p && !p.endsWith('/') ? `${p}/` : p))
    .refine((p) => p === '' || /^([A-Za-z0-9._-]+\/)+$/.test(p), 'prefix: segments of [A-Za-z0-9._-] separated by /'),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  S3_FORCE_PATH_STYLE: bool,
  ALLOWED_ORIGINS: z.string().default('').transform(list).pipe(z.array(origin)),
  ACCESS_TOKENS: z.string().transform(list).pipe(z.array(accessToken).min(1, 'at least one token')),
  MAX_DB_BYTES: intInRange(1, 5 * 1024 * MiB, 64 * MiB),
  MAX_CSV_BYTES: intInRange(1, 100 * MiB, 5 * MiB),
  PRESIGN_TTL_SECONDS: intInRange(1, 300, 300),
  RATE_LIMIT_PER_MINUTE: intInRange(1, 100_000, 60),
  RATE_LIMIT_BURST: intInRange(1, 100_000, 20),
  // sync retention (docs/API.md "Retention")
  SYNC_GENERATION_GRACE_HOURS: intInRange(0, 24 * 365, 48),
  SYNC_SNAPSHOT_DAYS: intInRange(0, 3650, 7),
  // NBA data routes (/v1/nba/*): upstream bases (tests point them at a local fixture server) and the fetch timeout
  NBA_CDN_BASE: baseUrl('https://cdn.nba.com'),
  ESPN_BASE: baseUrl('https://site.api.espn.com'),
  NBA_UPSTREAM_TIMEOUT_MS: intInRange(50, 30_000, 8000),
});

export type RawConfig = z.output<typeof ConfigSchema>;

export interface Config {
  s3: {
    endpoint?: string;
    region: string;
    bucket: string;
    prefix: string;
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
  };
  allowedOrigins: string[];
  tokens: { namespace: string; hash: string }[];
  maxDbBytes: number;
  maxCsvBytes: number;
  presignTtlSeconds: number;
  rateLimit: { perMinute: number; burst: number };
  /** retention: generations at or below the newest snapshot live this long after it; daily snapshots kept */
  sync: { generationGraceHours: number; snapshotDays: number };
  nba: { cdnBase: string; espnBase: string; timeoutMs: number };
}

export class ConfigError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    // names the variables that are wrong, never their values
    super(`invalid worker configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** Validate env once; throws ConfigError listing the bad variables. */
export function parseConfig(env: Env): Config {
  const picked: Record<string, unknown> = {};
  for (const k of Object.keys(ConfigSchema.shape)) {
    if (typeof env[k] === 'string') picked[k] = env[k];
  }
  const r = ConfigSchema.safeParse(picked);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const c = r.data;
  return {
    s3: {
      endpoint: c.S3_ENDPOINT,
      region: c.S3_REGION,
      bucket: c.S3_BUCKET,
      prefix: c.S3_PREFIX,
      accessKeyId: c.S3_ACCESS_KEY_ID,
      secretAccessKey: c.S3_SECRET_ACCESS_KEY,
      forcePathStyle: c.S3_FORCE_PATH_STYLE,
    },
    allowedOrigins: c.ALLOWED_ORIGINS,
    tokens: c.ACCESS_TOKENS,
    maxDbBytes: c.MAX_DB_BYTES,
    maxCsvBytes: c.MAX_CSV_BYTES,
    presignTtlSeconds: c.PRESIGN_TTL_SECONDS,
    rateLimit: { perMinute: c.RATE_LIMIT_PER_MINUTE, burst: c.RATE_LIMIT_BURST },
    sync: { generationGraceHours: c.SYNC_GENERATION_GRACE_HOURS, snapshotDays: c.SYNC_SNAPSHOT_DAYS },
    nba: { cdnBase: c.NBA_CDN_BASE, espnBase: c.ESPN_BASE, timeoutMs: c.NBA_UPSTREAM_TIMEOUT_MS },
  };
}
