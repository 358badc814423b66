// Shared fixtures for unit tests: a migrated in-memory database, prediction and box-score builders.
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { migrate } from '../../web/src/lib/db/schema';
import { StaleJournalError, type LoadResult, type Persistence, type StoredEntry } from '../../web/src/lib/db/persistence';
import { setNode, setWall } from '../../web/src/lib/db/changes';
import { savePredictions } from '../../web/src/lib/db/predictions-repo';
import type { PlayerGameLog, Prediction } from '../../web/src/lib/domain/types';
import type { LeagueContext } from '../../web/src/lib/engine';

let sql: Promise<SqlJsStatic> | undefined;
export const loadSql = () => (sql ??= initSqlJs());

/** A migrated in-memory database whose writes are stamped as `node` at wall time `wall` (the fixtures' defaults). */
export async function freshDb(options: { node?: string; wall?: number } = {}): Promise<Database> {
  const SQL = await loadSql();
  const db = new SQL.Database();
  migrate(db);
  setNode(db, options.node ?? 'device-a');
  setWall(db, options.wall ?? 1_700_000_000_000);
  return db;
}

export function prediction(overrides: Partial<Prediction> = {}): Prediction {
  return {
    availabilityStatus: null,
    playerId: 'p1',
    gameDate: '2026-11-20',
    predictionDate: '2026-11-20',
    gameId: 'g1',
    playerName: 'Ava Smith',
    teamId: 'BOS',
    opponentId: 'NYK',
    projectedPoints: 20,
    floor: 12,
    ceiling: 28,
    confidence: 0.7,
    factors: {
      gamesPlayed: 10, seasonAvg: 19.5, last3Avg: 21, last5Avg: 20.2, vsOppAvg: null, vsOppGames: 0,
      oppDefFactor: 1.01, paceFactor: 0.99, home: true, restDays: 1,
    },
    modelVersion: 'v1.0.0',
    actualPoints: null,
    actualMinutes: null,
    didPlay: null,
    error: null,
    absError: null,
    inRange: null,
    updatedAt: 1_700_000_000_000,
    deviceId: 'device-a',
    deleted: false,
    ...overrides,
  };
}

/** An in-memory stand-in for IndexedDB with the same contract (base + journal), plus switches to make it fail. */
export class MemoryPersistence implements Persistence {
  record: unknown = undefined;
  journal: StoredEntry[] = [];
  generationValue = 0;
  quarantined = new Map<string, unknown>();
  failSaves: Error | null = null;
  failLoads: Error | null = null;
  /** What was written, for benchmarks: bytes of bases and of journal entries. */
  written = { bases: 0, baseBytes: 0, entries: 0, entryBytes: 0 };

  async load(): Promise<LoadResult> {
    if (this.failLoads) throw this.failLoads;
    if (this.record === undefined) return { kind: 'empty' };
    const r = this.record as { format?: unknown; bytes?: unknown; generation?: unknown };
    if ((r.format !== 1 && r.format !== 2) || !(r.bytes instanceof Uint8Array) || typeof r.generation !== 'number') {
      return { kind: 'foreign', raw: this.record, reason: 'unexpected shape', head: await this.head() };
    }
    return { kind: 'ok', record: this.record as never, journal: r.format === 2 ? this.journal.slice() : [], intact: false, head: await this.head() };
  }
  async generation() {
    return this.generationValue;
  }
  async head() {
    return { baseId: this.baseId(), generation: this.generationValue };
  }
  baseId() {
    const r = this.record as { format?: number; baseId?: string } | undefined;
    return r?.format === 2 ? (r.baseId ?? null) : null;
  }
  async save(bytes: Uint8Array, generation: number) {
    if (this.failSaves) throw this.failSaves;
    this.record = { format: 2, generation, savedAt: 0, bytes: bytes.slice(), baseId: `base-${generation}` };
    this.journal = [];
    this.generationValue = generation;
    this.written.bases++;
    this.written.baseBytes += bytes.length;
  }
  async replaceUnreadable(bytes: Uint8Array, generation: number, options: { expect: { baseId: string | null; generation: number }; raw: unknown }) {
    if (this.failSaves) throw this.failSaves;
    const head = await this.head();
    if (head.baseId !== options.expect.baseId || head.generation !== options.expect.generation) throw new StaleJournalError('stale');
    const key = await this.quarantine(options.raw);
    await this.save(bytes, generation);
    return { baseId: `base-${generation}`, key };
  }
  async append(bytes: Uint8Array, generation: number) {
    if (this.failSaves) throw this.failSaves;
    if (this.generationValue !== generation - 1 || (this.record as { format?: number } | undefined)?.format !== 2) {
      throw new StaleJournalError('stale');
    }
    this.journal.push({ generation, bytes: bytes.slice() });
    this.generationValue = generation;
    this.written.entries++;
    this.written.entryBytes += bytes.length;
  }
  async quarantine(raw: unknown) {
    const key = `quarantine-${this.quarantined.size}`;
    this.quarantined.set(key, raw);
    return key;
  }
}


/** A league with no team history yet (the engine's neutral context). */
export const EMPTY_LEAGUE: LeagueContext = { leaguePointsPerTeamGame: 115, teams: new Map() };

/** One played game for player p1 (BOS vs ATL, 30 minutes) on `date`; `over` changes any field. */
export function playerLog(date: string, points: number, over: Partial<PlayerGameLog> = {}): PlayerGameLog {
  return {
    gameId: `g-${date}`, playerId: 'p1', teamId: 'BOS', opponentId: 'ATL', date, home: true, played: true,
    starter: true, minutes: 30, points, rebounds: 5, assists: 3, threesMade: 1, dnpReason: null, ...over,
  };
}

/** The player ids of the stored predictions, sorted (any store, this build's or an older one's). */
export const storedPlayers = (store: { read<T>(fn: (db: Database) => T): T }): string[] =>
  store.read((db) => (db.exec('SELECT player_id FROM predictions ORDER BY player_id')[0]?.values ?? []).flat().map(String));

/** A write that logs one prediction per id. */
export const logPlayers =
  (...ids: string[]) =>
  (db: Database) =>
    savePredictions(db, ids.map((id) => prediction({ playerId: id })));

/** Opens an IndexedDB database as it is (fake-indexeddb in tests), to read or edit what the store keeps. */
export function openIdb(name: string): Promise<IDBDatabase> {
  const request = indexedDB.open(name);
  return new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
