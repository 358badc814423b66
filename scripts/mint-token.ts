// scripts/mint-token.ts <namespace> [--json] - mint a random access token for the presign worker.
// Prints the token (give it to the app; it is stored nowhere else) and the `namespace:sha256` entry to add to
// the worker's ACCESS_TOKENS (comma-separated). Only the hash is ever configured.
import { createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export const NAMESPACE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function mintToken(namespace: string) {
  if (!NAMESPACE.test(namespace)) throw new Error('namespace must match [a-z0-9][a-z0-9_-]{0,62}');
  const token = randomBytes(32).toString('base64url'); // 43 chars, 256 bits
  const hash = createHash('sha256').update(token).digest('hex');
  return { namespace, token, hash, accessTokensEntry: `${namespace}:${hash}` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const ns = args.find((a) => !a.startsWith('--'));
  if (!ns) {
    console.error('usage: tsx scripts/mint-token.ts <namespace> [--json]');
    process.exit(2);
  }
  try {
    const t = mintToken(ns);
    if (json) console.log(JSON.stringify(t));
    else {
      console.log(`token (enter it in the app's sync settings; shown once):\n${t.token}`);
      console.log(`ACCESS_TOKENS entry (append to the worker's ACCESS_TOKENS, comma-separated):\n${t.accessTokensEntry}`);
    }
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
