// The new-database file the build ships (empty-database.ts) against the migrations it stands for.
import { describe, expect, it } from 'vitest';
import type { Database } from 'sql.js';
import { buildEmptyDatabase, openEmptyDatabase, openEmptyDatabaseInSteps, rehearseWrites } from '../../web/src/lib/db/empty-database';
import { installCapture, takeChanges } from '../../web/src/lib/db/journal';
import { MIGRATIONS, migrate, SCHEMA_VERSION, schemaVersion } from '../../web/src/lib/db/schema';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { databaseId } from '../../web/src/lib/db/changes';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import { loadSql, MemoryPersistence, prediction } from './helpers';

const schemaOf = (db: Database) => db.exec("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")[0].values;
const metaOf = (db: Database) => db.exec('SELECT db_id, node, wall, hlc_ms, hlc_counter, local_version, applying FROM sync_meta')[0].values;

describe('empty database file', () => {
  it('opens as exactly what the migrations make, with ids of its own', async () => {
    const SQL = await loadSql();
    const template = buildEmptyDatabase(SQL);
    const migrated = new SQL.Database();
    migrate(migrated);
    const a = openEmptyDatabase(SQL, template);
    const b = openEmptyDatabase(SQL, template);
    expect(schemaVersion(a)).toBe(SCHEMA_VERSION);
    expect(schemaOf(a)).toEqual(schemaOf(migrated));
    const [[idA, nodeA, ...restA]] = metaOf(a);
    const [[idB, nodeB]] = metaOf(b);
    const [[idM, nodeM, ...restM]] = metaOf(migrated);
    expect(restA).toEqual(restM);
    // The same shapes the migration draws, and never the file's own ids (every device would share them).
    expect(String(idA)).toMatch(/^[0-9a-f]{32}$/);
    expect(String(nodeA)).toMatch(/^[0-9a-f]{16}$/);
    expect(idA).not.toBe(idB);
    expect(nodeA).not.toBe(nodeB);
    const shipped = new SQL.Database(template);
    expect(idA).not.toBe(metaOf(shipped)[0][0]);
    expect(idM).not.toBe(idA);
    expect(nodeM).not.toBe(nodeA);
    for (const table of ['teams', 'players', 'games', 'player_game_logs', 'predictions', 'game_predictions', 'source_days', 'live_games']) {
      expect(a.exec(`SELECT COUNT(*) FROM ${table}`)[0].values[0][0]).toBe(0);
    }
  });

  it('falls back to the migrations for a file of another schema version or no file at all', async () => {
    const SQL = await loadSql();
    const old = new SQL.Database();
    migrate(old, MIGRATIONS.slice(0, SCHEMA_VERSION - 1));
    for (const template of [old.export(), new Uint8Array([1, 2, 3]), null, undefined]) {
      const db = openEmptyDatabase(SQL, template);
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(metaOf(db)).toHaveLength(1);
    }
  });

  it('takes the clock node given, and opens in steps to the same database', async () => {
    const SQL = await loadSql();
    const template = buildEmptyDatabase(SQL);
    const given = openEmptyDatabase(SQL, template, 'device-x');
    let pauses = 0;
    const stepped = await openEmptyDatabaseInSteps(SQL, template, 'device-y', async () => void pauses++);
    expect(metaOf(given)[0][1]).toBe('device-x');
    expect(metaOf(stepped)[0][1]).toBe('device-y');
    expect(pauses).toBe(2);
    expect(schemaOf(stepped)).toEqual(schemaOf(given));
    expect(metaOf(stepped)[0][0]).not.toBe(metaOf(given)[0][0]);
    // Without a template (the migrations run), the node given too.
    expect(metaOf(openEmptyDatabase(SQL, null, 'device-z'))[0][1]).toBe('device-z');
  });

  it('a rehearsal of the first writes changes nothing, and leaves nothing to capture once discarded', async () => {
    const SQL = await loadSql();
    const db = openEmptyDatabase(SQL, buildEmptyDatabase(SQL), 'device-x');
    const everything = () => ['sync_meta', 'teams', 'players', 'games', 'player_game_logs', 'source_days', 'predictions', 'game_predictions', 'live_games'].map((t) => db.exec(`SELECT * FROM ${t}`));
    const before = everything();
    installCapture(db);
    rehearseWrites(db);
    expect(everything()).toEqual(before);
    expect(schemaOf(db)).toEqual(schemaOf(openEmptyDatabase(SQL, buildEmptyDatabase(SQL))));
    // The update hook saw the rolled-back rows: the store's first save (a base) drops them from the capture.
    expect(takeChanges(db)).not.toBeNull();
    // A failing rehearsal (here: no such tables) changes nothing either, and throws nothing.
    const bare = new SQL.Database();
    expect(() => rehearseWrites(bare)).not.toThrow();
    expect(bare.exec("SELECT COUNT(*) FROM sqlite_master")[0].values[0][0]).toBe(0);
  });

  it('made while storage is read (likelyEmpty): used when storage is empty; a database stored meanwhile is opened instead', async () => {
    const SQL = await loadSql();
    const template = buildEmptyDatabase(SQL);
    const persistence = new MemoryPersistence();
    const { store } = await DatabaseStore.open({ SQL, persistence, node: 'device-a', likelyEmpty: Promise.resolve(true), emptyDatabase: template, channelName: `early-${Math.random()}` });
    expect(store.read((db) => metaOf(db)[0][1])).toBe('device-a');
    // Its first base is stored, and its change capture works: a write goes to the journal and replays on reopen.
    await store.write((db) => savePredictions(db, [prediction()]));
    expect(persistence.journal).toHaveLength(1);
    // Nothing of the rehearsal made while storage was read (rehearseWrites) is in it.
    const tables = JSON.parse(new TextDecoder().decode(persistence.journal[0].bytes)).tables.map((t: { name: string }) => t.name);
    expect(tables).not.toContain('teams');
    expect(tables).toContain('predictions');
    const id = store.read(databaseId);
    store.close();
    const { store: reopened } = await DatabaseStore.open({ SQL, persistence, channelName: `early-${Math.random()}` });
    expect(reopened.read(databaseId)).toBe(id);
    expect(reopened.read((db) => db.exec('SELECT COUNT(*) FROM predictions')[0].values[0][0])).toBe(1);
    reopened.close();

    // The head read said "nothing stored", but by the time storage is read another tab has stored its database.
    const { store: late } = await DatabaseStore.open({ SQL, persistence, likelyEmpty: Promise.resolve(true), emptyDatabase: template, channelName: `early-${Math.random()}` });
    expect(late.read(databaseId)).toBe(id);
    expect(late.read((db) => db.exec('SELECT COUNT(*) FROM predictions')[0].values[0][0])).toBe(1);
    late.close();
  });

  it('is what a store opened on empty storage starts from, and what it saves as its first base', async () => {
    const SQL = await loadSql();
    const persistence = new MemoryPersistence();
    // A marked copy of the file: the migrations alone would give the same schema, so only the mark shows it was used.
    const marked = new SQL.Database(buildEmptyDatabase(SQL));
    marked.run("INSERT INTO teams (id, city, name, conference) VALUES ('ZZZ', 'Marker', 'Shipped', 'East')");
    const { store } = await DatabaseStore.open({ SQL, persistence, channelName: `empty-db-${Math.random()}`, emptyDatabase: marked.export() });
    expect(store.read((db) => db.exec("SELECT name FROM teams WHERE id = 'ZZZ'")[0]?.values)).toEqual([['Shipped']]);
    const loaded = await persistence.load();
    expect(loaded.kind).toBe('ok');
    const saved = new SQL.Database(loaded.kind === 'ok' ? loaded.record.bytes : new Uint8Array());
    expect(schemaVersion(saved)).toBe(SCHEMA_VERSION);
    expect(store.read((db) => databaseId(db))).toBe(databaseId(saved));
    store.close();
  });
});
