// Live NBA data end to end: the real worker fetches from a local stand-in for the NBA CDN and ESPN (the
// project's fixtures), the app backfills through it, imports older history, logs a slate, and scores it
// once the games go final upstream.
import { expect, test } from '@playwright/test';
import { importHistoryAndGoLive, openLiveApp } from './live-history';
import { logSlate, totalLogged } from './support';

test('backfill through the worker, import history, log a live slate, and see actuals when the games go final', async ({ page }, testInfo) => {
  const { upstream, close } = await openLiveApp(page, testInfo, 'live');
  try {
    // Older history the person already has, then switch to live data: the backfill runs through the worker.
    await importHistoryAndGoLive(page, testInfo);
    await expect(page.getByTestId('source-status')).toContainText('Live NBA');
    await expect(page.getByText('simulated league')).toHaveCount(0);
    await expect(page.getByTestId('game-card')).toHaveCount(2, { timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled({ timeout: 60_000 });
    await expect(page.getByTestId('game-card').first()).toContainText('New Orleans Pelicans');
    expect(upstream.totalHits()).toBeGreaterThan(0);

    expect(await logSlate(page)).toMatch(/Logged \d+ new .* for 2 games/);
    const logged = await totalLogged(page);
    expect(logged).toBeGreaterThan(20);

    // A game tips off: the next refresh (every minute) shows its running score with the period and clock.
    upstream.scoreboard = 'during';
    await page.getByRole('link', { name: "Today's Games" }).click();
    await page.clock.fastForward('01:05');
    await expect(page.getByTestId('game-card').filter({ hasText: 'Live · Q2 4:12' })).toHaveCount(1, { timeout: 30_000 });

    // Tonight the games finish upstream; the app's next refresh stores the box scores and scores the slate.
    upstream.scoreboard = 'after';
    await page.clock.fastForward('14:00:00');
    await page.getByRole('link', { name: 'Accuracy' }).click();
    await expect(page.getByTestId('accuracy-count')).not.toHaveText('0', { timeout: 30_000 });
    const scored = Number(await page.getByTestId('accuracy-count').textContent());
    expect(scored).toBeGreaterThan(10);
    expect(scored).toBeLessThanOrEqual(logged); // DNPs are left out
    await expect(page.getByText('Games scored')).toBeVisible();
    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByTestId('prediction-row').first()).not.toContainText('pending');

    // Upstream down: the stored slate stays on screen and the failure is said plainly.
    upstream.override('/static/json/*', { status: 500 });
    upstream.override('/apis/*', { status: 500 });
    await page.getByRole('link', { name: "Today's Games" }).click();
    await page.getByLabel('Date').fill('2024-04-14'); // a day never fetched, whose game needs the live scoreboard
    await expect(page.getByText(/Live data for 2024-04-14 is unavailable \(502.*Showing what is stored/)).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('Date').fill('2024-01-11'); // the logged day, now final, is still all there
    await expect(page.getByTestId('game-card')).toHaveCount(2);
    await expect(page.getByTestId('game-card').first()).toContainText('Final');
  } finally {
    await close();
  }
});
