// A cold first visit, timed to the first projected numbers on a card and to a loggable slate (projections shown and
// "Log predictions" enabled), beside bench-app's "first slate" mark, which since the start-up change is the
// provisional games-only slate. Medians of N fresh contexts, headless Chromium, the simulated league.
//   npm run build && node scripts/bench-first-projections.mjs 5      (BENCH_DIST, BENCH_PORT, BENCH_THROTTLE)
import { launchChromium, startPreview } from './built-app.mjs';

const dist = process.env.BENCH_DIST ?? 'dist';
const runs = Number(process.argv[2] ?? 5);
const throttle = Number(process.env.BENCH_THROTTLE ?? 1);
const { server, url } = await startPreview(Number(process.env.BENCH_PORT ?? 4399), dist);
const browser = await launchChromium();
const rows = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 412, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.goto(url);
    // Polled every frame: the page clock when the condition first holds.
    const when = (needLog) =>
      page
        .waitForFunction((log) => {
          const projected = document.querySelector('[data-testid="game-card"] .scorers td.num');
          const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Log predictions');
          return projected && (!log || (button && !button.disabled)) ? performance.now() : 0;
        }, needLog, { timeout: 120_000, polling: 'raf' })
        .then((h) => h.jsonValue());
    const projections = await when(false);
    const loggable = await when(true);
    const first = await page.evaluate(() => performance.getEntriesByName('nba-daily:first-slate')[0]?.startTime ?? NaN);
    rows.push({ first, projections, loggable });
    await context.close();
  }
} finally {
  await browser.close();
  server.kill();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (key) => `${median(rows.map((r) => r[key])).toFixed(0)} ms [${rows.map((r) => r[key].toFixed(0)).join(', ')}]`;
console.log(`${dist}, CPU ×${throttle}, ${runs} cold first visits (medians)`);
console.log(`  first slate mark:          ${line('first')}`);
console.log(`  first projected numbers:   ${line('projections')}`);
console.log(`  loggable projected slate:  ${line('loggable')}`);
