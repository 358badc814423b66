import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, SCHEMA_VERSION, SchemaError, schemaVersion } from '../../web/src/lib/db/schema';
import { InvalidDatabaseError, openValidated } from '../../web/src/lib/db/validate';
import { loadSql } from './helpers';

describe('schema migrations', () => {
  it('brings an empty database to the latest version with every table', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    const tables = db.exec("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")[0].values.flat();
    expect(tables).toEqual(
      expect.arrayContaining(['teams', 'players', 'games', 'player_game_logs', 'predictions', 'game_predictions', 'source_days']),
    );
  });

  it('is a no-op on an up-to-date database', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db);
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
  });

  it('runs only the missing steps, forward', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    const steps = [...MIGRATIONS, 'ALTER TABLE predictions ADD COLUMN note TEXT;'];
    migrate(db);
    expect(migrate(db, steps)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION + 1 });
    const columns = db.exec('PRAGMA table_info(predictions)')[0].values.map((r) => r[1]);
    expect(columns).toContain('note');
  });

  it('v1 → v2 keeps every stored game and player and marks them as simulated', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db, MIGRATIONS.slice(0, 1));
    db.run("INSERT INTO games VALUES ('g1', '2026-11-20', '2026-11-21T00:30:00Z', 'BOS', 'NYK', 'final', 110, 104)");
    db.run("INSERT INTO players VALUES ('p1', 'Ava Smith', 'BOS', 'G')");
    expect(migrate(db)).toEqual({ from: 1, to: SCHEMA_VERSION });
    expect(db.exec('SELECT id, home_score, source_id FROM games')[0].values).toEqual([['g1', 110, 'simulated']]);
    expect(db.exec('SELECT id, name, source_id FROM players')[0].values).toEqual([['p1', 'Ava Smith', 'simulated']]);
  });

  it('rolls a failing step back and leaves the version where it was', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db);
    const broken = [...MIGRATIONS, 'CREATE TABLE extra (id INTEGER); ALTER TABLE nowhere ADD COLUMN x TEXT;'];
    expect(() => migrate(db, broken)).toThrow(SchemaError);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.exec("SELECT name FROM sqlite_master WHERE name = 'extra'")).toEqual([]);
  });

  it('refuses a database from a newer app without touching it', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    expect(() => migrate(db)).toThrow(/newer/);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 5);
  });
});

describe('openValidated', () => {
  it('accepts a healthy database', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db);
    const reopened = openValidated(SQL, db.export());
    expect(schemaVersion(reopened)).toBe(SCHEMA_VERSION);
  });

  it('rejects bytes that are not SQLite', async () => {
    const SQL = await loadSql();
    expect(() => openValidated(SQL, new TextEncoder().encode('hello'.repeat(50)))).toThrow(InvalidDatabaseError);
  });

  it('rejects a damaged file', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db);
    const bytes = db.export();
    bytes.fill(0xff, 4096, 8192); // wreck the second page, keep the header
    expect(() => openValidated(SQL, bytes)).toThrow(InvalidDatabaseError);
  });

  it('rejects a SQLite file of another app', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    db.exec('CREATE TABLE notes (id INTEGER); PRAGMA user_version = 1;');
    expect(() => openValidated(SQL, db.export())).toThrow(/not an NBA Daily database/);
  });

  it('rejects a newer schema', async () => {
    const SQL = await loadSql();
    const db = new SQL.Database();
    migrate(db);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => openValidated(SQL, db.export())).toThrow(/newer version/);
  });
});
