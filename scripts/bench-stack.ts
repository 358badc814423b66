// The sync stack for scripts/bench-app.mjs: the running S3 (Ceph RGW, or S3_* variables) with a bench bucket whose
// CORS rule allows the bench's app origin, and the presign worker on Node with one fresh token (namespace) per run.
// Prints one JSON line {workerUrl, tokens} (or {error}) and serves until stdin closes.
//   npx tsx scripts/bench-stack.ts <app origin> <worker port> <tokens>
import { startStack } from './local-stack';
import { mintToken } from './mint-token';

const [origin, port, count] = process.argv.slice(2);
const run = Date.now().toString(36);
const minted = Array.from({ length: Number(count ?? 10) }, (_, i) => mintToken(`bench-${run}-${i}`));
const stack = await startStack({
  appOrigins: [origin],
  workerPort: Number(port),
  bucket: `nba-daily-bench-${port}`,
  accessTokens: minted.map((m) => m.accessTokensEntry).join(','),
  log: (m) => console.error(`[bench stack] ${m}`),
});
if (!stack) {
  console.log(JSON.stringify({ error: 'no S3 endpoint answers' }));
  process.exit(0);
}
console.log(JSON.stringify({ workerUrl: stack.workerUrl, tokens: minted.map((m) => m.token) }));
process.stdin.resume();
process.stdin.on('end', () => void stack.stop().then(() => process.exit(0)));
