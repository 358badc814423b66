// `npm start`: the whole local stack — S3 (Ceph RGW), the presign worker, and the built app — behind one
// printed URL that already carries a local sync token. Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startStack } from './local-stack';

const port = Number(process.env.PORT ?? 4173);
const host = '127.0.0.1';
const appUrl = `http://${host}:${port}/`;

const build = spawnSync(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const stack = await startStack({
  appOrigins: [`http://${host}:${port}`, `http://localhost:${port}`],
  workerPort: Number(process.env.WORKER_PORT ?? 8787),
}).catch((error: Error) => {
  console.log(`Sync stack failed to start: ${error.message}`);
  return null;
});

// Node runs Vite's own entry (not `npx`), so stopping this child really stops the server.
const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
const preview = spawn(process.execPath, [vite, 'preview', '--port', String(port), '--strictPort', '--host', host, '--logLevel', 'warn'], {
  stdio: ['ignore', 'inherit', 'inherit'],
});

if (stack) {
  console.log(`\nNBA Daily (with sync to local S3 at ${stack.s3Endpoint}, worker at ${stack.workerUrl}):\n\n  ${appUrl}${stack.connectFragment}\n`);
} else {
  console.log(`\nNBA Daily in local-only mode (no S3 available: the database stays in your browser, no sync):\n\n  ${appUrl}\n`);
}
console.log('Ctrl-C stops everything.');

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  preview.kill('SIGTERM');
  await stack?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
preview.on('exit', (code) => void stop(code ?? 0));
