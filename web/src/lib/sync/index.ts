// Sync's public surface: the app's controllers use only what is exported here.
export { WorkerApi, SYNC_PROTOCOL, type BackupInfo, type WorkerConfig } from './api';
export { WorkerChain } from './chain-worker';
export { syncRound, type SyncOutcome, type SkippedObject, type SyncableStore } from './round';
export { GaveUpError, RemoteDataError, SyncHttpError } from './errors';
export { SyncScheduler, type SyncPhase } from './scheduler';
export { idbSyncState, loadWorkerConfig, parseWorkerConfig, saveWorkerConfig, stateFor, type StoredWorkerConfig, type SyncState, SyncStateOwner } from './state';
export { presignedGet, presignedPut } from './transfer';
export { openRemoteDatabase } from './remote';
export { mergeDatabase, type MergeReport } from './merge';
export { replaceWithBackup, type ReplaceReport } from './restore';
