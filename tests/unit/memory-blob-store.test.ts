// The BlobStore contract against the in-memory store (always: no S3 needed). S3Store runs the same suite
// against the real RGW in tests/worker/node/blob-store.node-test.ts.
import { MemoryBlobStore } from '../../presign-worker/src/store/memory';
import { blobStoreContract } from '../worker/blob-store-contract';

blobStoreContract(
  'MemoryBlobStore',
  () => {
    let now = Date.UTC(2026, 10, 20, 12, 0, 0);
    const store = new MemoryBlobStore({ now: () => now });
    return { store, fetch: store.fetch, now: () => now, advance: (ms) => (now += ms) };
  },
  { controllableClock: true },
);
