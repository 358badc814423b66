// Measures the built app in headless Chromium: bundle sizes (gzip), navigation → first rendered slate
// (cold first visit, and warm reload while offline), and how long persisting the database takes after
// logging a slate. Prints medians over several runs. Usage: npm run build && node scripts/bench-app.mjs [runs]
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const runs = Number(process.argv[2] ?? 5);
const port = 4399;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const assets = readdirSync('dist/assets');
for (const file of assets.filter((f) => /\.(js|wasm|css)$/.test(f))) {
  const bytes = readFileSync(`dist/assets/${file}`);
  console.log(`${file.padEnd(40)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB  gzip ${(gzipSync(bytes).length / 1024).toFixed(1).padStart(6)} KB`);
}

const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try {
    await fetch(url);
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const firstSlate = (page) =>
  page.waitForFunction(() => performance.getEntriesByName('nba-daily:first-slate')[0]?.startTime, undefined, { timeout: 60_000 }).then((h) => h.jsonValue());

const cold = [], warm = [], persist = [], dbSize = [], slate = [], project = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 412, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  cold.push(await firstSlate(page));
  await page.getByRole('button', { name: 'Log predictions' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('button.primary')?.hasAttribute('disabled'), undefined, { timeout: 60_000 });
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated' && !!navigator.serviceWorker.controller);
  await page.evaluate(() => performance.clearMeasures('nba-daily:persist'));
  await page.getByRole('button', { name: 'Log predictions' }).click();
  await page.locator('.log-message').filter({ hasText: /Logged/ }).waitFor();
  const m = await page.evaluate(() => performance.getEntriesByName('nba-daily:persist').map((e) => ({ d: e.duration, b: e.detail?.bytes })));
  persist.push(m.at(-1).d);
  dbSize.push(m.at(-1).b);
  // Projecting a whole slate (engine + queries), measured in the page on each rebuild; take this run's median.
  const builds = await page.evaluate(() => performance.getEntriesByName('nba-daily:slate').map((e) => e.duration));
  slate.push(median(builds));
  project.push(median(await page.evaluate(() => performance.getEntriesByName('nba-daily:project').map((e) => e.duration))));
  await context.setOffline(true);
  await page.reload();
  warm.push(await firstSlate(page));
  await context.close();
}
await browser.close();
server.kill();
const f = (x) => `${x.toFixed(0)} ms`;
console.log(`\nruns: ${runs}`);
console.log(`first slate, cold first visit (median): ${f(median(cold))}   [${cold.map(f).join(', ')}]`);
console.log(`first slate, warm reload offline (median): ${f(median(warm))}   [${warm.map(f).join(', ')}]`);
console.log(`projecting a full slate in the page (median of per-run medians): ${slate.map((x) => x.toFixed(1)).join(', ')} ms -> ${median(slate).toFixed(1)} ms`);
console.log(`  of which the engine's projections: ${project.map((x) => x.toFixed(1)).join(', ')} ms -> ${median(project).toFixed(1)} ms`);
console.log(`persist after logging a slate (median): ${f(median(persist))}   [${persist.map(f).join(', ')}]; database ${(median(dbSize) / 1024).toFixed(0)} KB`);
