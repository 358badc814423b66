// Starts the project's local RGW (scripts/rgw/start.sh) unless an S3 endpoint already answers, creates the
// test bucket, and stops RGW afterwards only if it was started here.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { answers, ensureLocalRgwUsers } from '../../scripts/rgw/local-rgw';
import { TEST_BUCKET, TEST_ORIGIN, TEST_S3, usesLocalRgw } from './rgw-env';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return Date.now() - t0;
}

export default async function setup() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let started = false;
  if (!(await answers(TEST_S3.endpoint))) {
    if (!usesLocalRgw) throw new Error(`no S3 answers on ${TEST_S3.endpoint}`);
    const ms = run('bash', ['scripts/rgw/start.sh']);
    console.log(`[worker tests] started local RGW in ${ms} ms`);
    started = true;
  } else if (usesLocalRgw) {
    ensureLocalRgwUsers();
  }
  // in a child process: loading the AWS SDK through vitest's module runner here costs ~5 s
  run(`${root}node_modules/.bin/tsx`, ['scripts/rgw/setup-bucket.ts'], {
    ...process.env,
    S3_ENDPOINT: TEST_S3.endpoint,
    S3_REGION: TEST_S3.region,
    S3_ACCESS_KEY_ID: TEST_S3.accessKeyId,
    S3_SECRET_ACCESS_KEY: TEST_S3.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    S3_BUCKET: TEST_BUCKET,
    ALLOWED_ORIGINS: TEST_ORIGIN,
  });
  return () => {
    if (started) console.log(`[worker tests] stopped local RGW in ${run('bash', ['scripts/rgw/stop.sh'])} ms`);
  };
}
