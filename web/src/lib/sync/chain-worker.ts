// The chain as the presign worker and S3 serve it: worker routes for begin/commit/snapshot grants,
// presigned GET/PUT (transfer.ts) for the objects themselves.
import type { WorkerApi } from './api';
import type { ChainClient, ChainObject, PutOutcome } from './chain';
import { MAX_CHANGESET_BYTES } from './changeset';
import { presignedGet, presignedPut } from './transfer';

type Fetch = typeof fetch;

export class WorkerChain implements ChainClient {
  requests = 0;

  constructor(
    private readonly api: WorkerApi,
    private readonly fetchImpl: Fetch = (...args) => fetch(...args),
  ) {}

  begin(after: number, damagedSnapshots?: number[]) {
    this.requests++;
    return this.api.begin(after, damagedSnapshots);
  }

  download(object: ChainObject): Promise<Uint8Array> {
    this.requests++;
    const maxBytes = object.kind === 'changeset' ? MAX_CHANGESET_BYTES : undefined;
    return presignedGet(this.fetchImpl, { url: object.url, size: object.size, etag: object.etag, maxBytes });
  }

  commit(seq: number, body: Uint8Array): Promise<PutOutcome> {
    return this.upload(() => this.api.commit(seq, body.length), body);
  }

  snapshot(seq: number, body: Uint8Array): Promise<PutOutcome> {
    return this.upload(() => this.api.snapshot(seq, body.length), body);
  }

  private async upload(grant: () => ReturnType<WorkerApi['commit']>, body: Uint8Array): Promise<PutOutcome> {
    this.requests++;
    const answer = await grant();
    if ('conflict' in answer) return 'taken';
    this.requests++;
    return (await presignedPut(this.fetchImpl, answer.grant, body)) === 'ok' ? 'ok' : 'taken';
  }
}
