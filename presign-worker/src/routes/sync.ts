import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  MAX_CHANGESETS_PER_BEGIN,
  describe,
  findGeneration,
  generationsAfter,
  headRef,
  planBegin,
  readChain,
  snapshotDue,
  withoutSnapshots,
  MAX_DAMAGED_SNAPSHOTS,
} from '../generations';
import { MAX_SEQ, changesetKey, generationName, snapshotKey, snapshotName } from '../keys';
import { applyRetention } from '../retention';
import type { AppEnv } from '../state';
import { badRequest } from '../errors';
import { check } from '../validate';

/** The sync protocol this worker speaks (docs/API.md "Sync"). */
export const SYNC_PROTOCOL = 2;

export const UPGRADE_REQUIRED = {
  error: 'This app is too old for this sync bucket (sync protocol 2). Update the app.',
  code: 'upgrade-required',
  protocol: SYNC_PROTOCOL,
} as const;

type Result<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * A sync request body: 426 unless it says `"protocol": 2` (an older app sends no body or `{}` and must stop
 * before it can write anything), then validated against `schema` (400 with issues).
 */
async function syncBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<Result<z.output<S>>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, response: badRequest(c, 'body is not valid JSON') };
    }
  }
  const protocol = raw !== null && typeof raw === 'object' ? (raw as { protocol?: unknown }).protocol : undefined;
  if (protocol !== SYNC_PROTOCOL) return { ok: false, response: c.json(UPGRADE_REQUIRED, 426) };
  if (!/^application\/json(\s*;|$)/i.test(c.req.header('content-type') ?? '')) {
    return { ok: false, response: badRequest(c, 'expected Content-Type: application/json') };
  }
  return check(c, schema, raw, 'invalid request body');
}

const seqField = z.number().int().min(1).max(MAX_SEQ - 1);
const sizeField = (max: number) => z.number().int().min(1).max(max, `size exceeds MAX_DB_BYTES (${max})`);
/** Body of the two routes that hand out an upload URL (commit and snapshot). */
const uploadBody = (maxBytes: number) => z.strictObject({ protocol: z.literal(SYNC_PROTOCOL), seq: seqField, size: sizeField(maxBytes) });

/** What commit and snapshot both start with: the validated body, then the chain as listed now. */
async function uploadRequest(c: Context<AppEnv>) {
  const body = await syncBody(c, uploadBody(c.var.state.config.maxDbBytes));
  if (!body.ok) return body;
  const view = await readChain(c.var.store, { allSnapshots: true });
  return { ok: true as const, data: { ...body.data, view } };
}

/** The create-only PUT both commit and snapshot hand out. */
async function presignUpload(c: Context<AppEnv>, key: string, size: number) {
  return c.var.store.presignPut(key, {
    contentType: 'application/gzip',
    contentLength: size,
    expiresIn: c.var.state.config.presignTtlSeconds,
  });
}

const uploadAnswer = (seq: number, name: string, put: Awaited<ReturnType<typeof presignUpload>>) => ({
  seq,
  name,
  url: put.url,
  method: put.method,
  headers: put.headers,
  expiresAt: put.expiresAt.toISOString(),
});

/**
 * Body of begin. `damagedSnapshots` (optional): snapshot seqs the client downloaded intact but could not read,
 * migrate or merge; the answer then treats them as absent (docs/API.md "Fallback to an older snapshot").
 */
const beginBody = z.strictObject({
  protocol: z.literal(SYNC_PROTOCOL),
  after: z.number().int().min(0).max(MAX_SEQ),
  damagedSnapshots: z.array(seqField).max(MAX_DAMAGED_SNAPSHOTS).optional(),
});

export const sync = new Hono<AppEnv>()
  /** What a client that has applied everything through `after` must fetch, with presigned GETs. */
  .post('/v1/sync/begin', async (c) => {
    const body = await syncBody(c, beginBody);
    if (!body.ok) return body.response;
    const { store, state } = c.var;
    const ttl = state.config.presignTtlSeconds;
    const damaged = body.data.damagedSnapshots ?? [];
    const listed = await readChain(store, { allSnapshots: damaged.length > 0 });
    const { view, replace } = withoutSnapshots(listed, damaged);
    const plan = planBegin(view, body.data.after);
    const gens = view.head ? await generationsAfter(store, view, plan.base) : [];
    return c.json({
      protocol: SYNC_PROTOCOL,
      head: headRef(view.head),
      snapshot: plan.snapshot && (await describe(store, plan.snapshot, ttl)),
      changesets: await Promise.all(gens.map((g) => describe(store, g, ttl))),
      more: !!view.head && view.head.seq > plan.base + MAX_CHANGESETS_PER_BEGIN,
      snapshotDue: replace || snapshotDue(view),
      reset: plan.reset,
      // only for a client that named damaged snapshots: the answer of every other begin keeps its shape
      ...(body.data.damagedSnapshots ? { snapshotSeq: view.snapshot?.seq ?? null } : {}),
    });
  })

  /** Presigned create-only PUT for changeset `seq`, which must be head.seq + 1 (else 409 with the head). */
  .post('/v1/sync/commit', async (c) => {
    const { store, state } = c.var;
    const request = await uploadRequest(c);
    if (!request.ok) return request.response;
    const { seq, size, view } = request.data;
    const expected = (view.head?.seq ?? 0) + 1;
    if (seq !== expected) {
      return c.json({ error: `seq must be ${expected} (head is ${view.head?.seq ?? 'empty'})`, head: headRef(view.head) }, 409);
    }
    const put = await presignUpload(c, changesetKey(seq), size);
    // after the listing: only objects that have landed make anything obsolete (never this commit's own PUT)
    await applyRetention(store, view, state.now(), state.config.sync);
    return c.json(uploadAnswer(seq, generationName(seq), put));
  })

  /** Presigned create-only PUT for snapshot `seq`: an existing generation newer than the newest snapshot. */
  .post('/v1/sync/snapshot', async (c) => {
    const { store, state } = c.var;
    const request = await uploadRequest(c);
    if (!request.ok) return request.response;
    const { seq, size, view } = request.data;
    const { head, snapshot } = view;
    const refuse = (error: string) =>
      c.json({ error, head: headRef(head), snapshot: snapshot && { seq: snapshot.seq } }, 409);
    if (!head || seq > head.seq) return refuse(`seq ${seq} is above the head (${head?.seq ?? 'empty'})`);
    if (snapshot && seq <= snapshot.seq) return refuse(`seq must be above the newest snapshot (${snapshot.seq})`);
    if (!(await findGeneration(store, view, seq))) return refuse(`generation ${seq} does not exist`);
    const put = await presignUpload(c, snapshotKey(seq), size);
    await applyRetention(store, view, state.now(), state.config.sync);
    return c.json(uploadAnswer(seq, snapshotName(seq), put));
  });
