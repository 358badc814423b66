// The presign worker's HTTP API (docs/API.md), with every response checked before use.
import { z } from 'zod';
import { beginAnswer, headInfo, type BeginAnswer } from './chain';
import { RemoteDataError, SyncHttpError } from './errors';
import { deadline, deadlineFor } from './deadline';

export { SyncHttpError };
export const SYNC_PROTOCOL = 2;

const uploadGrant = z.lazy(() => z.object({
  seq: z.number().int().positive(),
  name: z.string(),
  url: z.url(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
}));
export type UploadGrant = z.infer<typeof uploadGrant>;
const conflictResponse = z.lazy(() => z.object({ head: headInfo.nullable() }));
const backupInfo = z.lazy(() => z.object({ name: z.string(), seq: z.number().int(), size: z.number().int(), time: z.string() }));
export type BackupInfo = z.infer<typeof backupInfo>;
const backupList = z.lazy(() => z.object({ backups: z.array(backupInfo) }));
const backupCreated = z.lazy(() => z.object({ created: z.boolean(), backup: backupInfo }));
const backupGet = z.lazy(() => backupInfo.unwrap().extend({ url: z.url(), expiresAt: z.string() }));
const csvGrant = z.lazy(() => z.object({ name: z.string(), url: z.url(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()) }));

export interface WorkerConfig {
  workerUrl: string;
  token: string;
}

type Fetch = typeof fetch;

export class WorkerApi {
  constructor(
    private readonly config: WorkerConfig,
    private readonly fetchImpl: Fetch = (...args) => fetch(...args),
    /** Per call, its answer included (the answers are small JSON). */
    private readonly deadlineMs = deadlineFor(),
  ) {}

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const url = new URL(path, this.config.workerUrl.endsWith('/') ? this.config.workerUrl : `${this.config.workerUrl}/`);
    const { signal, reason } = deadline(this.deadlineMs);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: { Authorization: `Bearer ${this.config.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new SyncHttpError(`The sync worker could not be reached (${reason(error)}).`, 0);
    }
    // A body that stops mid-way: the deadline's abort ends this read too.
    const json: unknown = await response.json().catch((error: unknown) => {
      if (signal.aborted) throw new SyncHttpError(`The sync worker's answer broke off (${reason(error)}).`, 0);
      return null;
    });
    if (!response.ok) throw errorFrom(response, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SyncHttpError(`The sync worker answered in an unexpected shape (${path}).`, 502);
    return parsed.data;
  }

  begin(after: number, damagedSnapshots?: number[]): Promise<BeginAnswer> {
    const body = damagedSnapshots?.length ? { protocol: SYNC_PROTOCOL, after, damagedSnapshots } : { protocol: SYNC_PROTOCOL, after };
    return this.call('POST', 'v1/sync/begin', beginAnswer, body);
  }

  /** A create-only upload grant for changeset `seq`, or `{ conflict }` if that seq is not next any more. */
  commit(seq: number, size: number): Promise<{ grant: UploadGrant } | { conflict: true }> {
    return this.grant('v1/sync/commit', seq, size);
  }

  /** A create-only upload grant for the snapshot of `seq`, or `{ conflict }` (not allowed or already there). */
  snapshot(seq: number, size: number): Promise<{ grant: UploadGrant } | { conflict: true }> {
    return this.grant('v1/sync/snapshot', seq, size);
  }

  private async grant(path: string, seq: number, size: number): Promise<{ grant: UploadGrant } | { conflict: true }> {
    try {
      return { grant: await this.call('POST', path, uploadGrant, { protocol: SYNC_PROTOCOL, seq, size }) };
    } catch (error) {
      if (error instanceof ConflictError) return { conflict: true };
      throw error;
    }
  }

  listBackups(): Promise<BackupInfo[]> {
    return this.call('GET', 'v1/backups', backupList).then((r) => r.backups);
  }

  createBackup(daily = false): Promise<{ created: boolean; backup: BackupInfo }> {
    return this.call('POST', 'v1/backups', backupCreated, daily ? { daily: true } : {});
  }

  backupUrl(name: string): Promise<z.infer<typeof backupGet>> {
    return this.call('GET', `v1/backups/${encodeURIComponent(name)}`, backupGet);
  }

  csvUpload(gameDate: string, size: number): Promise<z.infer<typeof csvGrant>> {
    return this.call('POST', 'v1/csv', csvGrant, { gameDate, size });
  }
}

class ConflictError extends SyncHttpError {
  constructor() {
    super('Another device committed first.', 409);
  }
}

function errorFrom(response: Response, json: unknown): SyncHttpError | RemoteDataError {
  const message = (json as { error?: unknown } | null)?.error;
  if (response.status === 409 && conflictResponse.safeParse(json).success) return new ConflictError();
  if (response.status === 426) {
    return new RemoteDataError(
      typeof message === 'string' ? message : 'This app is too old for this sync bucket. Update the app.',
      'newer',
    );
  }
  const retry = Number(response.headers.get('Retry-After'));
  const reason =
    response.status === 401
      ? 'The sync token was refused. Check it in Settings.'
      : response.status === 429
        ? 'The sync worker is busy; retrying shortly.'
        : `The sync worker answered ${response.status}${typeof message === 'string' ? `: ${message}` : ''}.`;
  return new SyncHttpError(reason, response.status, Number.isFinite(retry) && retry > 0 ? retry : null);
}
