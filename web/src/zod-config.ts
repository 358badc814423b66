// Imported first by main.ts. zod 4 compiles object parsers with `new Function` unless told not to; under the app's
// Content-Security-Policy (no 'unsafe-eval', see scripts/csp.ts) that probe would be refused and reported.
import { z } from 'zod';

z.config({ jitless: true });
// Every schema at module scope is a z.lazy, built on its first parse: building them all while the entry chunk loads
// was a third of a cold start's first long task (tests/unit/schemas-at-load.test.ts keeps it so).
