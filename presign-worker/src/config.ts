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

/** `namespace:sha256hex` or `namespace:sha256hex:YYYY-MM-DD` (the token stops working at 00:00 UTC that day). */
const accessToken = z.string().transform((entry, ctx) => {
  const [namespace = '', rawHash = '', expiry, ...rest] = entry.split(':');
  const hash = rawHash.toLowerCase();
  const expiresAt = expiry === undefined ? null : Date.parse(`${expiry}T00:00:00Z`);
  // a real calendar date (Date.parse rolls 02-30 over into March, so the date must survive a round trip)
  const validExpiry = expiry === undefined || (Number.isFinite(expiresAt) && new Date(expiresAt!).toISOString().slice(0, 10) === expiry);
  if (rest.length > 0 || !NAMESPACE.test(namespace) || !SHA256_HEX.test(hash) || !validExpiry) {
    ctx.addIssue({ code: 'custom', message: 'expected namespace:sha256hex[:YYYY-MM-DD] (namespace [a-z0-9_-], hash 64 hex, optional expiry date)' });
    return z.NEVER;
  }
  return { namespace, hash, expiresAt };
});

const accessTokens = z.array(accessToken).min(1, 'at least one token').superRefine((tokens, ctx) => {
  // one hash must name one namespace: a duplicate would silently map a token to the last entry's namespace
  const seen = new Set<string>();
  for (const t of tokens) {
    if (seen.has(t.hash)) ctx.addIssue({ code: 'custom', message: `the same token hash is listed twice (namespace ${t.namespace})` });
    seen.add(t.hash);
  }
});

