import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { app } from './app';
import type { Env } from './config';
import { nodeRemoteAddress } from './rate-limit';

/** Serves the same Hono app on Node; resolves with the URL once listening. */
export function startNodeServer(env: Env, port = 8787, hostname = '127.0.0.1'): Promise<{ url: string; server: ServerType }> {
  return new Promise((resolve, reject) => {
    const fetch = (req: Request, node: { incoming?: { socket?: { remoteAddress?: string } } }) => {
      const address = node?.incoming?.socket?.remoteAddress;
      if (address) nodeRemoteAddress.set(req, address);
      return app.fetch(req, env);
    };
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
      resolve({ url: `http://${hostname}:${info.port}`, server });
    });
    server.once('error', reject);
  });
}
