// A warm offline reload only, measured quickly for an A/B: per fresh context, a first visit (60 simulated days,
// until ready and the service worker controls the page), then `reloads` offline reloads, each to its first
// rendered slate. Prints the medians of the first reload of each context (what bench-app measures) and of the later
// ones, with the breakdown marks (nav → entry script run → start-up slate read → first slate) and the longest task.
// For an A/B on a noisy machine, BENCH_AB=<distA>,<distB> (each inside the repo: vite preview serves it) serves both,
// on BENCH_PORT and BENCH_PORT_B, and alternates their contexts.
//   npm run build && node scripts/bench-warm.mjs [contexts] [reloads]   (BENCH_PORT=4399, BENCH_DIST=dist, BENCH_THROTTLE=1,4)
import { launchChromium, observeLongTasks, printBundleSizes, startPreview } from './built-app.mjs';

const contexts = Number(process.argv[2] ?? 5);
const reloads = Number(process.argv[3] ?? 3);
const dist = process.env.BENCH_DIST ?? 'dist';
const throttles = (process.env.BENCH_THROTTLE ?? '1,4').split(',').map(Number);
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const marks = (page) =>
  page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const one = (name) => performance.getEntriesByName(name)[0];
    const entry = performance.getEntriesByType('resource').find((r) => /\/assets\/index-.*\.js$/.test(r.name));
    const main = one('nba-daily:main')?.startTime;
    const view = one('nba-daily:startup-view');
    const first = one('nba-daily:first-slate')?.startTime;
    const early = one('nba-daily:early-reads')?.startTime;
    const extra = Object.fromEntries(performance.getEntries().filter((e) => e.name.startsWith('hw:')).map((e) => [e.name.slice(3), e.startTime + e.duration - (view?.startTime ?? 0)]));
    return {
      document: nav.responseEnd,
      entryFetched: entry ? entry.responseEnd : NaN,
      early,
      main,
      appStart: view?.startTime,
      startupView: view?.duration,
      afterView: view ? first - (view.startTime + view.duration) : NaN,
      first,
      // The database open (what "Log predictions" and the other views wait for).
      opened: (() => { const o = one('nba-daily:db-open'); return o ? o.startTime + o.duration : NaN; })(),
      longest: Math.max(0, ...window.__longTasks.filter((t) => t.start <= first + 200).map((t) => t.duration)),
      ...extra,
    };
  });

const dists = process.env.BENCH_AB ? process.env.BENCH_AB.split(',') : [dist];
const ports = [Number(process.env.BENCH_PORT ?? 4399), Number(process.env.BENCH_PORT_B ?? 4398)];
const servers = [];
for (const [i, d] of dists.entries()) servers.push({ dist: d, ...(await startPreview(ports[i], d)) });
const browser = await launchChromium();
try {
  for (const { dist: d } of servers) {
    console.log(`-- ${d}`);
    printBundleSizes(d);
  }
  for (const throttle of throttles) {
    const results = servers.map(() => ({ firsts: [], laters: [] }));
    for (let c = 0; c < contexts; c++) for (const [s, { url }] of servers.entries()) {
      const { firsts, laters } = results[s];
      const context = await browser.newContext({ viewport: { width: 412, height: 900 } });
      await observeLongTasks(context);
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Log predictions' && !b.disabled) && !document.querySelector('.progress, [role="progressbar"]'), undefined, { timeout: 300_000 });
      await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated' && !!navigator.serviceWorker.controller);
      // The idle-time save of the start-up slate.
      await page.waitForTimeout(2500);
      await context.setOffline(true);
      const cdp = await context.newCDPSession(page);
      if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
      for (let r = 0; r < reloads; r++) {
        await page.reload();
        await page.waitForFunction(() => performance.getEntriesByName('nba-daily:first-slate').length > 0, undefined, { timeout: 60_000 });
        await page.getByRole('button', { name: 'Log predictions' }).waitFor();
        await page.waitForFunction(() => performance.getEntriesByName('nba-daily:db-open').length > 0, undefined, { timeout: 60_000 });
        (r === 0 ? firsts : laters).push(await marks(page));
        await page.waitForTimeout(2500);
      }
      await context.close();
    }
    for (const [s, { firsts, laters }] of results.entries()) {
    const keys = [...new Set([...firsts, ...laters].flatMap((m) => Object.keys(m)))];
    console.log(`\n== ${servers[s].dist}: warm offline reload, CPU ×${throttle}, ${contexts} contexts × ${reloads} reloads (medians: first reload | later reloads) ==`);
    for (const k of keys) console.log(`  ${k.padEnd(16)} ${median(firsts.map((m) => m[k])).toFixed(0).padStart(6)} | ${median(laters.map((m) => m[k])).toFixed(0).padStart(6)}`);
    console.log(`  first slate, first reloads: [${firsts.map((m) => m.first.toFixed(0)).join(', ')}]; later: [${laters.map((m) => m.first.toFixed(0)).join(', ')}]`);
    }
  }
} finally {
  await browser.close();
  for (const { server } of servers) server.kill();
}
