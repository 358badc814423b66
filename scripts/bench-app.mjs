// Measures the built app in headless Chromium: bundle sizes (gzip); navigation → first rendered slate (cold first
// visit, warm reload while offline) with a breakdown of where the time goes; the save after logging a slate; the
// longest UI-thread task (PerformanceObserver 'longtask') while opening the app, logging a slate, switching views and
// syncing (a first sync and a round after a logged slate, against the presign worker on Node and the running S3).
// Every figure is a median over fresh browser contexts, unthrottled and under 4× CPU throttling (DevTools protocol,
// a phone proxy). Two datasets: the simulated league's 60-odd days, and two real seasons imported through the app's
// own importer (the CSVs in ../shared/data/nba/seasons, when present).
//   npm run build && node scripts/bench-app.mjs [runs]        (BENCH_PORT=4399, BENCH_DIST=dist, BENCH_SEASONS=<dir>,
//   BENCH_THROTTLE=1,4, BENCH_WORKER_PORT=8799, BENCH_SYNC=0 to skip the sync scenario)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, phoneContext, printBundleSizes, startPreview } from './built-app.mjs';

const runs = Number(process.argv[2] ?? 5);
const port = Number(process.env.BENCH_PORT ?? 4399);
const seasonsDir = process.env.BENCH_SEASONS ?? join(process.cwd(), '../shared/data/nba/seasons');
const dist = process.env.BENCH_DIST ?? 'dist';
const throttles = (process.env.BENCH_THROTTLE ?? '1,4').split(',').map(Number);
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};


/** The presign worker (and S3 bucket) for the sync scenario: scripts/bench-stack.ts, one token per run. */
async function startSyncStack(origin, tokens) {
  if (process.env.BENCH_SYNC === '0') return null;
  const workerPort = Number(process.env.BENCH_WORKER_PORT ?? 8799);
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/bench-stack.ts', origin, String(workerPort), String(tokens)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => reject(new Error('scripts/bench-stack.ts exited before it answered')));
  });
  const info = JSON.parse(line);
  if (info.error) {
    console.log(`(sync scenario skipped: ${info.error})`);
    child.stdin.end();
    return null;
  }
  return { ...info, stop: () => child.stdin.end() };
}


// ---------------------------------------------------------------------------------------------
// In-page measurement helpers

const newContext = phoneContext;

const firstSlate = (page) =>
  page.waitForFunction(() => performance.getEntriesByName('nba-daily:first-slate')[0]?.startTime, undefined, { timeout: 120_000 }).then((h) => h.jsonValue());

const now = (page) => page.evaluate(() => performance.now());

/** The longest long task that started in [from, to] (page clock), 0 when there was none. */
const longestTask = (page, from, to) =>
  page.evaluate(([a, b]) => Math.max(0, ...window.__longTasks.filter((t) => t.start >= a && t.start <= b).map((t) => t.duration)), [from, to]);

/**
 * Where a first slate's time went, from navigation start (all in ms): the service worker's start, the document,
 * the entry script parsed and run, the sql.js load (WASM fetch + compile + instantiate), the IndexedDB read,
 * opening the database (validate + migrate), the first slate's queries + engine, and what is left until the
 * frame after it (render and waiting on the backfill's first batch on a first visit).
 */
