// Loads the sql.js WASM from the app's own origin (Vite emits it as a hashed, precached asset).
import type { SqlJsStatic } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import emptyDatabase from 'virtual:nba-daily/empty-database';
import { gunzipBounded } from '../sync/gzip';

let compiling: Promise<WebAssembly.Module> | undefined;
let loading: Promise<SqlJsStatic> | undefined;
let warming: Promise<boolean> | undefined;

/** The sql.js WASM, compiled while it downloads (the page's preload, vite.config.ts, is the download used). */
function compileSqlite(): Promise<WebAssembly.Module> {
  const download = () => fetch(wasmUrl, { credentials: 'same-origin' });
  // As sql.js's own loader does: a host that serves the file with another MIME type gets the slower path.
  compiling ??= WebAssembly.compileStreaming(download()).catch(async () => WebAssembly.compile(await (await download()).arrayBuffer()));
  return compiling;
}

export function loadSqlite(): Promise<SqlJsStatic> {
  // The compiled module is kept for the warm-up worker; sql.js instantiates it instead of loading its own.
  // sql.js's script (55 KB) is a chunk of its own, loaded while the WASM compiles: in the entry chunk it would add
  // to the one task that parses and runs that chunk before anything is on screen.
  loading ??= (async () => {
    const [module, { instantiateSqlite }] = await Promise.all([compileSqlite(), import('./sqlite-module')]);
    return instantiateSqlite(module);
  })();
  return loading;
}

/**
 * How long the page waits at most for the warm-up once the worker has the module: on a slow device the worker may
 * run late, and the page's own statements then compile what they need, as without it.
 */
export const WARM_UP_WAIT_MS = 3000;

/**
 * Runs a first visit's SQL once in a worker of its own (sqlite-warm-up.worker.ts), so that the browser compiles the
 * WASM it runs there, off the UI thread, before the page's database runs it. Resolves true once that is done, false
 * when the worker failed, is unavailable or took longer than WARM_UP_WAIT_MS; never rejects. The worker starts at
 * once, so its script loads while the WASM downloads and compiles.
 */
export function warmUpSqlite(): Promise<boolean> {
  warming ??= (async () => {
    const started = performance.now();
    let worker: Worker | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      worker = new Worker(new URL('./sqlite-warm-up.worker.ts', import.meta.url), { type: 'module' });
      let timedOut = () => {};
      const answered = new Promise<boolean>((resolve) => {
        worker!.onmessage = ({ data }) => resolve(data === 'done');
        worker!.onerror = () => resolve(false);
        worker!.onmessageerror = () => resolve(false);
        timedOut = () => resolve(false);
      });
      const [module, template] = await Promise.all([compileSqlite(), loadEmptyDatabase()]);
      worker.postMessage({ module, template });
      timer = setTimeout(timedOut, WARM_UP_WAIT_MS);
      const done = await answered;
      performance.measure('nba-daily:sqlite-warm-up', { start: started, detail: { done } });
      return done;
    } catch {
      // No workers here (or none of module type), or the WASM did not compile: loadSqlite() tells that one.
      return false;
    } finally {
      clearTimeout(timer);
      // It ends itself once done; a late or failed one is ended here.
      worker?.terminate();
    }
  })();
  return warming;
}

/** The new-database file the build ships (empty-database.ts), or null if it cannot be read (the migrations then run). */
export async function loadEmptyDatabase(): Promise<Uint8Array | null> {
  try {
    return await gunzipBounded(Uint8Array.from(atob(emptyDatabase), (c) => c.charCodeAt(0)), 4 * 1024 * 1024);
  } catch {
    return null;
  }
}
