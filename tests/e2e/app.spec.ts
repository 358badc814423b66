import { appendFile, cp, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { MORNING, logSlate, openApp, totalLogged, waitForServiceWorker } from './support';
import { startSwitchableServer } from './switchable-server';

test.beforeEach(async ({ page }) => {
  await page.clock.install({ time: MORNING });
});

test('first visit: slate, service worker, then offline reload keeps the app and its data', async ({ page, context }) => {
  await openApp(page);
  await expect(page.getByText('Simulated data')).toBeVisible();
  await expect(page.getByRole('link', { name: "Today's Games" })).toHaveAttribute('aria-current', 'page');
  const cards = await page.getByTestId('game-card').count();
  expect(cards).toBeGreaterThan(3);
  await expect(page.getByTestId('game-card').first()).toContainText('%');
  await waitForServiceWorker(page);

  expect(await logSlate(page)).toMatch(/Logged \d+ new/);
  const logged = await totalLogged(page);
  expect(logged).toBeGreaterThan(50);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('Offline', { exact: true })).toBeVisible();
  await expect(page.getByTestId('prediction-row').first()).toBeVisible();
  expect(await totalLogged(page)).toBe(logged);
  await page.getByRole('link', { name: "Today's Games" }).click();
  await expect(page.getByTestId('game-card')).toHaveCount(cards);
  // The other views load on demand, offline too: each chunk is in the service worker's precache.
  for (const name of ['Accuracy', 'Settings', 'History']) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.locator('main h1')).toHaveText(name);
  }
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('offline-status')).toContainText('Offline use: ready');
});

test('logged predictions survive a reload and logging twice adds nothing', async ({ page }) => {
  await openApp(page);
  await logSlate(page);
  const logged = await totalLogged(page);
  await page.reload();
  expect(await totalLogged(page)).toBe(logged);
  await page.getByRole('link', { name: "Today's Games" }).click();
  await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
  expect(await logSlate(page)).toBe('Already logged: nothing changed.');
  expect(await totalLogged(page)).toBe(logged);
  await expect(page.getByTestId('prediction-row')).toHaveCount(25); // first page
});

test('CSV download has every logged row; import merges, updates and reports rejects', async ({ page }, testInfo) => {
  await openApp(page);
  await logSlate(page);
  const logged = await totalLogged(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^nba-daily-predictions.*\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0].startsWith('game_date,player_id,player_name')).toBe(true);
  expect(lines).toHaveLength(logged + 1);

  // Edit one row (newer, different projection), add one new player, and break one line.
  const header = lines[0].split(',');
  const cells = lines[1].split(',');
  const set = (row: string[], column: string, value: string) => (row[header.indexOf(column)] = value);
  const edited = [...cells];
  set(edited, 'projected_points', '1.5');
  set(edited, 'floor', '0');
  set(edited, 'updated_at', '2026-11-28T15:30:00.000Z');
  const added = [...cells];
  set(added, 'player_id', 'imported-player');
  set(added, 'player_name', 'Imported Player');
  const broken = [...cells];
  set(broken, 'game_date', 'yesterday');
  const file = [lines[0], edited.join(','), added.join(','), broken.join(','), ...lines.slice(2)].join('\r\n');
  const path = testInfo.outputPath('import.csv');
  await import('node:fs/promises').then((fs) => fs.writeFile(path, file));

  await page.locator('input[type=file]').setInputFiles(path);
  await expect(page.getByText(/Import: 1 added, 1 updated, \d+ unchanged, 1 rejected/)).toBeVisible();
  await expect(page.getByText(/Line 4: game_date must be a date/)).toBeVisible();
  expect(await totalLogged(page)).toBe(logged + 1);
  await page.getByLabel('Player').fill('Imported Player');
  await expect(page.getByTestId('prediction-row')).toHaveCount(1);

  // A file of the wrong shape changes nothing and says why.
  const wrong = testInfo.outputPath('wrong.csv');
  await import('node:fs/promises').then((fs) => fs.writeFile(wrong, 'name,points\nAva,3\n'));
  await page.locator('input[type=file]').setInputFiles(wrong);
  await expect(page.getByText(/not an NBA Daily predictions CSV/)).toBeVisible();
  await page.getByLabel('Player').fill('');
  expect(await totalLogged(page)).toBe(logged + 1);
});

