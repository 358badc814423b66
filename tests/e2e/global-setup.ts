// Brings up the sync stack for the browser tests: the real local S3 (Ceph RGW), a bucket with its CORS rule,
// and the real presign worker on Node, with tokens minted for this run (one namespace per test).
import { mintToken } from '../../scripts/mint-token';
import { startStack } from '../../scripts/local-stack';

export const E2E_WORKER_PORT = Number(process.env.E2E_WORKER_PORT ?? 8788);

export default async function globalSetup() {
  const run = Date.now().toString(36);
  const minted = Array.from({ length: 12 }, (_, i) => mintToken(`e2e-${run}-${i}`));
  const port = Number(process.env.E2E_PORT ?? 4173);
  // A bucket per app port: its CORS rule names this run's app origin, and parallel runs on one machine
  // (each on its own E2E_PORT) must not overwrite each other's rule.
  const bucket = process.env.E2E_BUCKET ?? (port === 4173 ? 'nba-daily-e2e' : `nba-daily-e2e-${port}`);
  process.env.E2E_BUCKET = bucket;
  const stack = await startStack({
    appOrigins: [`http://127.0.0.1:${port}`],
    workerPort: E2E_WORKER_PORT,
    bucket,
    accessTokens: minted.map((m) => m.accessTokensEntry).join(','),
    log: (m) => console.log(`[e2e stack] ${m}`),
  });
  if (!stack) throw new Error('The e2e tests need S3: install Ceph (see README) or set S3_ENDPOINT and its keys.');
  process.env.E2E_WORKER_URL = stack.workerUrl;
  process.env.E2E_TOKENS = JSON.stringify(minted.map((m) => m.token));
  process.env.E2E_NAMESPACES = JSON.stringify(minted.map((m) => m.namespace));
  return () => stack.stop();
}
