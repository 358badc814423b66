// Screenshots of the built app for the README (docs/screenshots) and the web app manifest
// (web/public/screenshots): a phone and a desktop, on a fixed simulated morning with results in.
// Usage: npm run build && node scripts/screenshots.mjs   (then npm run build again to ship the manifest images)
import { copyFileSync, mkdirSync } from 'node:fs';
import { launchChromium, startPreview } from './built-app.mjs';

const port = Number(process.env.BENCH_PORT ?? 4398);
const { server, url } = await startPreview(port);
mkdirSync('docs/screenshots', { recursive: true });
mkdirSync('web/public/screenshots', { recursive: true });
const browser = await launchChromium();
const shots = [];
for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1366, height: 900 }]]) {
  const context = await browser.newContext({ viewport, timezoneId: 'America/New_York', locale: 'en-US', colorScheme: 'light' });
  const page = await context.newPage();
  await page.clock.install({ time: new Date('2026-11-28T15:00:00Z') });
  await page.goto(url);
  await page.getByTestId('game-card').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('.log-bar button.primary')?.hasAttribute('disabled'), undefined, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Log predictions' }).click();
  await page.locator('.log-message').filter({ hasText: /Logged/ }).waitFor();
  await page.clock.fastForward('20:00:00');
  await page.goto(`${url}#/accuracy`);
  await page.getByTestId('accuracy-count').filter({ hasNotText: /^0$/ }).waitFor({ timeout: 60_000 });
  const save = async (file) => {
    await page.waitForTimeout(300); // let the charts and fonts settle before the picture (a screenshot, not a test)
    await page.screenshot({ path: `docs/screenshots/${file}` });
    shots.push(file);
  };
  await page.goto(`${url}#/today?date=2026-11-28`);
  await page.getByTestId('game-card').first().waitFor();
  await save(`today-${name}.png`);
  // The player table on the finished day (with actuals), scrolled so the table fills the picture.
  await page.goto(`${url}#/today?date=2026-11-28&show=table`);
  await page.getByTestId('slate-row').first().waitFor();
  await page.locator('.layout-toggle').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await save(`players-${name}.png`);
  await page.goto(`${url}#/accuracy`);
  await page.getByTestId('accuracy-count').waitFor();
  await save(`accuracy-${name}.png`);
  await context.close();
}
await browser.close();
server.kill();
// The manifest shows one narrow and one wide screenshot in the install dialog.
copyFileSync('docs/screenshots/today-phone.png', 'web/public/screenshots/today-phone.png');
copyFileSync('docs/screenshots/today-desktop.png', 'web/public/screenshots/today-desktop.png');
console.log(shots.map((f) => `docs/screenshots/${f}`).join('\n'));