export const MiB = 1024 * 1024;
export const MAX_DB_BYTES_LIMIT = 256 * MiB;

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
  // presigned URLs are signed by two further identities that can do nothing else (see docs/S3_SETUP.md):
  // a writer that may only PutObject (no read, so a smuggled x-amz-copy-source is refused; no ACLs) and a
  // reader that may only GetObject. The S3_ACCESS_KEY_ID identity lists, heads, copies and deletes; it never signs.
  S3_WRITER_ACCESS_KEY_ID: z.string().min(1),
  S3_WRITER_SECRET_ACCESS_KEY: z.string().min(1),
  S3_READER_ACCESS_KEY_ID: z.string().min(1),
  S3_READER_SECRET_ACCESS_KEY: z.string().min(1),
  S3_FORCE_PATH_STYLE: bool,
  S3_TIMEOUT_MS: intInRange(100, 30_000, 5000),
  ALLOWED_ORIGINS: z.string().default('').transform(list).pipe(z.array(origin)),
  ACCESS_TOKENS: z.string().transform(list).pipe(accessTokens),
  // the app holds the whole database in browser memory: more than 256 MiB is never a real database
  MAX_DB_BYTES: intInRange(1, MAX_DB_BYTES_LIMIT, 64 * MiB),
  MAX_CSV_BYTES: intInRange(1, 16 * MiB, 5 * MiB),
  PRESIGN_TTL_SECONDS: intInRange(1, 300, 300),
  // GET URLs are used at once (egress is billed per download): a short life limits replay of a leaked URL
  PRESIGN_GET_TTL_SECONDS: intInRange(1, 300, 60),
  RATE_LIMIT_PER_MINUTE: intInRange(1, 100_000, 60),
  RATE_LIMIT_BURST: intInRange(1, 100_000, 20),
  // requests without a valid token (health, 401s), per client address
  ANON_RATE_LIMIT_PER_MINUTE: intInRange(1, 100_000, 30),
  ANON_RATE_LIMIT_BURST: intInRange(1, 100_000, 10),
  // backups (POST /v1/backups): how often a manual one may be made, and what retention keeps
  BACKUP_MIN_INTERVAL_SECONDS: intInRange(0, 86_400, 300),
  BACKUP_DAILY_KEEP_DAYS: intInRange(1, 366, 30),
  BACKUP_MANUAL_KEEP: intInRange(1, 100, 10),
  // sync retention (docs/API.md "Retention")
  SYNC_GENERATION_GRACE_HOURS: intInRange(0, 24 * 365, 48),
  SYNC_SNAPSHOT_DAYS: intInRange(0, 3650, 7),
  // NBA data routes (/v1/nba/*): upstream bases (tests point them at a local fixture server) and the fetch timeout
  NBA_CDN_BASE: baseUrl('https://cdn.nba.com'),
  ESPN_BASE: baseUrl('https://site.api.espn.com'),
  NBA_UPSTREAM_TIMEOUT_MS: intInRange(50, 30_000, 8000),
  NBA_BOXSCORES_PER_MINUTE: intInRange(1, 10_000, 300),
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
    /** signs presigned PUTs only */
    writer: { accessKeyId: string; secretAccessKey: string };
    /** signs presigned GETs only */
    reader: { accessKeyId: string; secretAccessKey: string };
    /** bound on every worker-side S3 call (list, head, copy, delete), retries included */
    timeoutMs: number;
    /** presigned GETs live at most this long, whatever a route asks for */
    maxGetTtlSeconds: number;
  };
  allowedOrigins: string[];
  tokens: { namespace: string; hash: string; expiresAt: number | null }[];
  maxDbBytes: number;
  maxCsvBytes: number;
  presignTtlSeconds: number;
  rateLimit: { perMinute: number; burst: number; unauthenticatedPerMinute: number; unauthenticatedBurst: number };
  backups: { minIntervalSeconds: number; dailyKeepDays: number; manualKeep: number };
  /** retention: generations at or below the newest snapshot live this long after it; daily snapshots kept */
  sync: { generationGraceHours: number; snapshotDays: number };
  nba: { cdnBase: string; espnBase: string; timeoutMs: number; boxScoresPerMinute: number };
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
  const keys = [c.S3_ACCESS_KEY_ID, c.S3_WRITER_ACCESS_KEY_ID, c.S3_READER_ACCESS_KEY_ID];
  if (new Set(keys).size !== keys.length) {
    throw new ConfigError([{ path: 'S3_WRITER_ACCESS_KEY_ID', message: 'S3_ACCESS_KEY_ID, S3_WRITER_ACCESS_KEY_ID and S3_READER_ACCESS_KEY_ID must be three different identities' }]);
  }
  return {
    s3: {
      endpoint: c.S3_ENDPOINT,
      region: c.S3_REGION,
      bucket: c.S3_BUCKET,
      prefix: c.S3_PREFIX,
      accessKeyId: c.S3_ACCESS_KEY_ID,
      secretAccessKey: c.S3_SECRET_ACCESS_KEY,
      forcePathStyle: c.S3_FORCE_PATH_STYLE,
      writer: { accessKeyId: c.S3_WRITER_ACCESS_KEY_ID, secretAccessKey: c.S3_WRITER_SECRET_ACCESS_KEY },
      reader: { accessKeyId: c.S3_READER_ACCESS_KEY_ID, secretAccessKey: c.S3_READER_SECRET_ACCESS_KEY },
      timeoutMs: c.S3_TIMEOUT_MS,
      maxGetTtlSeconds: c.PRESIGN_GET_TTL_SECONDS,
    },
    allowedOrigins: c.ALLOWED_ORIGINS,
    tokens: c.ACCESS_TOKENS,
    maxDbBytes: c.MAX_DB_BYTES,
    maxCsvBytes: c.MAX_CSV_BYTES,
    presignTtlSeconds: c.PRESIGN_TTL_SECONDS,
    rateLimit: {
      perMinute: c.RATE_LIMIT_PER_MINUTE,
      burst: c.RATE_LIMIT_BURST,
      unauthenticatedPerMinute: c.ANON_RATE_LIMIT_PER_MINUTE,
      unauthenticatedBurst: c.ANON_RATE_LIMIT_BURST,
    },
    backups: { minIntervalSeconds: c.BACKUP_MIN_INTERVAL_SECONDS, dailyKeepDays: c.BACKUP_DAILY_KEEP_DAYS, manualKeep: c.BACKUP_MANUAL_KEEP },
    sync: { generationGraceHours: c.SYNC_GENERATION_GRACE_HOURS, snapshotDays: c.SYNC_SNAPSHOT_DAYS },
    nba: { cdnBase: c.NBA_CDN_BASE, espnBase: c.ESPN_BASE, timeoutMs: c.NBA_UPSTREAM_TIMEOUT_MS, boxScoresPerMinute: c.NBA_BOXSCORES_PER_MINUTE },
  };
}
