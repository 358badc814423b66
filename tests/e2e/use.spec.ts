// Work that normal use must not repeat (issue 10, "no stalls"): each of these was a long task on the UI thread.
// These tests read the app's performance entries, so they run on the real clock (Playwright's fake clock
// replaces `performance` with one that records nothing).
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support';

/** Tomorrow in New York (the tests' time zone): its games are all ahead whatever the hour now. */
const tomorrow = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(Date.now() + 24 * 3600 * 1000);

/** Start times (page clock) of the app's performance entries named `name`, with their detail. */
const entries = (page: Page, name: string) =>
  page.evaluate((n) => performance.getEntriesByName(n).map((e) => ({ start: e.startTime, detail: (e as PerformanceMeasure).detail as { kind?: string } | null })), name);

test('logging the slate on screen stores it as shown, without projecting the slate again (after the closing compaction)', async ({ page }) => {
  await openApp(page, `/#/today?date=${tomorrow()}`);
  // The first visit's backfill ends by compacting its journal into a new base (a new generation of the same rows);
  // the slate is loggable only after that, and is projected once.
  await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled({ timeout: 30_000 });
  await expect.poll(async () => (await entries(page, 'nba-daily:persist')).some((e) => e.detail?.kind === 'base'), { timeout: 15_000 }).toBe(true);
  const projections = (await entries(page, 'nba-daily:project')).length;
  expect(projections).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Log predictions' }).click();
  await expect(page.locator('.log-message')).toHaveText(/Logged \d+ new/);
  expect((await entries(page, 'nba-daily:project')).length).toBe(projections);
});
