// What the browser scripts (bench-app, bench-views, screenshots) share: the built app served by `vite preview`,
// its bundle sizes, and a headless Chromium (Debian's when present).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

/** Prints each JS/WASM/CSS asset of the build with its gzip size. */
export function printBundleSizes(dist = 'dist') {
  for (const file of readdirSync(`${dist}/assets`).filter((f) => /\.(js|wasm|css)$/.test(f))) {
    const bytes = readFileSync(`${dist}/assets/${file}`);
    console.log(`${file.padEnd(40)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB  gzip ${(gzipSync(bytes).length / 1024).toFixed(1).padStart(6)} KB`);
  }
}

/**
 * Serves the build in `dist` (resolved here: vite resolves a relative --outDir against its root, web/) on `port`
 * and resolves once it answers. Refuses a port something already answers on, so a server left behind or another
 * build is never measured. Kill `server` when done.
 */
export async function startPreview(port, dist = 'dist') {
  const url = `http://127.0.0.1:${port}/`;
  if (await fetch(url).then(() => true, () => false)) throw new Error(`port ${port} is taken: set BENCH_PORT`);
  const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--outDir', resolve(dist), '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url);
      return { server, url };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  server.kill();
  throw new Error(`vite preview did not answer on ${url}`);
}

export const launchChromium = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });

/** Records every long task (window.__longTasks: start, duration) from the first byte of every page of `context`. */
export function observeLongTasks(context) {
  return context.addInitScript(() => {
    window.__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      /* no long-task support: the figure reads as n/a */
    }
  });
}

/**
 * A fresh context at a phone's width with the long-task observer, its page and a DevTools session on it, under
 * `throttle`× CPU (DevTools throttling; 1: none).
 */
export async function phoneContext(browser, throttle = 1) {
  const context = await browser.newContext({ viewport: { width: 412, height: 900 } });
  await observeLongTasks(context);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  return { context, page, cdp };
}
