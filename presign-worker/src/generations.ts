import { GEN_PREFIX, generationKey, generationName, seqOfGenerationKey } from './keys';
import type { BlobStore, ObjectInfo } from './store/types';

export interface Generation extends ObjectInfo {
  seq: number;
}

/** All generations, newest first (a single list request for up to 1000). */
export async function listGenerations(store: BlobStore, limit?: number): Promise<Generation[]> {
  const objects = await store.list(GEN_PREFIX, limit);
  const gens: Generation[] = [];
  for (const o of objects) {
    const seq = seqOfGenerationKey(o.key);
    if (seq !== null) gens.push({ ...o, seq });
  }
  return gens;
}

/** The head as clients see it: metadata plus a presigned GET. */
export async function describeHead(store: BlobStore, g: Generation, ttl: number) {
  const get = await store.presignGet(generationKey(g.seq), ttl);
  return {
    seq: g.seq,
    name: generationName(g.seq),
    size: g.size,
    etag: g.etag,
    time: g.lastModified.toISOString(),
    url: get.url,
    expiresAt: get.expiresAt.toISOString(),
  };
}

/**
 * Deletes all but the newest `keepExisting` generations. Called on commit with keep - 1, so that
 * once the new generation is uploaded exactly `keep` remain.
 */
export async function prune(store: BlobStore, gens: Generation[], keepExisting: number): Promise<number> {
  const doomed = gens.slice(Math.max(0, keepExisting));
  await Promise.all(doomed.map((g) => store.delete(g.key)));
  return doomed.length;
}
