// scripts/rgw/setup-bucket.ts - create the sync bucket (private, non-versioned) with a CORS rule for
// the given browser origins that exposes ETag. Idempotent: safe to run on every start.
//   tsx scripts/rgw/setup-bucket.ts [--origin http://127.0.0.1:4173 ...]
// Reads S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE and
// ALLOWED_ORIGINS (comma-separated), defaulting to the local RGW from scripts/rgw/start.sh.
import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketVersioningCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { pathToFileURL } from 'node:url';
import { createS3Client } from '../../presign-worker/src/store/s3';
import { LOCAL_RGW } from './local-rgw';

export { LOCAL_RGW };

export interface BucketSetup {
  s3: typeof LOCAL_RGW & { endpoint?: string };
  bucket: string;
  origins: string[];
}

export function setupFromEnv(env: NodeJS.ProcessEnv = process.env, extraOrigins: string[] = []): BucketSetup {
  const origins = (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    s3: {
      endpoint: env.S3_ENDPOINT ?? LOCAL_RGW.endpoint,
      region: env.S3_REGION ?? LOCAL_RGW.region,
      accessKeyId: env.S3_ACCESS_KEY_ID ?? LOCAL_RGW.accessKeyId,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? LOCAL_RGW.secretAccessKey,
      forcePathStyle: env.S3_FORCE_PATH_STYLE ? /^(true|1)$/.test(env.S3_FORCE_PATH_STYLE) : true,
    },
    bucket: env.S3_BUCKET ?? 'nba-daily',
    origins: [...new Set([...origins, ...extraOrigins])],
  };
}

async function exists(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (e) {
    if (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404) return false;
    throw e;
  }
}

export async function setupBucket({ s3, bucket, origins }: BucketSetup): Promise<string[]> {
  const client = createS3Client({ ...s3, bucket, prefix: '' });
  const done: string[] = [];
  if (await exists(client, bucket)) done.push(`bucket ${bucket} exists`);
  else {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    done.push(`created bucket ${bucket}`);
  }
  // create-only PUTs (If-None-Match: *) are ignored by Ceph RGW on versioned buckets
  const v = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  if (v.Status === 'Enabled') {
    await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    done.push('versioning was enabled: suspended it');
  }
  if (origins.length > 0) {
    await client.send(new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [{
          AllowedOrigins: origins,
          AllowedMethods: ['GET', 'PUT', 'HEAD'],
          AllowedHeaders: ['content-type', 'if-none-match'],
          ExposeHeaders: ['ETag'],
          MaxAgeSeconds: 600,
        }],
      },
    }));
    done.push(`CORS for ${origins.join(', ')} (exposes ETag)`);
  }
  client.destroy();
  return done;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const extra: string[] = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--origin' && args[i + 1]) extra.push(args[++i]);
    else { console.error(`usage: setup-bucket.ts [--origin URL]...  (unknown argument ${args[i]})`); process.exit(2); }
  }
  const cfg = setupFromEnv(process.env, extra);
  setupBucket(cfg).then(
    (steps) => console.log(`setup-bucket: ${steps.join('; ')}`),
    (e) => { console.error(`setup-bucket: failed: ${e?.name ?? ''} ${e?.message ?? e}`); process.exit(1); },
  );
}
