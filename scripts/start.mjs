// `npm start`: build the app and serve it on one local URL. Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', host, '--logLevel', 'warn'], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://${host}:${port}/`;
console.log(`\nNBA Daily is running at ${url}\n(local-only mode: the database lives in your browser; Ctrl-C to stop)\n`);

const stop = () => {
  server.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