const breakdown = (page) =>
  page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const one = (name) => performance.getEntriesByName(name)[0];
    const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
    const sqlite = one('nba-daily:sqlite-load');
    const slate = one('nba-daily:slate');
    // A first visit with nothing stored: the first slate is made from the fetched day, before SQLite.
    const fetched = one('nba-daily:fetched-slate');
    const first = one('nba-daily:first-slate')?.startTime;
    const open = one('nba-daily:db-open');
    const batch = one('nba-daily:backfill-batch');
    return {
      sw: nav.workerStart > 0 ? nav.fetchStart - nav.workerStart : 0,
      document: nav.responseEnd - nav.startTime,
      script: (one('nba-daily:main')?.startTime ?? NaN) - nav.responseEnd,
      wasmFetch: wasm ? wasm.responseEnd - wasm.startTime : NaN,
      startupView: one('nba-daily:startup-view')?.duration ?? NaN,
      sqlite: sqlite?.duration,
      idbRead: one('nba-daily:idb-read')?.duration,
      dbOpen: open?.duration ?? 0,
      dbValidate: open?.detail?.validateMs,
      dbReplay: open?.detail?.replayMs,
      dbCreate: open?.detail?.createMs,
      dbFirstSave: open?.detail?.saveMs,
      // A first visit: the backfill's first batch (the days the first slate waits for), fetched then written.
      batchDays: batch?.detail?.days,
      batchFetch: batch?.detail?.fetchMs,
      batchWrite: batch?.detail?.writeMs,
      openToBatch: batch && open ? batch.startTime - (open.startTime + open.duration) : NaN,
      slate: slate?.duration,
      engine: one('nba-daily:project')?.duration,
      fetchedSlate: fetched?.duration,
      afterSlate: fetched ? first - (fetched.startTime + fetched.duration) : slate ? first - (slate.startTime + slate.duration) : NaN,
      beforeSlate: !fetched && slate && sqlite ? slate.startTime - (sqlite.startTime + sqlite.duration) : NaN,
      total: first,
      // The first slate with projections on screen (on a first visit, after the history), when it has come.
      projected: one('nba-daily:first-projected-slate')?.startTime,
    };
  });

async function waitUntilReady(page) {
  await page.getByRole('button', { name: 'Log predictions' }).waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => !document.querySelector('.progress, [role="progressbar"]'), undefined, { timeout: 300_000 });
  await page.waitForFunction(() => !document.querySelector('button.primary')?.hasAttribute('disabled'), undefined, { timeout: 120_000 });
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated' && !!navigator.serviceWorker.controller);
}

/** Logs the slate; returns the save's time and size, and the longest task meanwhile. */
async function logSlate(page) {
  await page.evaluate(() => performance.clearMeasures('nba-daily:persist'));
  const t0 = await now(page);
  await page.getByRole('button', { name: 'Log predictions' }).click();
  await page.locator('.log-message').filter({ hasText: /Logged|Already/ }).waitFor({ timeout: 120_000 });
  const t1 = await now(page);
  const saves = await page.evaluate(() => performance.getEntriesByName('nba-daily:persist').map((e) => ({ d: e.duration, ...e.detail })));
  // Summed over every write the log made (one today; a log split into several writes would count them all).
  const sum = (k) => saves.reduce((total, s) => total + (s[k] ?? 0), 0);
  const parts = { captureMs: sum('captureMs'), gzipMs: sum('gzipMs'), idbMs: sum('idbMs') };
  const kinds = [...new Set(saves.map((s) => s.kind))].join('+');
  return { save: sum('d'), writes: saves.length, largest: Math.max(0, ...saves.map((s) => s.d)), bytes: sum('bytes'), kind: kinds, parts, longest: await longestTask(page, t0, t1) };
}

