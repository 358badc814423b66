import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The local RGW's endpoint and fixed test keys, as set up by scripts/rgw/start.sh (RGW_PORT / RGW_ACCESS_KEY /
// RGW_SECRET_KEY override them there and here). Dependency-free so test setup can import it cheaply.
export const LOCAL_RGW = {
  endpoint: `http://127.0.0.1:${process.env.RGW_PORT ?? '7480'}`,
  region: 'us-east-1',
  accessKeyId: process.env.RGW_ACCESS_KEY ?? 'NBADAILYLOCALKEY0001',
  secretAccessKey: process.env.RGW_SECRET_KEY ?? 'nbadaily-local-secret-key-000000000000001',
  forcePathStyle: true,
  /** the identities that sign presigned URLs (scripts/rgw/users.sh creates them; see docs/S3_SETUP.md) */
  writer: {
    uid: `${process.env.RGW_UID ?? 'nba-daily'}-writer`,
    accessKeyId: process.env.RGW_WRITER_ACCESS_KEY ?? 'NBADAILYWRITERKEY01',
    secretAccessKey: process.env.RGW_WRITER_SECRET_KEY ?? 'nbadaily-local-writer-secret-00000000001',
  },
  reader: {
    uid: `${process.env.RGW_UID ?? 'nba-daily'}-reader`,
    accessKeyId: process.env.RGW_READER_ACCESS_KEY ?? 'NBADAILYREADERKEY01',
    secretAccessKey: process.env.RGW_READER_SECRET_KEY ?? 'nbadaily-local-reader-secret-00000000001',
  },
  managerUid: process.env.RGW_UID ?? 'nba-daily',
};

/** The worker's S3_* variables for the local RGW (all three identities). */
export function localRgwWorkerEnv(bucket: string): Record<string, string> {
  return {
    S3_ENDPOINT: LOCAL_RGW.endpoint,
    S3_REGION: LOCAL_RGW.region,
    S3_BUCKET: bucket,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: LOCAL_RGW.accessKeyId,
    S3_SECRET_ACCESS_KEY: LOCAL_RGW.secretAccessKey,
    S3_WRITER_ACCESS_KEY_ID: LOCAL_RGW.writer.accessKeyId,
    S3_WRITER_SECRET_ACCESS_KEY: LOCAL_RGW.writer.secretAccessKey,
    S3_READER_ACCESS_KEY_ID: LOCAL_RGW.reader.accessKeyId,
    S3_READER_SECRET_ACCESS_KEY: LOCAL_RGW.reader.secretAccessKey,
  };
}

/** True when something answers HTTP at `url` within two seconds (any status). */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure a local RGW that is already running has the writer/reader users (scripts/rgw/users.sh), when its
 * cluster lives under this checkout's RGW_HOME (a fresh start.sh creates them itself). Returns what it did.
 */
export function ensureLocalRgwUsers(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const home = process.env.RGW_HOME ?? `${root}.local-rgw`;
  if (!existsSync(`${home}/cluster/ceph.conf`)) return 'RGW cluster not under this checkout: users left as they are';
  const r = spawnSync('bash', [`${root}scripts/rgw/users.sh`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/rgw/users.sh failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}
