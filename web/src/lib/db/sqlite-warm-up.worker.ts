// A dedicated worker that runs a first visit's SQL once (sqlite-warm-up.ts) on the WebAssembly module the page
// compiled, then ends. Chromium compiles WASM lazily, function by function, on first call, into code that every
// instance of the module shares, in any thread: what runs here first is compiled here, off the UI thread, and the
// page's database finds it compiled. Answers 'done' or 'failed' (only a speed-up: the page goes on either way).
import { instantiateSqlite } from './sqlite-module';
import { warmUp } from './sqlite-warm-up';

self.onmessage = async ({ data }: MessageEvent<{ module: WebAssembly.Module; template: Uint8Array | null }>) => {
  try {
    // The page's module, instantiated here: nothing is fetched or compiled again.
    const SQL = await instantiateSqlite(data.module);
    warmUp(SQL, data.template);
    self.postMessage('done');
  } catch {
    self.postMessage('failed');
  } finally {
    self.close();
  }
};
