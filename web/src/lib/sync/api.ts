// The presign worker's HTTP API (docs/API.md), with every response checked before use.
import { z } from 'zod';

const head = z.object({
  seq: z.number().int().positive(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  time: z.string(),
  url: z.url(),
  expiresAt: z.string(),
});
export type Head = z.infer<typeof head>;

const beginResponse = z.object({ head: head.nullable() });
const commitResponse = z.object({
  seq: z.number().int().positive(),
  name: z.string(),
  url: z.url(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});
export type CommitGrant = z.infer<typeof commitResponse>;
const conflictResponse = z.object({ head: head.nullable() });
const backupInfo = z.object({ name: z.string(), seq: z.number().int(), size: z.number().int(), time: z.string() });
export type BackupInfo = z.infer<typeof backupInfo>;
const backupList = z.object({ backups: z.array(backupInfo) });
const backupCreated = z.object({ created: z.boolean(), backup: backupInfo });
const backupGet = backupInfo.extend({ url: z.url(), expiresAt: z.string() });
const csvGrant = z.object({ name: z.string(), url: z.url(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()) });

export class SyncHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

export interface WorkerConfig {
  workerUrl: string;
  token: string;
}

type Fetch = typeof fetch;

export class WorkerApi {
  constructor(
    private readonly config: WorkerConfig,
    private readonly fetchImpl: Fetch = (...args) => fetch(...args),
  ) {}

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const url = new URL(path, this.config.workerUrl.endsWith('/') ? this.config.workerUrl : `${this.config.workerUrl}/`);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: { Authorization: `Bearer ${this.config.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new SyncHttpError(`The sync worker could not be reached (${(error as Error).message}).`, 0);
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) throw errorFrom(response, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new SyncHttpError(`The sync worker answered in an unexpected shape (${path}).`, 502);
    return parsed.data;
  }

  begin(): Promise<{ head: Head | null }> {
    return this.call('POST', 'v1/sync/begin', beginResponse, {});
  }

  /** A create-only upload grant for `seq`, or `{ conflict }` with the newer head if someone committed first. */
  async commit(seq: number, size: number): Promise<{ grant: CommitGrant } | { conflict: Head | null }> {
    try {
      return { grant: await this.call('POST', 'v1/sync/commit', commitResponse, { seq, size }) };
    } catch (error) {
      if (error instanceof ConflictError) return { conflict: error.head };
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
  constructor(readonly head: Head | null) {
    super('Another device committed first.', 409);
  }
}

function errorFrom(response: Response, json: unknown): SyncHttpError {
  const message = (json as { error?: unknown } | null)?.error;
  if (response.status === 409) {
    const parsed = conflictResponse.safeParse(json);
    if (parsed.success) return new ConflictError(parsed.data.head);
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
