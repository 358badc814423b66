// Imported first by main.ts. zod 4 compiles object parsers with `new Function` unless told not to; under the app's
// Content-Security-Policy (no 'unsafe-eval', see scripts/csp.ts) that probe would be refused and reported.
import { z } from 'zod';

z.config({ jitless: true });
