// An S3 endpoint that resets connections, refuses them, never answers or answers with an HTML page: every storage
// route gives a clear 502 {error, code} within S3_TIMEOUT_MS, never a 500, a hang or "an empty bucket".
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createApp } from '../../../presign-worker/src/app';
import { call, makeEnv, tenant } from '../helpers';

type Mode = 'reset' | 'hang' | 'html' | 'html-error';

/** A TCP server that misbehaves as told; returns its http:// endpoint. */
async function hostileS3(mode: Mode): Promise<{ endpoint: string; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', () => {
      if (mode === 'reset') socket.resetAndDestroy();
      else if (mode === 'html' || mode === 'html-error') {
        const body = '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>';
        const status = mode === 'html' ? '200 OK' : '502 Bad Gateway';
        socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      }
      // hang: read the request, never answer
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { endpoint: `http://127.0.0.1:${port}`, server, sockets };
}

const alice = tenant('hostile-s3');
const servers: Awaited<ReturnType<typeof hostileS3>>[] = [];
const endpoints: Record<string, string> = {};

beforeAll(async () => {
  for (const mode of ['reset', 'hang', 'html', 'html-error'] as const) {
    const s = await hostileS3(mode);
    servers.push(s);
    endpoints[mode] = s.endpoint;
  }
  // a port nothing listens on: take one, then close it
  const closed = await hostileS3('reset');
  endpoints.refused = closed.endpoint;
  await new Promise((r) => closed.server.close(r));
});
afterAll(async () => {
  for (const s of servers) {
    for (const socket of s.sockets) socket.destroy();
    await new Promise((r) => s.server.close(r));
  }
});

const TIMEOUT_MS = 400;
const envFor = (mode: string) => makeEnv([alice], { S3_ENDPOINT: endpoints[mode], S3_TIMEOUT_MS: String(TIMEOUT_MS) });

const routes: [string, string, unknown?][] = [
  ['POST', '/v1/sync/begin', { protocol: 2, after: 0 }],
  ['POST', '/v1/sync/commit', { protocol: 2, seq: 1, size: 10 }],
  ['POST', '/v1/sync/snapshot', { protocol: 2, seq: 1, size: 10 }],
  ['GET', '/v1/backups'],
  ['POST', '/v1/backups', {}],
  ['GET', '/v1/backups/20260101T000000.000Z-seq1.sqlite.gz'],
];

describe('an S3 that misbehaves gives 502 with a code on every storage route', () => {
  const expected: Record<string, string> = {
    reset: 'S3Unreachable',
    refused: 'S3Unreachable',
    hang: 'S3Timeout',
    html: 'S3BadAnswer',
    'html-error': 'S3BadAnswer',
  };
  for (const mode of Object.keys(expected)) {
    for (const [method, path, body] of routes) {
      it(`${mode}: ${method} ${path} → 502 ${expected[mode]}`, async () => {
        const env = envFor(mode);
        const t0 = Date.now();
        const r = await call(env, method, path, { token: alice.token, body });
        expect(r.status, r.text).toBe(502);
        expect(r.json).toEqual({ error: 'storage error', code: expected[mode] });
        expect(r.headers.get('content-type')).toMatch(/application\/json/);
        // bounded: one timeout covers the call and its retry (generous margin for a loaded machine)
        expect(Date.now() - t0).toBeLessThan(TIMEOUT_MS + 5000);
      });
    }
  }

  it('an HTML 200 is never read as an empty bucket (no PUT URL for seq 1 is handed out)', async () => {
    const r = await call(envFor('html'), 'POST', '/v1/sync/commit', { token: alice.token, body: { protocol: 2, seq: 1, size: 10 } });
    expect(r.status).toBe(502);
    expect(r.json?.url).toBeUndefined();
  });

  it('S3_TIMEOUT_MS is bounded in config (no unbounded waits)', async () => {
    const r = await call(makeEnv([alice], { S3_TIMEOUT_MS: '600000' }), 'GET', '/v1/health');
    expect(r.status).toBe(503);
  });
});

describe('app.onError', () => {
  it('an HTTPException keeps its status (as JSON), and a prepared response is sent as is', async () => {
    const app = createApp();
    const extra = new Hono()
      .get('/boom/teapot', () => {
        throw new HTTPException(418, { message: 'short and stout' });
      })
      .get('/boom/prepared', () => {
        throw new HTTPException(409, { res: new Response('prepared', { status: 409 }) });
      });
    app.route('/', extra);
    const env = makeEnv([alice]);
    const teapot = await app.fetch(new Request('http://worker.test/boom/teapot'), env);
    expect(teapot.status).toBe(418);
    expect(await teapot.json()).toEqual({ error: 'short and stout' });
    const prepared = await app.fetch(new Request('http://worker.test/boom/prepared'), env);
    expect(prepared.status).toBe(409);
    expect(await prepared.text()).toBe('prepared');
  });
});