/** History → Accuracy → Settings → Today's Games, each view rendered; the longest task meanwhile. */
async function switchViews(page) {
  const t0 = await now(page);
  for (const [name, ready] of [
    ['History', 'h1:has-text("History")'],
    ['Accuracy', 'h1:has-text("Accuracy")'],
    ['Settings', 'h1:has-text("Settings")'],
    ["Today's Games", '[data-testid="game-card"]'],
  ]) {
    await page.getByRole('link', { name }).first().click();
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  return longestTask(page, t0, await now(page));
}

/**
 * Connects the app to the worker (a fresh namespace) and measures its first sync (the whole database goes up),
 * then logs the next day's slate and measures the sync round that sends it: each round's time (the app's
 * 'nba-daily:sync-round' measure) and the longest task while it ran.
 */
async function syncRounds(page, workerUrl, token) {
  const rounds = () => page.evaluate(() => performance.getEntriesByName('nba-daily:sync-round').map((e) => ({ start: e.startTime, ms: e.duration })));
  const nextRound = async (after) => {
    await page.waitForFunction((t) => performance.getEntriesByName('nba-daily:sync-round').some((e) => e.startTime >= t), after, { timeout: 300_000 });
    const round = (await rounds()).find((r) => r.start >= after);
    // The saves the round made (sync writes its bookkeeping through the store): kind, size, time.
    const saves = await page.evaluate(([a, b]) => performance.getEntriesByName('nba-daily:persist').filter((e) => e.startTime >= a && e.startTime <= b).map((e) => `${e.detail.kind} ${(e.detail.bytes / 1024).toFixed(0)} KB ${e.duration.toFixed(0)} ms`), [round.start, round.start + round.ms]);
    // The round's changeset build and snapshot (export, gzip), when it made them.
    const parts = await page.evaluate(([a, b]) => ['nba-daily:sync-build', 'nba-daily:snapshot'].flatMap((n) => performance.getEntriesByName(n).filter((e) => e.startTime >= a && e.startTime <= b).map((e) => `${n.slice(10)} ${e.duration.toFixed(0)} ms ${JSON.stringify(e.detail)}`)), [round.start, round.start + round.ms]);
    if (process.env.BENCH_VERBOSE) console.log(`  round ${round.ms.toFixed(0)} ms; saves: ${saves.join(', ') || 'none'}; ${parts.join('; ')}; long tasks: ${JSON.stringify(await page.evaluate(([a, b]) => window.__longTasks.filter((t) => t.start >= a && t.start <= b).map((t) => Math.round(t.duration)), [round.start, round.start + round.ms]))}`);
    return { ms: round.ms, longest: await longestTask(page, round.start, round.start + round.ms) };
  };
  const link = Buffer.from(JSON.stringify({ workerUrl, token })).toString('base64url');
  const t0 = await now(page);
  await page.evaluate((l) => (location.hash = `#connect=${l}`), link);
  const first = await nextRound(t0);
  await page.getByTestId('sync-badge').filter({ hasText: /^Synced$/ }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: "Today's Games" }).first().click();
  await page.getByRole('button', { name: 'Next day' }).click();
  await page.waitForFunction(() => !document.querySelector('button.primary')?.hasAttribute('disabled'), undefined, { timeout: 120_000 });
  const t1 = await now(page);
  await page.getByRole('button', { name: 'Log predictions' }).click();
  await page.locator('.log-message').filter({ hasText: /Logged/ }).waitFor({ timeout: 120_000 });
  // The change syncs on its own after the scheduler's debounce.
  const changed = await nextRound(t1);
  await page.getByTestId('sync-badge').filter({ hasText: /^Synced$/ }).waitFor({ timeout: 60_000 });
  return { first, changed };
}

async function warmOfflineReload(context, page) {
  await context.setOffline(true);
  await page.reload();
  const total = await firstSlate(page);
  await page.getByRole('button', { name: 'Log predictions' }).waitFor();
  if (process.env.BENCH_VERBOSE) await printTasksAndMarks(page, total + 200);
  return { total, phases: await breakdown(page), longest: await longestTask(page, 0, total + 200) };
}

