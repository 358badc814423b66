// Measures the built app in headless Chromium: bundle sizes (gzip), navigation → first rendered slate
// (cold first visit, and warm reload while offline), and how long persisting the database takes after
// logging a slate. Prints medians over several runs. Then the views (issue 11's budgets), with and without
// 4× CPU throttling (a phone proxy): sorting and filtering the slate-wide player table, opening a player
// page, and the Accuracy view over ~35,000 logged predictions.
// Usage: npm run build && node scripts/bench-views.mjs [runs] --views-only   (scripts/bench-app.mjs measures start-up, saves and long tasks)
import { readFileSync } from 'node:fs';
import { launchChromium, printBundleSizes, startPreview } from './built-app.mjs';

const runs = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5);
const viewsOnly = process.argv.includes('--views-only');
const port = Number(process.env.BENCH_PORT ?? 4399);
// Another build to compare (vite build --outDir dist-b): BENCH_DIST=dist-b.
const dist = process.env.BENCH_DIST ?? 'dist';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

printBundleSizes(dist);
const { server, url } = await startPreview(port, dist);

const browser = await launchChromium();
const firstSlate = (page) =>
  page.waitForFunction(() => performance.getEntriesByName('nba-daily:first-slate')[0]?.startTime, undefined, { timeout: 60_000 }).then((h) => h.jsonValue());

