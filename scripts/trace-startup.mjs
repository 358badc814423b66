// A Chrome trace of a cold first visit, summarised per long task of the page's main thread: the trace events that
// ran inside each task over 50 ms (script, WASM compilation, style, layout, paint, GC), so a long task that the CPU
// profile shows only as "(program)" can be told apart. For finding what a long task is made of; the figures that
// matter are bench-app's.
//   npm run build && node scripts/trace-startup.mjs [BENCH_DIST=dist BENCH_PORT=4399 BENCH_THROTTLE=1 TRACE_OUT=file.json TRACE_STACKS=1]
import { writeFileSync } from 'node:fs';
import { launchChromium, phoneContext, startPreview } from './built-app.mjs';

const dist = process.env.BENCH_DIST ?? 'dist';
const throttle = Number(process.env.BENCH_THROTTLE ?? 1);
const { server, url } = await startPreview(Number(process.env.BENCH_PORT ?? 4399), dist);
const browser = await launchChromium();
try {
  const { context, page } = await phoneContext(browser, throttle);
  // The stack-trace category (TRACE_STACKS=1) names the JS functions, but it makes V8 parse scripts again on the
  // main thread (to collect source positions): the parse tasks it shows are its own, not the app's.
  const stacks = process.env.TRACE_STACKS === '1' ? ['disabled-by-default-devtools.timeline'] : [];
  await browser.startTracing(page, {
    categories: ['toplevel', 'devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.compile', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'blink', 'loading', ...stacks],
  });
  await page.goto(url);
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Log predictions' && !b.disabled), undefined, { timeout: 120_000 });
  const trace = JSON.parse((await browser.stopTracing()).toString());
  if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, JSON.stringify(trace));
  const events = trace.traceEvents ?? trace;
  // The top-level task's name depends on the Chromium version and the categories traced.
  const isTask = (e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // The page's renderer main thread: the one with the most top-level task time.
  let best;
  let bestTime = -1;
  for (const m of mains) {
    const time = events.filter((e) => e.pid === m.pid && e.tid === m.tid && isTask(e)).reduce((s, e) => s + (e.dur ?? 0), 0);
    if (time > bestTime) [best, bestTime] = [m, time];
  }
  const onMain = events.filter((e) => e.pid === best.pid && e.tid === best.tid && e.ph === 'X' && typeof e.dur === 'number');
  const nav = events.find((e) => e.name === 'navigationStart' && e.pid === best.pid) ?? onMain[0];
  const ms = (us) => (us / 1000).toFixed(0);
  // Where both names are traced they nest: a task inside another task is not a task of its own.
  const allTasks = onMain.filter(isTask);
  const within = (inner, outer) => inner !== outer && inner.ts >= outer.ts && inner.ts + inner.dur <= outer.ts + outer.dur;
  const tasks = allTasks.filter((e) => e.dur > 50_000 && !allTasks.some((outer) => within(e, outer)));
  console.log(`long tasks (trace): ${tasks.map((t) => `${ms(t.ts - nav.ts)}+${ms(t.dur)}`).join(', ')}`);
  for (const task of tasks) {
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
    // Self time per event name: an event's duration less its direct children's.
    inside.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const self = new Map();
    const stack = [];
    for (const e of inside) {
      while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent) parent.childTime = (parent.childTime ?? 0) + e.dur;
      stack.push(e);
    }
    for (const e of inside) {
      const key = e.name + (e.args?.data?.url ? ` ${String(e.args.data.url).split('/').pop()}` : '') + (e.args?.data?.functionName ? ` ${e.args.data.functionName}` : '');
      self.set(key, (self.get(key) ?? 0) + e.dur - (e.childTime ?? 0));
    }
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => `${ms(v).padStart(5)} ${k}`).join('\n      ');
    console.log(`\n task at ${ms(task.ts - nav.ts)} ms, ${ms(task.dur)} ms; self time by event:\n      ${top}`);
  }
  await context.close();
} finally {
  await browser.close();
  server.kill();
}
