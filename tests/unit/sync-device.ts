// A device of the sync tests: a store (this build's, over the persistence given) with its own sync state and client
// of one in-memory chain, and its sync round, all on one test clock.
import type { SqlJsStatic } from 'sql.js';
import type { Persistence } from '../../web/src/lib/db/persistence';
import { DatabaseStore } from '../../web/src/lib/db/store';
import { syncRound } from '../../web/src/lib/sync/round';
import { memorySyncState } from '../../web/src/lib/sync/state';
import type { MemoryChain } from './memory-chain';

export async function syncDevice(options: { SQL: SqlJsStatic; chain: MemoryChain; time: { now: number }; node: string; persistence: Persistence; opened: DatabaseStore[] }) {
  const { SQL, chain, time, node, persistence } = options;
  const { store } = await DatabaseStore.open({ SQL, persistence, node, now: () => time.now, channelName: `${node}-${Math.random()}` });
  options.opened.push(store);
  const state = memorySyncState();
  const client = chain.client();
  const sync = () => syncRound({ chain: client, store, SQL, state, now: () => time.now, build: { stepMs: 0 } });
  return { store, state, sync };
}

/**
 * The next journal append through `persistence` waits until the returned `settle` says how it ends: with an error
 * (the save fails, as on a quota or an IndexedDB error), or with none (it goes on and is stored).
 */
export function holdNextAppend(persistence: Persistence): { settle: (error?: Error) => void } {
  const append = persistence.append.bind(persistence);
  let settle: (error?: Error) => void = () => undefined;
  let held = true;
  persistence.append = async (...args) => {
    if (held) {
      held = false;
      await new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
    }
    return append(...args);
  };
  return { settle: (error) => settle(error) };
}