const cold = [], warm = [], persist = [], dbSize = [], slate = [], project = [];
for (let i = 0; i < (viewsOnly ? 0 : runs); i++) {
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
const f = (x) => `${x.toFixed(0)} ms`;
if (!viewsOnly) {
console.log(`\nruns: ${runs}`);
console.log(`first slate, cold first visit (median): ${f(median(cold))}   [${cold.map(f).join(', ')}]`);
console.log(`first slate, warm reload offline (median): ${f(median(warm))}   [${warm.map(f).join(', ')}]`);
console.log(`projecting a full slate in the page (median of per-run medians): ${slate.map((x) => x.toFixed(1)).join(', ')} ms -> ${median(slate).toFixed(1)} ms`);
console.log(`  of which the engine's projections: ${project.map((x) => x.toFixed(1)).join(', ')} ms -> ${median(project).toFixed(1)} ms`);
console.log(`persist after logging a slate (median): ${f(median(persist))}   [${persist.map(f).join(', ')}]; database ${(median(dbSize) / 1024).toFixed(0)} KB`);
}

// ---- Views: time from the input to the next frame after the DOM is updated (so rendering counts). ----
/** Runs `act` in the page and resolves at the first animation frame after `ready()` holds. */
const timed = (page, act, ready) =>
  page.evaluate(
    ([actSrc, readySrc]) =>
      new Promise((resolve) => {
        const act = new Function(actSrc);
        const ready = new Function(`return (${readySrc})`);
        const start = performance.now();
        act();
        // work: until the DOM is updated and laid out (script + style + layout); frame: until the next frame starts.
        const check = () => {
          if (!ready()) return requestAnimationFrame(check);
          void document.body.offsetHeight;
          const work = performance.now() - start;
          requestAnimationFrame(() => resolve({ work, frame: performance.now() - start }));
        };
        queueMicrotask(check);
      }),
    [act, ready],
  );

/** A season's worth of logged, scored predictions built from the app's own CSV export (one row copied). */
function seasonCsv(exported, rows = 35_000) {
  const lines = exported.trim().split('\r\n');
  const header = lines[0].split(',');
  const base = lines[1].split(',');
  const col = (name) => header.indexOf(name);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out = [lines[0]];
  for (let i = 0; i < rows; i++) {
    const r = [...base];
    const day = new Date(Date.UTC(2025, 9, 21) + Math.floor(i / 233) * 86_400_000).toISOString().slice(0, 10);
    const projected = Math.round(rand() * 300) / 10;
    const sd = 2 + projected * 0.25;
    const actual = rand() < 0.04 ? null : Math.max(0, Math.round(projected + (rand() + rand() + rand() - 1.5) * 2 * sd));
    r[col('player_id')] = `bench-${i % 450}`;
    r[col('player_name')] = `Bench Player ${i % 450}`;
    r[col('team_id')] = ['BOS', 'NYK', 'LAL', 'GSW', 'DEN', 'MIA'][i % 6];
    r[col('game_date')] = day;
    r[col('prediction_date')] = day;
    r[col('game_id')] = `bench-game-${day}-${i % 15}`;
    r[col('projected_points')] = String(projected);
    r[col('floor')] = String(Math.max(0, Math.round((projected - 1.28 * sd) * 10) / 10));
    r[col('ceiling')] = String(Math.round((projected + 1.28 * sd) * 10) / 10);
    r[col('actual_points')] = actual === null ? '0' : String(actual);
    r[col('actual_minutes')] = actual === null ? '0' : '30';
    r[col('did_play')] = actual === null ? 'false' : 'true';
    for (const c of ['error', 'abs_error', 'in_range']) r[col(c)] = '';
    out.push(r.join(','));
  }
  return out.join('\r\n');
}

async function benchViews(throttle) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url);
  await firstSlate(page);
  await page.waitForFunction(() => !document.querySelector('.log-bar button.primary')?.hasAttribute('disabled'), undefined, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Log predictions' }).click();
  await page.locator('.log-message').filter({ hasText: /Logged/ }).waitFor();
  const cdp = await context.newCDPSession(page);
  const setThrottle = (rate) => cdp.send('Emulation.setCPUThrottlingRate', { rate });

  // Slate table: alternate sort columns and a team filter.
  await page.getByRole('button', { name: 'Player table' }).click();
  await page.getByTestId('slate-row').first().waitFor();
  // The table is windowed: aria-rowcount is every player (plus the header row); slate-row counts the drawn rows.
  const drawnRows = await page.getByTestId('slate-row').count();
  // (A build from before the windowed table, BENCH_DIST, draws every row and has no aria-rowcount.)
  const players = (await page.getByTestId('slate-table').count()) ? Number(await page.getByTestId('slate-table').getAttribute('aria-rowcount')) - 1 : drawnRows;
  await setThrottle(throttle);
  const sortMs = [], filterMs = [], computeMs = [];
  const columns = ['Proj', 'Player', 'Min', 'Conf', 'Team', 'Floor–ceiling'];
  for (let i = 0; i < 12; i++) {
    const name = columns[i % columns.length];
    const first = await page.getByTestId('slate-row').first().textContent();
    sortMs.push(await timed(page, `[...document.querySelectorAll('th button.sort')].find((b) => b.textContent.trim().startsWith(${JSON.stringify(name)})).click()`, 'true'));
  }
  const teams = await page.locator('#slate-team option').evaluateAll((os) => os.map((o) => o.value));
  for (let i = 0; i < 10; i++) {
    const team = teams[1 + (i % (teams.length - 1))];
    filterMs.push(
      await timed(
        page,
        `const s = document.querySelector('#slate-team'); s.value = ${JSON.stringify(team)}; s.dispatchEvent(new Event('change', { bubbles: true }))`,
        `[...document.querySelectorAll('[data-testid=slate-row] td:first-of-type')].every((td) => td.textContent === ${JSON.stringify(team)})`,
      ),
    );
  }
  computeMs.push(...(await page.evaluate(() => performance.getEntriesByName('nba-daily:slate-table').slice(-22).map((e) => e.duration))));

  // Player page: open different players by link (the chunk is loaded once first).
  const ids = await page.locator('[data-testid=slate-row] th a').evaluateAll((as) => as.slice(0, 12).map((a) => a.getAttribute('href')));
  const playerMs = [];
  for (const href of ids) {
    playerMs.push(await timed(page, `location.hash = ${JSON.stringify(href)}`, `document.querySelector('[data-testid=player-mae]') && document.querySelector('h1')?.id === 'player-title' && location.hash === ${JSON.stringify(href)} && !!document.querySelector('.chart canvas')`));
    await timed(page, `location.hash = '#/today?show=table'`, `!!document.querySelector('[data-testid=slate-row]')`);
  }

  // Accuracy over ~35,000 logged predictions, imported through History's own CSV import.
  await setThrottle(1);
  await page.getByRole('link', { name: 'History' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const exported = readFileSync(await download.path(), 'utf8');
  await page.locator('input[type=file]').setInputFiles({ name: 'season.csv', mimeType: 'text/csv', buffer: Buffer.from(seasonCsv(exported)) });
  await page.getByText(/Import: \d+ added/).waitFor({ timeout: 120_000 });
  const total = Number(/(\d+) predictions/.exec(await page.getByRole('navigation', { name: 'Pages' }).textContent())[1]);
  await setThrottle(throttle);
  const accuracyMs = [], accuracyBuild = [], breakdownMs = [];
  for (let i = 0; i < 7; i++) {
    // A different custom range each time: a cache miss, as after new data arrives.
    const href = `#/accuracy?range=custom&from=2025-10-${String(10 + i).padStart(2, '0')}`;
    await timed(page, `location.hash = '#/settings'`, `!!document.querySelector('#settings-title')`);
    await page.evaluate(() => performance.clearMeasures('nba-daily:accuracy'));
    accuracyMs.push(await timed(page, `location.hash = ${JSON.stringify(href)}`, `!!document.querySelector('[data-testid=accuracy-count]') && !!document.querySelector('.chart canvas')`));
    accuracyBuild.push(await page.evaluate(() => Math.max(...performance.getEntriesByName('nba-daily:accuracy').map((e) => e.duration))));
    // The team breakdown is read when its section is opened: time that too (then close it again).
    const byTeam = `[...document.querySelectorAll('details')].find((d) => d.querySelector('summary').textContent.startsWith('By team'))`;
    breakdownMs.push(await timed(page, `${byTeam}.open = true`, `!!${byTeam}.querySelector('tbody tr')`));
    await page.evaluate(`${byTeam}.open = false`);
  }
  const scored = await page.getByTestId('accuracy-count').textContent();
  await setThrottle(1);
  await context.close();
  const m = (xs) => `${median(xs.map((x) => x.work)).toFixed(1)} ms (next frame ${median(xs.map((x) => x.frame)).toFixed(1)} ms)`;
  const mm = (xs) => `${median(xs).toFixed(1)} ms`;
  console.log(`\nviews, CPU throttling ${throttle}×:`);
  console.log(`  slate table (${players} players, ${drawnRows} rows drawn): sort click → updated ${m(sortMs)}; team filter → updated ${m(filterMs)}; table-core compute ${mm(computeMs)}`);
  console.log(`  player page: link → rendered with chart ${m(playerMs.slice(1))} (first open, loading the chunk: ${playerMs[0].work.toFixed(1)} ms)`);
  const drawing = accuracyMs.map((x, i) => x.work - accuracyBuild[i]);
  console.log(`  accuracy (${total} logged, ${scored} scored in range): hash → rendered with charts ${m(accuracyMs)}; read model ${mm(accuracyBuild)}; the rest (drawing) ${mm(drawing)}`);
  console.log(`  accuracy: opening "By team" (its own read, on demand) → rendered ${m(breakdownMs)}`);
}

try {
  await benchViews(1);
  await benchViews(4);
} finally {
  // Also on a failure: a preview server left behind would answer the next run on this port.
  await browser.close();
  server.kill();
}
