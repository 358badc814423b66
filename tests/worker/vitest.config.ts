// Node suite: the Hono app against a real Ceph RGW (started by global-setup.ts if nothing answers).
//   npm run test:worker
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  test: {
    name: 'worker-node',
    include: ['tests/worker/node/**/*.node-test.ts'],
    globalSetup: ['tests/worker/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
