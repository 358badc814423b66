// scripts/rgw/setup-bucket.ts - create the sync bucket (private, non-versioned) with a CORS rule for
// the given browser origins that exposes ETag, and the bucket policy that confines the URL-signing identities
// (writer: PutObject only, no ACLs, no copy source; reader: GetObject only). Idempotent: safe to run on every start.
//   tsx scripts/rgw/setup-bucket.ts [--origin http://127.0.0.1:4173 ...]
// Reads S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE and
// ALLOWED_ORIGINS (comma-separated), defaulting to the local RGW from scripts/rgw/start.sh.
import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { pathToFileURL } from 'node:url';
import { createS3Client } from '../../presign-worker/src/store/s3';
import { LOCAL_RGW } from './local-rgw';

export { LOCAL_RGW };

export interface BucketSetup {
  s3: { endpoint?: string; region: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
  bucket: string;
  origins: string[];
  /** RGW user ids for the bucket policy (the local RGW's by default); null: leave the bucket policy alone */
  principals?: { manager: string; writer: string; reader: string } | null;
}

/**
 * The bucket policy for Ceph RGW (checked by experiment on RGW 16.2, see tests/worker/node/isolation.node-test.ts).
 * RGW evaluates the *signer's* permissions and, unlike AWS, acts on unsigned x-amz-* headers of a presigned request,
 * so the signing identities themselves must be unable to do harm:
 * - the writer may PutObject but never read: a PUT with x-amz-copy-source needs s3:GetObject on the source, which an
 *   explicit Deny refuses (an Allow alone is not enough: the writer owns every object it uploaded);
 * - no PUT may carry a canned ACL or a grant header. RGW 16 quirks: `Null` ignores its value, a multi-value
 *   StringNotEquals is an OR, and s3:x-amz-acl is always present (empty without the header) - hence StringLike "?*";
 * - the writer's PUT may not carry x-amz-copy-source at all (the manager's own backup copies still work);
 * - the reader may GetObject and nothing else; the manager may read objects the writer owns (head, copy).
 */
export function rgwBucketPolicy(bucket: string, p: { manager: string; writer: string; reader: string }) {
  const user = (uid: string) => `arn:aws:iam:::user/${uid}`;
  const objects = `arn:aws:s3:::${bucket}/*`;
  const everything = [`arn:aws:s3:::${bucket}`, objects];
  const denyPutWhen = (sid: string, key: string, pattern: string, principal: unknown = '*') => ({
    Sid: sid, Effect: 'Deny', Principal: principal, Action: ['s3:PutObject'], Resource: [objects],
    Condition: { StringLike: { [key]: pattern } },
  });
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'WriterPutsObjects', Effect: 'Allow', Principal: { AWS: [user(p.writer)] }, Action: ['s3:PutObject'], Resource: [objects] },
      { Sid: 'ReaderAndManagerGetObjects', Effect: 'Allow', Principal: { AWS: [user(p.reader), user(p.manager)] }, Action: ['s3:GetObject'], Resource: [objects] },
      {
        Sid: 'WriterNeverReadsListsDeletesOrSetsAcls', Effect: 'Deny', Principal: { AWS: [user(p.writer)] }, Resource: everything,
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAcl', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:ListBucket',
          's3:ListBucketVersions', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectTagging', 's3:GetObjectTagging'],
      },
      {
        Sid: 'ReaderOnlyGets', Effect: 'Deny', Principal: { AWS: [user(p.reader)] }, Resource: everything,
        Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject', 's3:ListBucket', 's3:GetObjectAcl', 's3:PutObjectTagging'],
      },
      denyPutWhen('NoCannedAcl', 's3:x-amz-acl', '?*'),
      ...['read', 'write', 'read-acp', 'write-acp', 'full-control'].map((g) =>
        denyPutWhen(`NoGrant${g.replace('-', '')}`, `s3:x-amz-grant-${g}`, '*')),
      denyPutWhen('WriterNeverCopies', 's3:x-amz-copy-source', '*', { AWS: [user(p.writer)] }),
    ],
  };
}

const localPrincipals = { manager: LOCAL_RGW.managerUid, writer: LOCAL_RGW.writer.uid, reader: LOCAL_RGW.reader.uid };

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
    // the RGW policy is only written for the local RGW (other providers: docs/S3_SETUP.md)
    principals: (env.S3_ENDPOINT ?? LOCAL_RGW.endpoint) === LOCAL_RGW.endpoint ? localPrincipals : null,
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

export async function setupBucket({ s3, bucket, origins, principals = localPrincipals }: BucketSetup): Promise<string[]> {
  const client = createS3Client(s3);
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
  if (principals) {
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(rgwBucketPolicy(bucket, principals)) }));
    done.push(`policy: ${principals.writer} may only PUT (no ACL, no copy source), ${principals.reader} may only GET`);
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
