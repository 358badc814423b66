import { Hono } from 'hono';
import { z } from 'zod';
import { manualBackupWait, pruneBackups } from '../backup-policy';
import { readChain } from '../generations';
import { BACKUP_NAME, BACKUP_PREFIX, backupDayPrefix, backupKey, backupName, parseBackupName } from '../keys';
import type { AppEnv } from '../state';
import type { ObjectInfo } from '../store/types';
import { check, optionalJsonBody } from '../validate';

const CreateBody = z.strictObject({
  /** true: only create one if none was made today (UTC) - for the automatic daily backup */
  daily: z.boolean().optional(),
});
const NameParam = z.strictObject({ name: z.string().max(64).regex(BACKUP_NAME, 'not a backup name') });

function describe(o: ObjectInfo) {
  const name = o.key.slice(BACKUP_PREFIX.length);
  const parsed = parseBackupName(name);
  return parsed && { name, seq: parsed.seq, size: o.size, time: parsed.time };
}

export const backups = new Hono<AppEnv>()
  .get('/v1/backups', async (c) => {
    const objects = await c.var.store.list(BACKUP_PREFIX);
    const list = objects.map(describe).filter((b) => b !== null);
    list.sort((a, b) => (a.name < b.name ? 1 : -1)); // newest first
    return c.json({ backups: list });
  })

  /** Server-side copy of the newest snapshot into backups/ (no client upload). */
  .post('/v1/backups', async (c) => {
    const body = await optionalJsonBody(c, CreateBody);
    if (!body.ok) return body.response;
    const { store, state } = c.var;
    const limits = state.config.backups;
    const now = state.now();
    const existing = (await store.list(BACKUP_PREFIX)).map(describe).filter((b) => b !== null);
    const wait = body.data.daily ? 0 : manualBackupWait(existing, now, limits);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: `one manual backup per ${limits.minIntervalSeconds} s`, retryAfterSeconds: wait }, 429);
    }
    if (body.data.daily) {
      const [today] = await store.list(BACKUP_PREFIX + backupDayPrefix(now), 1);
      const todays = today && describe(today);
      if (todays) return c.json({ created: false, backup: todays });
    }
    // a snap/ object, or the newest v1 generation if newer; a changeset head is first snapshotted by the client
    const { snapshot } = await readChain(store);
    if (!snapshot) return c.json({ error: 'nothing to back up: no snapshot written yet' }, 409);
    const name = backupName(now, snapshot.seq);
    await store.copy(snapshot.key, backupKey(name));
    try {
      await pruneBackups(store, [...existing, { name, time: now.toISOString() }], now, limits);
    } catch (e) {
      console.error('backup retention failed (will retry on the next backup):', e);
    }
    return c.json({ created: true, backup: { name, seq: snapshot.seq, size: snapshot.size, time: now.toISOString() } }, 201);
  })

  .get('/v1/backups/:name', async (c) => {
    const p = check(c, NameParam, c.req.param(), 'invalid backup name');
    if (!p.ok) return p.response;
    const { name } = p.data;
    const { store, state } = c.var;
    const info = await store.head(backupKey(name));
    if (!info) return c.json({ error: 'no such backup' }, 404);
    const get = await store.presignGet(backupKey(name), state.config.presignTtlSeconds);
    const parsed = parseBackupName(name)!;
    return c.json({
      name,
      seq: parsed.seq,
      size: info.size,
      time: parsed.time,
      url: get.url,
      expiresAt: get.expiresAt.toISOString(),
    });
  });
