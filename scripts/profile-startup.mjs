// A CPU profile of a cold first visit (CDP Profiler), summarised per long task: which functions ran in each task
// over 50 ms on the UI thread, by self time (WASM functions grouped as "wasm"). For finding what a long task is
// made of; the figures that matter are bench-app's. PROFILE_WARM=1 profiles a warm offline reload instead (after a
// first visit has stored its history and the service worker controls the page); PROFILE_SEASONS=<dir> with it
// imports the season CSVs in that folder first (as bench-app's two-season scenario does).
//   npm run build && node scripts/profile-startup.mjs [BENCH_DIST=dist BENCH_PORT=4399 BENCH_THROTTLE=1 PROFILE_UNTIL=ready|first-slate PROFILE_WARM=1 PROFILE_SEASONS=<dir>]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, phoneContext, startPreview } from './built-app.mjs';

const dist = process.env.BENCH_DIST ?? 'dist';
const throttle = Number(process.env.BENCH_THROTTLE ?? 1);
const until = process.env.PROFILE_UNTIL ?? 'ready';
const { server, url } = await startPreview(Number(process.env.BENCH_PORT ?? 4399), dist);
const browser = await launchChromium();
try {
  // Throttled below, after a warm run's first visit.
  const { context, page, cdp } = await phoneContext(browser);
  const warm = process.env.PROFILE_WARM === '1';
  if (warm) {
    await page.goto(url);
    await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Log predictions' && !b.disabled) && !document.querySelector('.progress, [role="progressbar"]'), undefined, { timeout: 300_000 });
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated' && !!navigator.serviceWorker.controller);
    const seasons = process.env.PROFILE_SEASONS;
    if (seasons) {
      await page.getByRole('link', { name: 'Settings' }).first().click();
      for (const file of readdirSync(seasons).filter((f) => /^player_games_.*\.csv$/.test(f))) {
        await page.locator('input[type="file"][accept*=".db"]').setInputFiles(join(seasons, file));
        await page.getByText(/Imported \d+ box-score lines/).waitFor({ timeout: 300_000 });
      }
      await page.getByRole('link', { name: "Today's Games" }).first().click();
      await page.locator('[data-testid="game-card"]').first().waitFor();
    }
    await context.setOffline(true);
  }
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  if (warm) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('nba-daily:first-slate').length > 0, undefined, { timeout: 120_000 });
  if (until === 'ready') await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Log predictions' && !b.disabled), undefined, { timeout: 120_000 });
  const { profile } = await cdp.send('Profiler.stop');
  const marks = await page.evaluate(() => ({
    timeOrigin: performance.timeOrigin,
    tasks: window.__longTasks,
    entries: performance.getEntries().filter((e) => e.name.startsWith('nba-daily:')).map((e) => ({ name: e.name, start: e.startTime, duration: e.duration, detail: e.detail })),
  }));
  for (const e of marks.entries) console.log(`${e.start.toFixed(0).padStart(6)} +${e.duration.toFixed(0).padStart(5)}  ${e.name} ${e.detail ? JSON.stringify(e.detail) : ''}`);
  // Sample times (µs, monotonic) → page clock (ms): the profile's startTime maps to timeOrigin by the first mark's clock.
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The page clock of each sample (µs): aligned on the profile's end, which is about now (rough, by a few ms).
  let t = profile.startTime;
  const samples = profile.samples.map((id, i) => ((t += profile.timeDeltas[i]), { id, t }));
  const roughShift = (await page.evaluate(() => performance.now())) * 1000 - profile.endTime;
  // That rough shift can be off by a CDP round trip or more: refined to the one (within ±300 ms) that puts the
  // fewest idle samples inside the long tasks (a long task is never idle).
  const isIdle = (id) => nodes.get(id).callFrame.functionName === '(idle)';
  const idleInside = (shift) => {
    let idle = 0;
    for (const s of samples) {
      if (!isIdle(s.id)) continue;
      const at = (s.t + shift) / 1000;
      if (marks.tasks.some((task) => at >= task.start && at <= task.start + task.duration)) idle++;
    }
    return idle;
  };
  let shift = roughShift;
  let fewest = idleInside(shift);
  for (let d = -300_000; d <= 300_000; d += 1000) {
    const idle = idleInside(roughShift + d);
    if (idle < fewest) [shift, fewest] = [roughShift + d, idle];
  }
  console.log(`(profile clock aligned ${((shift - roughShift) / 1000).toFixed(0)} ms from the rough estimate; ${fewest} idle samples left inside long tasks)`);
  const label = (id) => {
    const f = nodes.get(id).callFrame;
    if (f.url?.endsWith('.wasm') || /^\$?func\d+|wasm-function/.test(f.functionName) || f.url?.startsWith('wasm://')) return 'wasm';
    return `${f.functionName || '(anon)'} ${f.url ? f.url.split('/').pop() : ''}:${f.lineNumber}`;
  };
  const stackOf = (id) => {
    const s = [];
    for (let x = id; x !== undefined; x = parent.get(x)) s.push(label(x));
    return s;
  };
  if (process.env.PROFILE_TOTALS) {
    // Self time over the whole run by function, and by the app function nearest the top of each stack.
    const self = new Map();
    const byApp = new Map();
    samples.forEach((smp, i) => {
      const dt = (profile.timeDeltas[i + 1] ?? 200) / 1000;
      const stack = stackOf(smp.id);
      self.set(stack[0], (self.get(stack[0]) ?? 0) + dt);
      const app = stack.find((f) => /index-.*\.js/.test(f) && !/^(\(anon\)|[a-zA-Z]{1,2}) /.test(f)) ?? stack[0];
      byApp.set(app, (byApp.get(app) ?? 0) + dt);
    });
    const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v.toFixed(0).padStart(6)} ${k}`).join('\n');
    console.log(`\nself time, whole run:\n${top(self)}\n\nby nearest named app function:\n${top(byApp)}`);
  }
  console.log(`long tasks: ${marks.tasks.map((x) => `${x.start.toFixed(0)}+${x.duration.toFixed(0)}`).join(', ')}`);
  for (const task of marks.tasks) {
    const inside = samples.filter((s) => (s.t + shift) / 1000 >= task.start && (s.t + shift) / 1000 <= task.start + task.duration);
    const self = new Map();
    const incl = new Map();
    for (let i = 0; i < inside.length; i++) {
      const dt = (profile.timeDeltas[samples.indexOf(inside[i]) + 1] ?? 200) / 1000; // ms until the next sample
      const stack = stackOf(inside[i].id);
      self.set(stack[0], (self.get(stack[0]) ?? 0) + dt);
      for (const f of new Set(stack)) incl.set(f, (incl.get(f) ?? 0) + dt);
    }
    const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(0).padStart(4)} ${k}`).join('\n      ');
    console.log(`\n task at ${task.start.toFixed(0)} ms, ${task.duration.toFixed(0)} ms\n   self:\n      ${top(self, 8)}\n   inclusive:\n      ${top(incl, 25)}`);
  }
  await context.close();
} finally {
  await browser.close();
  server.kill();
}