/** BENCH_VERBOSE: the long tasks until `until` (page clock), each after the app's marks that came before it. */
async function printTasksAndMarks(page, until) {
  const { tasks, marks } = await page.evaluate((end) => ({
    tasks: window.__longTasks.filter((t) => t.start <= end).map((t) => ({ name: `LONG TASK ${Math.round(t.duration)} ms`, start: t.start })),
    marks: performance.getEntries().filter((e) => e.name.startsWith('nba-daily:') && e.startTime <= end).map((e) => ({ name: `${e.name} +${Math.round(e.duration)}`, start: e.startTime })),
  }), until);
  for (const e of [...marks, ...tasks].sort((a, b) => a.start - b.start)) console.log(`    ${e.start.toFixed(0).padStart(6)}  ${e.name}`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** 60 days of simulated history: cold first visit, log a slate, switch views, warm reload offline. */
async function simulatedRun(browser, url, throttle) {
  const { context, page } = await newContext(browser, throttle);
  await page.goto(url);
  const coldTotal = await firstSlate(page);
  if (process.env.BENCH_VERBOSE) await printTasksAndMarks(page, coldTotal + 200);
  const cold = { total: coldTotal, phases: await breakdown(page), longest: await longestTask(page, 0, coldTotal + 200) };
  await waitUntilReady(page);
  cold.phases.projected = await page.evaluate(() => performance.getEntriesByName('nba-daily:first-projected-slate')[0]?.startTime ?? NaN);
  const openLongest = await longestTask(page, 0, await now(page));
  const log = await logSlate(page);
  const views = await switchViews(page);
  const warm = await warmOfflineReload(context, page);
  await context.close();
  return { cold, openLongest, log, views, warm };
}

/** Two real seasons imported through Settings → Import game history, then the same measurements. */
async function twoSeasonRun(browser, url, throttle, files, sync) {
  const { context, page } = await newContext(browser, 1);
  await page.goto(url);
  await waitUntilReady(page);
  await page.getByRole('link', { name: 'Settings' }).first().click();
  for (const file of files) {
    await page.locator('input[type="file"][accept*=".db"]').setInputFiles(file);
    await page.getByText(/Imported \d+ box-score lines/).waitFor({ timeout: 300_000 });
  }
  await page.getByRole('link', { name: "Today's Games" }).first().click();
  await page.locator('[data-testid="game-card"]').first().waitFor();
  if (throttle > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const log = await logSlate(page);
  const views = await switchViews(page);
  const synced = sync ? await syncRounds(page, sync.workerUrl, sync.tokens[sync.next++]) : null;
  const warm = await warmOfflineReload(context, page);
  await context.close();
  return { log, views, synced, warm };
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const PHASES = [
  ['sw', 'service worker start'],
  ['document', 'document (nav → response end)'],
  ['script', 'JS parse + run until main'],
  ['startupView', 'start-up slate read (app start → read)'],
  ['wasmFetch', 'WASM fetch'],
  ['sqlite', 'sql.js load (WASM compile + init)'],
  ['idbRead', 'IndexedDB read'],
  ['dbOpen', 'open database (validate, replay, migrate)'],
  ['dbValidate', '  of which deserialize + validate'],
  ['dbReplay', '  of which journal replay'],
  ['dbCreate', '  of which new database (migrations)'],
  ['dbFirstSave', '  of which its first save'],
  ['openToBatch', 'database open → first batch starts'],
  ['batchFetch', 'first backfill batch: fetch'],
  ['batchWrite', 'first backfill batch: write + save'],
  ['beforeSlate', 'sqlite ready → slate query starts'],
  ['fetchedSlate', 'app start → today fetched, its games shown'],
  ['slate', 'first slate: queries + engine'],
  ['engine', '  of which engine'],
  ['afterSlate', 'slate built → frame painted'],
  ['total', 'first rendered slate'],
  ['projected', 'first projected slate'],
];

function printBreakdown(title, samples) {
  console.log(`  ${title}`);
  for (const [key, label] of PHASES) if (samples.some((s) => Number.isFinite(s.phases[key]))) console.log(`    ${label.padEnd(36)} ${ms(median(samples.map((s) => s.phases[key]))).padStart(8)}`);
  const days = median(samples.map((s) => s.phases.batchDays));
  if (Number.isFinite(days)) console.log(`    (first backfill batch: ${days} days)`);
  console.log(`    longest task ${ms(median(samples.map((s) => s.longest)))}`);
}

function printSimulated(throttle, results) {
  console.log(`\n== 60 days simulated, CPU ×${throttle}, ${results.length} fresh contexts (medians) ==`);
  console.log(`first slate cold: ${ms(median(results.map((r) => r.cold.total)))} [${results.map((r) => ms(r.cold.total)).join(', ')}]`);
  console.log(`first projected slate cold: ${ms(median(results.map((r) => r.cold.phases.projected)))} [${results.map((r) => ms(r.cold.phases.projected)).join(', ')}]`);
  console.log(`first slate warm offline: ${ms(median(results.map((r) => r.warm.total)))} [${results.map((r) => ms(r.warm.total)).join(', ')}]`);
  printBreakdown('cold first visit', results.map((r) => r.cold));
  printBreakdown('warm offline reload', results.map((r) => r.warm));
  console.log(`save after logging a slate: ${ms(median(results.map((r) => r.log.save)))} [${results.map((r) => ms(r.log.save)).join(', ')}]; ${saveShape(results)}`);
  console.log(`  ${saveParts(results)}`);
  console.log(`longest task: opening ${ms(median(results.map((r) => r.openLongest)))}, logging ${ms(median(results.map((r) => r.log.longest)))}, switching views ${ms(median(results.map((r) => r.views)))}`);
}

/** How the logging's save was made: how many writes (summed above), the largest single save, the bytes stored. */
function saveShape(results) {
  const m = (k) => median(results.map((r) => r.log[k]));
  return `summed over ${m('writes')} writes, largest single save ${ms(m('largest'))}; stored ${(m('bytes') / 1024).toFixed(0)} KB`;
}

/** The save's parts (summed over its writes), when it went to the journal: capture (rows → changeset), gzip, the IndexedDB transaction. */
function saveParts(results) {
  const m = (k) => ms(median(results.map((r) => r.log.parts?.[k])));
  return `${results[0]?.log.kind ?? '?'} write; capture ${m('captureMs')}, gzip ${m('gzipMs')}, IndexedDB ${m('idbMs')}`;
}

function printTwoSeasons(throttle, results, simulated) {
  console.log(`\n== two seasons imported, CPU ×${throttle}, ${results.length} fresh contexts (medians) ==`);
  const save = median(results.map((r) => r.log.save));
  console.log(`save after logging a slate: ${ms(save)} [${results.map((r) => ms(r.log.save)).join(', ')}]; ${saveShape(results)}`);
  console.log(`  ${saveParts(results)}`);
  if (simulated) console.log(`  ratio to the 60-day save: ${(save / median(simulated.map((r) => r.log.save))).toFixed(2)}`);
  console.log(`first slate warm offline: ${ms(median(results.map((r) => r.warm.total)))} [${results.map((r) => ms(r.warm.total)).join(', ')}]`);
  printBreakdown('warm offline reload', results.map((r) => r.warm));
  console.log(`longest task: logging ${ms(median(results.map((r) => r.log.longest)))}, switching views ${ms(median(results.map((r) => r.views)))}`);
  if (results[0]?.synced) {
    for (const [key, label] of [['first', 'first sync (whole database up)'], ['changed', 'sync round after logging a slate']]) {
      const rounds = results.map((r) => r.synced[key]);
      console.log(`${label}: ${ms(median(rounds.map((r) => r.ms)))} [${rounds.map((r) => ms(r.ms)).join(', ')}]; longest task ${ms(median(rounds.map((r) => r.longest)))} [${rounds.map((r) => ms(r.longest)).join(', ')}]`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

printBundleSizes(dist);
const { server, url } = await startPreview(port, dist);
const seasonFiles = existsSync(seasonsDir) ? readdirSync(seasonsDir).filter((f) => /^player_games_.*\.csv$/.test(f)).map((f) => join(seasonsDir, f)) : [];
const sync = seasonFiles.length ? await startSyncStack(url.replace(/\/$/, ''), runs * throttles.length) : null;
if (sync) sync.next = 0;
const browser = await launchChromium();
try {
  for (const throttle of throttles) {
    const simulated = [];
    for (let i = 0; i < runs; i++) simulated.push(await simulatedRun(browser, url, throttle));
    printSimulated(throttle, simulated);
    if (seasonFiles.length) {
      const seasons = [];
      for (let i = 0; i < runs; i++) seasons.push(await twoSeasonRun(browser, url, throttle, seasonFiles, sync));
      printTwoSeasons(throttle, seasons, simulated);
    } else {
      console.log(`\n(no season CSVs in ${seasonsDir}: the two-season scenario is skipped)`);
    }
  }
} finally {
  await browser.close();
  server.kill();
  sync?.stop();
}
