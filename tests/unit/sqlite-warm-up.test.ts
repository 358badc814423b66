// The warm-up worker's SQL (db/sqlite-warm-up.ts) is there so that a first visit's statements find their WASM
// compiled: it must run every statement a first visit runs. Checked by recording the SQL text of both: a first visit
// as the app makes it (a new store, a backfill through bulk(), the first full slate), and the warm-up.
import { describe, expect, it } from 'vitest';
import type { Database, SqlJsStatic } from 'sql.js';
import { ingestDays } from '../../web/src/lib/app/ingest';
import { slateView } from '../../web/src/lib/app/read-models';
import { addDays, localIsoDate } from '../../web/src/lib/domain/dates';
import { buildEmptyDatabase } from '../../web/src/lib/db/empty-database';
import { warmUp } from '../../web/src/lib/db/sqlite-warm-up';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { createSimulatedSource } from '../../web/src/lib/sources/simulated';
import { loadSql, MemoryPersistence } from './helpers';

/** The SQL texts `fn` has sql.js run (prepared or executed), with lists of placeholders made one. */
async function sqlRunBy(SQL: SqlJsStatic, fn: () => Promise<void> | void): Promise<Set<string>> {
  const seen = new Set<string>();
  const proto = SQL.Database.prototype as unknown as Record<'prepare' | 'exec' | 'run', (this: Database, sql: string, ...rest: unknown[]) => unknown>;
  const originals = { prepare: proto.prepare, exec: proto.exec, run: proto.run };
  for (const name of ['prepare', 'exec', 'run'] as const) {
    proto[name] = function (this: Database, sql: string, ...rest: unknown[]) {
      seen.add(sql.replace(/\s+/g, ' ').replace(/\?(\s*,\s*\?)+/g, '?…').trim());
      return originals[name].call(this, sql, ...rest);
    };
  }
  try {
    await fn();
  } finally {
    Object.assign(proto, originals);
  }
  return seen;
}

describe('the SQLite warm-up', () => {
  it('runs every statement a first visit runs until its slate is projected', async () => {
    const SQL = await loadSql();
    const template = buildEmptyDatabase(SQL);
    const now = new Date('2026-11-28T15:00:00Z');
    const today = localIsoDate(now);
    const firstVisit = await sqlRunBy(SQL, async () => {
      const { store } = await DatabaseStore.open({ SQL, persistence: new MemoryPersistence(), channelName: `warm-up-${Math.random()}`, emptyDatabase: template, likelyEmpty: Promise.resolve(true), node: 'device-a' });
      const source = createSimulatedSource();
      await store.bulk((write, writeInSteps) => ingestDays({ source, read: (fn) => store.read(fn), write, writeInSteps, from: addDays(today, -8), to: today, now, deviceId: 'device-a', yieldToUi: async () => {} }));
      store.read((db) => slateView(db, { date: today, today, now, sourceId: source.id, generation: 0 }));
      store.close();
    });
    const warmedUp = await sqlRunBy(SQL, () => warmUp(SQL, template));
    expect([...firstVisit].filter((sql) => !warmedUp.has(sql))).toEqual([]);
  });

  it('works without the new-database file too (the migrations then run)', async () => {
    const SQL = await loadSql();
    expect(() => warmUp(SQL, null)).not.toThrow();
  });
});
