// workerd suite: the same Hono app, run inside workerd by @cloudflare/vitest-pool-workers, against the local RGW.
//   npm run test:worker:workerd
// wrangler must not phone home: the npm script sets WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
// WRANGLER_HIDE_BANNER=true and a writable XDG_CONFIG_HOME (defaults applied below as well).
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LOCAL_RGW } from '../../scripts/rgw/local-rgw';
import { startHostileEndpoints } from '../fixtures/hostile/server';

const root = fileURLToPath(new URL('../..', import.meta.url));
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_HIDE_BANNER ??= 'true';
if (!process.env.XDG_CONFIG_HOME) {
  process.env.XDG_CONFIG_HOME = `${root}.wrangler/xdg`;
  mkdirSync(process.env.XDG_CONFIG_HOME, { recursive: true });
}

// fixed test tokens; only their hashes go into the worker's bindings
export const WORKERD_TOKENS = { alice: 'workerd-test-token-alice-0001', bob: 'workerd-test-token-bob-00001', carol: 'workerd-test-token-carol-0001' };
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
// a prefix of its own per run: the namespaces are fixed, the RGW is long-lived and shared by parallel runs
const S3_PREFIX = `workerd/${Date.now().toString(36)}/`;

// misbehaving upstreams and S3 endpoints, reached from workerd over real sockets (they live as long as this process)
const hostile = await startHostileEndpoints();

export default defineConfig({
  root,
  // same alias as wrangler.toml: workerd has no DOMParser for the AWS SDK's browser XML parser
  resolve: { alias: { '@aws-sdk/xml-builder': `${root}presign-worker/src/shims/xml-builder.ts` } },
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          S3_ENDPOINT: LOCAL_RGW.endpoint,
          S3_BUCKET: process.env.TEST_S3_BUCKET ?? 'nba-daily-test',
          S3_PREFIX,
          TEST_S3_PREFIX: S3_PREFIX,
          S3_FORCE_PATH_STYLE: 'true',
          S3_ACCESS_KEY_ID: LOCAL_RGW.accessKeyId,
          S3_SECRET_ACCESS_KEY: LOCAL_RGW.secretAccessKey,
          S3_WRITER_ACCESS_KEY_ID: LOCAL_RGW.writer.accessKeyId,
          S3_WRITER_SECRET_ACCESS_KEY: LOCAL_RGW.writer.secretAccessKey,
          S3_READER_ACCESS_KEY_ID: LOCAL_RGW.reader.accessKeyId,
          S3_READER_SECRET_ACCESS_KEY: LOCAL_RGW.reader.secretAccessKey,
          // the in-memory limiter would allow 1000 at once: a 429 before that comes from the rate limiting binding
          RATE_LIMIT_BURST: '1000',
          ANON_RATE_LIMIT_BURST: '1000',
          TEST_BUCKET: process.env.TEST_S3_BUCKET ?? 'nba-daily-test',
          TEST_TOKEN_CAROL: WORKERD_TOKENS.carol,
          HOSTILE_UPSTREAM: hostile.upstream,
          HOSTILE_S3_RESET: hostile.s3Reset,
          HOSTILE_S3_HANG: hostile.s3Hang,
          HOSTILE_S3_HTML: hostile.s3Html,
          ALLOWED_ORIGINS: 'http://app.test:4173',
          ACCESS_TOKENS: `alice:${sha(WORKERD_TOKENS.alice)},bob:${sha(WORKERD_TOKENS.bob)},carol:${sha(WORKERD_TOKENS.carol)}`,
          TEST_TOKEN_ALICE: WORKERD_TOKENS.alice,
          TEST_TOKEN_BOB: WORKERD_TOKENS.bob,
        },
      },
    }),
  ],
  test: {
    name: 'worker-workerd',
    include: ['tests/worker/workerd/**/*.workerd-test.ts'],
    // Runs in Node before workerd starts: brings up the local RGW and the test bucket (and stops what it started).
    globalSetup: ['tests/worker/global-setup.ts'],
    hookTimeout: 60_000,
    testTimeout: 20_000,
  },
});
