// A new database without running the migrations in the browser. Creating the schema step by step (v1's tables,
// then each ALTER TABLE, which makes SQLite re-read the whole schema, then v4's triggers) is the longest step of a
// first visit's start-up, and its result is always the same file but for the ids in `sync_meta`. The build runs
// the migrations once (vite.config.ts) and ships that file, gzipped, inside the bundle; the app opens a copy of it
// and gives it ids of its own. The migrations stay the one description of the schema.
// Pure: works on any sql.js, in the browser and in Node.
import type { Database, SqlJsStatic } from 'sql.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema';
import { upsertGameLogs, upsertGames, upsertPlayers, upsertTeams } from './league-repo';

/** The file of a new, empty database at SCHEMA_VERSION (what the build ships). */
export function buildEmptyDatabase(SQL: SqlJsStatic): Uint8Array {
  const db = new SQL.Database();
  try {
    migrate(db);
    return db.export();
  } finally {
    db.close();
  }
}

/**
 * A new, empty database at SCHEMA_VERSION: a copy of `template` (buildEmptyDatabase's file) with a random
 * database id and a clock node of its own (`node`, else random), exactly as the migrations would have made it;
 * without a usable template (none given, another schema version, unreadable), the migrations run.
 */
export function openEmptyDatabase(SQL: SqlJsStatic, template?: Uint8Array | null, node?: string): Database {
  const steps = emptyDatabaseSteps(SQL, template, node);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * openEmptyDatabase() in steps with `pause()` between them. On a first visit this is SQLite's first work, whose
 * code runs cold (the browser compiles it on first use): the copy, drawing the ids (the first statement: SQLite's
 * parser and VM, no table read), and storing them (the schema's parse) were together one long task of the UI thread.
 */
export async function openEmptyDatabaseInSteps(SQL: SqlJsStatic, template: Uint8Array | null | undefined, node: string | undefined, pause: () => Promise<void>): Promise<Database> {
  const steps = emptyDatabaseSteps(SQL, template, node);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

function* emptyDatabaseSteps(SQL: SqlJsStatic, template: Uint8Array | null | undefined, node: string | undefined): Generator<void, Database, void> {
  if (template) {
    let db: Database | undefined;
    try {
      db = new SQL.Database(template);
      if (schemaVersion(db) === SCHEMA_VERSION) {
        yield;
        // The ids v4's migration draws (db_id: 16 random bytes, node: 8), the node given instead when there is one.
        const [dbId, drawnNode] = db.exec('SELECT lower(hex(randomblob(16))), lower(hex(randomblob(8)))')[0].values[0];
        yield;
        db.run('UPDATE sync_meta SET db_id = ?, node = ?', [dbId, node ?? drawnNode]);
        return db;
      }
    } catch {
      // Fall through to the migrations.
    }
    db?.close();
  }
  const db = new SQL.Database();
  migrate(db);
  if (node) db.run('UPDATE sync_meta SET node = ?', [node]);
  return db;
}

/**
 * Makes the writes a first backfill makes (upserts through the change-tracking triggers) and rolls them back,
 * changing nothing: on a first visit the browser compiles that code on first use, and the store runs this while
 * storage is read, so the first real write (today's) is not one long task. Only a speed-up: a failure is ignored.
 */
export function rehearseWrites(db: Database): void {
  db.exec('SAVEPOINT rehearsal');
  try {
    upsertTeams(db, [{ id: 'rehearsal', city: 'c', name: 'n', conference: 'East' }]);
    upsertPlayers(db, [{ id: 'rehearsal', name: 'n', teamId: 'rehearsal', position: 'G' }], 'rehearsal');
    upsertGames(db, [{ id: 'rehearsal', date: '2000-01-01', tipoff: '2000-01-01T00:00:00Z', homeTeamId: 'rehearsal', awayTeamId: 'rehearsal', status: 'final', homeScore: 1, awayScore: 0 }], 'rehearsal');
    upsertGameLogs(db, [{ gameId: 'rehearsal', playerId: 'rehearsal', teamId: 'rehearsal', opponentId: 'rehearsal', date: '2000-01-01', home: true, played: true, starter: true, minutes: 1, points: 1, rebounds: 1, assists: 1, threesMade: 1, dnpReason: null }]);
  } catch {
    // Nothing to undo but the savepoint's.
  } finally {
    db.exec('ROLLBACK TO rehearsal; RELEASE rehearsal');
  }
}