test('two tabs writing at once keep both sets of predictions', async ({ context }) => {
  const tabA = await context.newPage();
  await tabA.clock.install({ time: MORNING });
  await openApp(tabA);
  const tabB = await context.newPage();
  await tabB.clock.install({ time: MORNING });
  await openApp(tabB, '/#/today');
  await tabB.getByRole('button', { name: 'Next day' }).click();
  await expect(tabB.getByTestId('game-card').first()).toBeVisible();
  await expect(tabB.getByRole('button', { name: 'Log predictions' })).toBeEnabled();

  // Both tabs press at the same moment: the Web Lock serialises the writes, neither is lost.
  await Promise.all([logSlate(tabA), logSlate(tabB)]);
  const seenByA = await totalLogged(tabA);
  const seenByB = await totalLogged(tabB);
  expect(seenByA).toBe(seenByB);
  await tabA.getByLabel('From').fill('2026-11-29');
  const tomorrowOnly = await totalLogged(tabA);
  expect(tomorrowOnly).toBeGreaterThan(0);
  expect(seenByA).toBeGreaterThan(tomorrowOnly);

  // Tab B learns about tab A's later write without a reload (BroadcastChannel).
  await tabA.getByRole('link', { name: "Today's Games" }).click();
  await tabA.getByRole('button', { name: 'Next day' }).click();
  await tabA.getByRole('button', { name: 'Next day' }).click();
  await expect(tabA.getByTestId('game-card').first()).toBeVisible();
  await expect(tabA.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
  expect(await logSlate(tabA)).toMatch(/Logged \d+ new/);
  await tabA.getByRole('link', { name: 'History' }).click();
  // History keeps its filters when you leave and come back (they live in the URL): clear the one set above.
  await expect(tabA.getByLabel('From')).toHaveValue('2026-11-29');
  await tabA.getByLabel('From').fill('');
  const afterA = await totalLogged(tabA);
  await expect(tabB.getByRole('navigation', { name: 'Pages' })).toContainText(`${afterA} predictions`);
});

test('finished games fill in actuals and the accuracy view', async ({ page }) => {
  await openApp(page);
  await logSlate(page);
  await page.getByRole('link', { name: 'Accuracy' }).click();
  await expect(page.getByText(/No results yet/)).toBeVisible();

  // Next morning: every game of the logged slate is final; the app's refresh timer picks it up.
  await page.clock.fastForward('20:00:00');
  await expect(page.getByTestId('accuracy-count')).not.toHaveText('0', { timeout: 30_000 });
  const count = Number(await page.getByTestId('accuracy-count').textContent());
  expect(count).toBeGreaterThan(50);
  expect(Number(await page.getByTestId('accuracy-mae').textContent())).toBeGreaterThan(0);
  await expect(page.getByRole('img', { name: /Daily mean absolute error/ })).toBeVisible();
  await expect(page.getByText('Games scored')).toBeVisible();

  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByTestId('prediction-row').first()).not.toContainText('pending');
});

test('a new version waits for "Update" and never reloads the page by itself', async ({ page }, testInfo) => {
  // Deploy "v1" (the build), then "v2": the same files with a byte-different service worker.
  const dist = fileURLToPath(new URL('../../dist', import.meta.url));
  const v2 = testInfo.outputPath('v2');
  await cp(dist, v2, { recursive: true });
  await appendFile(`${v2}/sw.js`, '\n// next version\n');
  const server = await startSwitchableServer(dist);
  try {
    await openApp(page, server.url);
    await waitForServiceWorker(page);
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    server.setRoot(v2);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByRole('button', { name: 'Update' })).toBeVisible({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Update' }).click()]);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBeUndefined();
    await expect(page.getByTestId('game-card').first()).toBeVisible();
  } finally {
    await server.close();
  }
});

test('offline status: a tab opened while another installs the offline copy says ready once it is', async ({ context }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // One precached file held back: the first tab's install is still under way when the second tab opens.
  await context.route('**/pwa-512x512.png*', async (route) => {
    await held;
    await route.continue();
  });
  const first = await context.newPage();
  await openApp(first);
  await first.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.installing);
  const second = await context.newPage();
  await openApp(second);
  await second.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(second.getByTestId('offline-status')).toContainText('being set up');
  release();
  await expect(second.getByTestId('offline-status')).toContainText('Offline use: ready');
});

test('offline status: an install that fails says offline use is not available', async ({ page, context }) => {
  await context.route('**/pwa-512x512.png*', (route) => route.fulfill({ status: 404, body: '' }));
  await openApp(page);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByTestId('offline-status')).toContainText('not available (setting it up failed');
});
