// A request to the worker or to storage that stalls (no answer, or a body that stops mid-way) fails with a clear
// error once its deadline passes, instead of holding the sync round (and with it the single-flight scheduler) until
// the page reloads. Against a real HTTP server on loopback that stalls on purpose; deadlines of a few hundred ms.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerApi } from '../../web/src/lib/sync/api';
import { SyncHttpError } from '../../web/src/lib/sync/errors';
import { presignedGet, presignedPut } from '../../web/src/lib/sync/transfer';

const DEADLINE_MS = 300;
let server: Server;
let base: string;
const open = new Set<ServerResponse>();

/** /silent…: headers never sent; /half…: headers and half the body, then nothing; /ok…: the whole body at once. */
function handle(request: IncomingMessage, response: ServerResponse) {
  open.add(response);
  request.resume();
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (path.startsWith('/ok')) response.end('0123456789');
  else if (path.startsWith('/half')) {
    response.writeHead(200, { 'Content-Length': '10', 'Content-Type': 'application/json' });
    response.write('01234');
  }
  // '/silent…' and every other path: no answer at all
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of open) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<SyncHttpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncHttpError);
  return error as SyncHttpError;
}

describe('request deadlines', () => {
  it('a download whose server never answers fails as timed out', async () => {
    const error = await failure(presignedGet(fetch, { url: `${base}/silent`, size: 10, deadlineMs: DEADLINE_MS }));
    expect(error.message).toMatch(/timed out after 0\.3 s/);
    expect(error.status).toBe(0);
  });

  it('a download whose body stops half-way fails as timed out', async () => {
    const error = await failure(presignedGet(fetch, { url: `${base}/half`, size: 10, deadlineMs: DEADLINE_MS }));
    expect(error.message).toMatch(/timed out after 0\.3 s/);
  });

  it('a download that arrives in time is returned whole', async () => {
    const bytes = await presignedGet(fetch, { url: `${base}/ok`, size: 10, deadlineMs: 30_000 });
    expect(new TextDecoder().decode(bytes)).toBe('0123456789');
  });

  it('an upload with no answer fails as timed out', async () => {
    const error = await failure(presignedPut(fetch, { url: `${base}/silent`, headers: {} }, new Uint8Array(100), DEADLINE_MS));
    expect(error.message).toMatch(/upload to storage failed \(timed out after 0\.3 s\)/);
  });

  it('a worker call with no answer, or with a body that stops, fails as timed out', async () => {
    const silent = new WorkerApi({ workerUrl: `${base}/silent`, token: 't' }, fetch, DEADLINE_MS);
    expect((await failure(silent.begin(0))).message).toMatch(/sync worker could not be reached \(timed out after 0\.3 s\)/);
    const half = new WorkerApi({ workerUrl: `${base}/half`, token: 't' }, fetch, DEADLINE_MS);
    const broke = await failure(half.begin(0));
    expect(broke.message).toMatch(/answer broke off \(timed out after 0\.3 s\)/);
    expect(broke.status).toBe(0);
  });

  it('a browser without AbortSignal.timeout (Safari before 16) gets the same deadline', async () => {
    const timeout = AbortSignal.timeout;
    Object.defineProperty(AbortSignal, 'timeout', { value: undefined, configurable: true, writable: true });
    try {
      const error = await failure(presignedGet(fetch, { url: `${base}/half`, size: 10, deadlineMs: DEADLINE_MS }));
      expect(error.message).toMatch(/timed out after 0\.3 s/);
    } finally {
      Object.defineProperty(AbortSignal, 'timeout', { value: timeout, configurable: true, writable: true });
    }
  });
});
