// Tonight's injury report and the market in the built app, against the fixture upstreams through the real worker:
// a player ESPN lists as out gets no projection (his team's minutes go to the others), the market line sits
// beside the engine's, both are logged, and Accuracy compares engine and market once the games are final.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { NBA_FIXTURES_DIR } from '../fixtures/nba/server';
import { earlierHistoryCsv, importHistoryAndGoLive, openLiveApp } from './live-history';
import { logSlate, waitForServiceWorker } from './support';

const expected = JSON.parse(readFileSync(`${NBA_FIXTURES_DIR}expected.json`, 'utf8'));

test('a player marked out gets no projection; the market appears beside the engine and is compared in Accuracy', async ({ page }, testInfo) => {
  const { upstream, close } = await openLiveApp(page, testInfo, 'avail');
  try {
    await importHistoryAndGoLive(page, testInfo);
    await expect(page.getByTestId('game-card')).toHaveCount(2, { timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled({ timeout: 60_000 });

    const out = expected.injuries.out; // PHX's leading scorer, listed "Out" on ESPN's injuries feed
    const phx = page.getByTestId('game-card').filter({ hasText: 'Phoenix Suns' });
    await expect(phx.getByTestId('out-row').filter({ hasText: out.name })).toContainText('Out', { timeout: 30_000 });
    await expect(phx.getByTestId('out-row').filter({ hasText: out.name })).toContainText('—');
    await phx.getByRole('button', { name: 'Show all players' }).click();
    // his only row is the out row: no projection anywhere
    await expect(phx.getByRole('row').filter({ hasText: out.name })).toHaveCount(1);
    // UTA's questionable player carries the badge and keeps his projection
    await expect(phx.getByText('Questionable')).toBeVisible();
    // the market beside the engine: PHX -6.5, moneylines -250 / +205 → 69% with the vig removed
    await expect(phx.getByTestId('market-line')).toContainText('PHX 69%');
    await expect(phx.getByTestId('market-line')).toContainText('PHX by 6.5');
    await expect(phx.getByTestId('market-line')).toContainText('O/U 228.5');
    await expect(phx).toContainText('Engine:');

    expect(await logSlate(page)).toMatch(/Logged \d+ new .* for 2 games/);

    // The games finish upstream; the next refresh scores them, and Accuracy puts engine and market side by side.
    upstream.scoreboard = 'after';
    await page.clock.fastForward('14:00:00');
    await page.getByRole('link', { name: 'Accuracy' }).click();
    const table = page.getByTestId('engine-vs-market');
    await expect(table).toBeVisible({ timeout: 30_000 });
    await expect(table).toContainText('On the 2 logged games with a market line and a result');
    await expect(table.getByRole('row', { name: /Market \(vig removed\)/ })).toContainText(/\d+\.\d%/);
    testInfo.annotations.push({ type: 'engine-vs-market', description: (await table.innerText()).replace(/\s+/g, ' ') });
    console.log(`engine vs market as shown in Accuracy: ${(await table.innerText()).replace(/\s+/g, ' ')}`);
  } finally {
    await close();
  }
});

test('offline, a reload still shows the last injury report (with the time it was fetched): the out player gets no projection', async ({ page, context }, testInfo) => {
  const { close } = await openLiveApp(page, testInfo, 'kept-report');
  try {
    await importHistoryAndGoLive(page, testInfo);
    const out = expected.injuries.out;
    const phx = page.getByTestId('game-card').filter({ hasText: 'Phoenix Suns' });
    await expect(phx.getByTestId('out-row').filter({ hasText: out.name })).toContainText('Out', { timeout: 60_000 });
    // Fetched on the fixtures' game-day morning, 10:00 in New York.
    await expect(page.getByTestId('report-status')).toHaveText(/^injury report from 10:0\d AM$/);
    await waitForServiceWorker(page);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByText(/Live data for 2024-01-11 is unavailable|Live data could not be fetched/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('report-status')).toHaveText(/^injury report from 10:0\d AM, kept on this device$/);
    await expect(page.getByText(/Injury report or market unavailable .* Showing the injury report from 10:0\d AM\./)).toBeVisible();
    await expect(phx.getByTestId('out-row').filter({ hasText: out.name })).toContainText('Out');
    await expect(phx.getByTestId('out-row').filter({ hasText: out.name })).toContainText('—');
    await phx.getByRole('button', { name: 'Show all players' }).click();
    await expect(phx.getByRole('row').filter({ hasText: out.name })).toHaveCount(1);
    await expect(phx.getByText('Questionable')).toBeVisible();
    // The market kept with it is still beside the engine.
    await expect(phx.getByTestId('market-line')).toContainText('PHX 69%');
  } finally {
    await context.setOffline(false);
    await close();
  }
});

test('the report is matched again when players arrive after it: live data first, history imported later, the out player gets no projection', async ({ page }, testInfo) => {
  const { close } = await openLiveApp(page, testInfo, 'rematch');
  try {
    // Live data with no stored players yet: the report arrives and has nobody to match.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel(/Live NBA/).check();
    await page.getByRole('link', { name: "Today's Games" }).click();
    await expect(page.getByTestId('report-status')).toHaveText(/^injury report from/, { timeout: 60_000 });
    // Then the players' history comes in (an import; on a first visit, the backfill after the report).
    await page.getByRole('link', { name: 'Settings' }).click();
    const csv = testInfo.outputPath('history.csv');
    await writeFile(csv, await earlierHistoryCsv());
    await page.getByLabel('Import game history').setInputFiles(csv);
    await expect(page.getByText(/Imported \d+ box-score lines in 4 games over 2 days; 0 rejected/)).toBeVisible();
    await page.getByRole('link', { name: "Today's Games" }).click();
    const out = expected.injuries.out;
    const phx = page.getByTestId('game-card').filter({ hasText: 'Phoenix Suns' });
    await expect(phx.getByTestId('out-row').filter({ hasText: out.name })).toContainText('Out', { timeout: 30_000 });
    await phx.getByRole('button', { name: 'Show all players' }).click();
    await expect(phx.getByRole('row').filter({ hasText: out.name })).toHaveCount(1);
  } finally {
    await close();
  }
});
