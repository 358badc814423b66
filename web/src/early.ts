// The page's first script (listed before the entry in index.html, a chunk of its own): starts what a warm start
// reads from IndexedDB while the entry chunk loads (lib/db/early-reads.ts).
import { beginEarlyReads, DATABASE_NAME, STARTUP_VIEW_KEY, STARTUP_VIEW_NAME } from './lib/db/early-reads';
import { HEAD_KEYS } from './lib/db/head';
import { startFormatWarmUp } from './lib/ui/format';

// The stored database's head, and the slate view kept for start-up (checked against that head).
beginEarlyReads({ [DATABASE_NAME]: HEAD_KEYS, [STARTUP_VIEW_NAME]: [STARTUP_VIEW_KEY] });
// The locale's data for the slate's times, loaded in a worker while the entry chunk loads (ui/format.ts).
startFormatWarmUp();
