// A first fetch of live data (the whole history window through the worker) asks for tonight's injury report and
// market at once, beside the days, not after the last of them: the full slate is then built once, with them.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { NBA_FIXTURES_DIR } from '../fixtures/nba/server';
import { importHistoryAndGoLive, openLiveApp } from './live-history';

const expected = JSON.parse(readFileSync(`${NBA_FIXTURES_DIR}expected.json`, 'utf8'));

test('the injury report and odds are fetched while the live history loads, and the first loggable slate has them', async ({ page }, testInfo) => {
  const { close } = await openLiveApp(page, testInfo, 'first-fetch');
  try {
    // Every history day (not today's) waits until the app has asked for the injury report and the odds.
    const asked = { injuries: false, odds: false };
    let allAsked!: () => void;
    const reportsAsked = new Promise<void>((resolve) => (allAsked = resolve));
    page.on('request', (request) => {
      if (/\/v1\/nba\/injuries\//.test(request.url())) asked.injuries = true;
      if (/\/v1\/nba\/odds\//.test(request.url())) asked.odds = true;
      if (asked.injuries && asked.odds) allAsked();
    });
    let heldDays = 0;
    await page.route(/\/v1\/nba\/day\/(?!2024-01-11)/, async (route) => {
      heldDays++;
      await reportsAsked;
      await route.continue();
    });
    await importHistoryAndGoLive(page, testInfo);
    await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled({ timeout: 120_000 });
    expect(heldDays).toBeGreaterThan(0);
    // The first loggable slate already has the report: the player listed out has no projection.
    const phx = page.getByTestId('game-card').filter({ hasText: 'Phoenix Suns' });
    await expect(phx.getByTestId('out-row').filter({ hasText: expected.injuries.out.name })).toContainText('Out');
    await expect(phx.getByTestId('market-line')).toContainText('PHX 69%');
  } finally {
    await close();
  }
});
