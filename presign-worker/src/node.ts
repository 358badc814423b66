// Node entry: `tsx presign-worker/src/node.ts` (PORT, HOST and the S3_* / ACCESS_TOKENS env vars).
import { ConfigError } from './config';
import { startNodeServer } from './node-server';
import { stateFor } from './state';

const env: Record<string, string | undefined> = { ...process.env };
let bucket: string;
try {
  bucket = stateFor(env).config.s3.bucket; // validates (and caches) now: fail fast at start-up
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
const { url, server } = await startNodeServer(env, Number(process.env.PORT ?? 8787), process.env.HOST ?? '127.0.0.1');
console.log(`presign worker listening on ${url} (bucket ${bucket})`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => server.close(() => process.exit(0)));
