// The local sync stack: an S3 endpoint (the project's Ceph RGW, or any S3 given in S3_* variables), the sync
// bucket with its CORS rule, a token, and the presign worker on Node. Used by `npm start` and the e2e tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startNodeServer } from '../presign-worker/src/node-server';
import { mintToken } from './mint-token';
import { answers, ensureLocalRgwUsers, LOCAL_RGW } from './rgw/local-rgw';
import { setupBucket } from './rgw/setup-bucket';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Stack {
  /** Where the app should send sync requests. */
  workerUrl: string;
  token: string;
  /** `#connect=…` fragment that configures the app in one click. */
  connectFragment: string;
  s3Endpoint: string;
  stop(): Promise<void>;
}

const CEPH_PACKAGES = ['ceph-mon', 'ceph-osd', 'radosgw', 'ceph-common', 'curl', 'uuid-runtime'];
const haveCeph = () => spawnSync('sh', ['-c', 'command -v radosgw && command -v ceph-mon && command -v uuidgen'], { stdio: 'ignore' }).status === 0;

/** Installs Ceph from Debian when it is missing and we may (root, apt-get present, not opted out). */
function ensureCeph(log: (m: string) => void): boolean {
  if (haveCeph()) return true;
  const mayInstall = process.getuid?.() === 0 && process.env.NBA_DAILY_NO_APT !== '1' && existsSync('/usr/bin/apt-get');
  if (!mayInstall) return false;
  log(`installing ${CEPH_PACKAGES.join(' ')} with apt-get (set NBA_DAILY_NO_APT=1 to skip)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...CEPH_PACKAGES], { stdio: 'inherit', env });
  return haveCeph();
}

/** A stable local token, so a browser that connected once keeps working across restarts. */
function localToken(): { token: string; entry: string } {
  const file = `${root}.local-rgw/dev-token.json`;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { token: string; entry: string };
    if (saved.token && saved.entry) return saved;
  }
  const minted = mintToken('local');
  mkdirSync(`${root}.local-rgw`, { recursive: true });
  writeFileSync(file, JSON.stringify({ token: minted.token, entry: minted.accessTokensEntry }), { mode: 0o600 });
  return { token: minted.token, entry: minted.accessTokensEntry };
}

export async function startStack(options: {
  appOrigins: string[];
  workerPort?: number;
  bucket?: string;
  /** `namespace:sha256` entries to accept instead of the local dev token (tests mint their own). */
  accessTokens?: string;
  log?: (m: string) => void;
}): Promise<Stack | null> {
  const log = options.log ?? ((m: string) => console.log(m));
  const external = Boolean(process.env.S3_ENDPOINT);
  const s3 = {
    endpoint: process.env.S3_ENDPOINT ?? LOCAL_RGW.endpoint,
    region: process.env.S3_REGION ?? LOCAL_RGW.region,
    accessKeyId: process.env.S3_ACCESS_KEY_ID ?? LOCAL_RGW.accessKeyId,
    secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? LOCAL_RGW.secretAccessKey,
    forcePathStyle: process.env.S3_FORCE_PATH_STYLE ? /^(true|1)$/.test(process.env.S3_FORCE_PATH_STYLE) : true,
    // the identities that sign the presigned PUTs / GETs (docs/S3_SETUP.md); the local RGW's are fixed test keys
    writer: {
      accessKeyId: process.env.S3_WRITER_ACCESS_KEY_ID ?? (external ? '' : LOCAL_RGW.writer.accessKeyId),
      secretAccessKey: process.env.S3_WRITER_SECRET_ACCESS_KEY ?? (external ? '' : LOCAL_RGW.writer.secretAccessKey),
    },
    reader: {
      accessKeyId: process.env.S3_READER_ACCESS_KEY_ID ?? (external ? '' : LOCAL_RGW.reader.accessKeyId),
      secretAccessKey: process.env.S3_READER_SECRET_ACCESS_KEY ?? (external ? '' : LOCAL_RGW.reader.secretAccessKey),
    },
  };
  const bucket = options.bucket ?? process.env.S3_BUCKET ?? 'nba-daily';
  if (!s3.writer.accessKeyId || !s3.reader.accessKeyId) {
    log('With S3_ENDPOINT set, S3_WRITER_ACCESS_KEY_ID/_SECRET_ACCESS_KEY and S3_READER_* are needed too (docs/S3_SETUP.md).');
    return null;
  }

  let startedRgw = false;
  if (!(await answers(s3.endpoint))) {
    if (external) {
      log(`S3 at ${s3.endpoint} does not answer.`);
      return null;
    }
    if (!ensureCeph(log)) {
      log('No S3 available (Ceph RGW is not installed and could not be installed).');
      return null;
    }
    const t0 = Date.now();
    const r = spawnSync('bash', [`${root}scripts/rgw/start.sh`], { encoding: 'utf8' });
    if (r.status !== 0) {
      log(`Local Ceph RGW did not start:\n${r.stderr.trim()}`);
      return null;
    }
    startedRgw = true;
    log(`local S3 (Ceph RGW) up at ${s3.endpoint} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else if (!external) {
    ensureLocalRgwUsers();
  }
  // the bucket policy confining the signing identities is written for the local RGW; elsewhere see docs/S3_SETUP.md
  await setupBucket({ s3, bucket, origins: options.appOrigins, principals: external ? null : undefined });

  const { token, entry } = process.env.NBA_DAILY_TOKEN
    ? { token: process.env.NBA_DAILY_TOKEN, entry: '' }
    : localToken();
  const env = {
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_BUCKET: bucket,
    S3_PREFIX: process.env.S3_PREFIX ?? 'nba-daily/',
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_WRITER_ACCESS_KEY_ID: s3.writer.accessKeyId,
    S3_WRITER_SECRET_ACCESS_KEY: s3.writer.secretAccessKey,
    S3_READER_ACCESS_KEY_ID: s3.reader.accessKeyId,
    S3_READER_SECRET_ACCESS_KEY: s3.reader.secretAccessKey,
    S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
    ALLOWED_ORIGINS: options.appOrigins.join(','),
    ACCESS_TOKENS: options.accessTokens ?? process.env.ACCESS_TOKENS ?? entry,
    RATE_LIMIT_PER_MINUTE: '600',
    RATE_LIMIT_BURST: '120',
  };
  const { url, server } = await startNodeServer(env, options.workerPort ?? 8787);
  const connect = Buffer.from(JSON.stringify({ workerUrl: url, token })).toString('base64url');
  return {
    workerUrl: url,
    token,
    connectFragment: `#connect=${connect}`,
    s3Endpoint: s3.endpoint,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (startedRgw) spawnSync('bash', [`${root}scripts/rgw/stop.sh`], { stdio: 'ignore' });
    },
  };
}
