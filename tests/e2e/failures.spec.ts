import { expect, test } from '@playwright/test';
import { MORNING, idbKeys, logSlate, openApp, putIdb, totalLogged, waitForHistory } from './support';

test.beforeEach(async ({ page }) => {
  await page.clock.install({ time: MORNING });
});

/**
 * Leaves the app for another page of its origin, so no write of the running app (a backfill's last compaction)
 * can land over what the test plants next.
 */
async function leaveApp(page: import('@playwright/test').Page): Promise<void> {
  await page.goto('/favicon.svg');
}

test('corrupt data in IndexedDB is kept aside, explained, and the app keeps working', async ({ page }) => {
  await openApp(page);
  await leaveApp(page);
  await putIdb(page, 'database', { format: 1, generation: 999, savedAt: 0, bytes: new Uint8Array(8192).fill(42) });
  await putIdb(page, 'database-generation', 999);
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('could not be read');
  await expect(page.getByRole('alert')).toContainText('kept aside');
  await expect(page.getByTestId('game-card').first()).toBeVisible();
  expect((await idbKeys(page)).some((k) => k.startsWith('quarantine-'))).toBe(true);
});

test('foreign data in IndexedDB is kept aside too', async ({ page }) => {
  await openApp(page);
  await leaveApp(page);
  await putIdb(page, 'database', 'not a database at all');
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('unexpected data');
  await expect(page.getByTestId('game-card').first()).toBeVisible();
});

test('unreadable data written under a running tab is kept aside when it next saves, and the tab says so', async ({ page }) => {
  await openApp(page);
  // Another writer (not this app) stores something unreadable while the app runs, and moves the stored head.
  await putIdb(page, 'database', 'not a database at all');
  await putIdb(page, 'database-generation', 999);
  expect(await logSlate(page)).toMatch(/Logged/);
  await expect(page.getByRole('alert')).toContainText('kept aside');
  expect((await idbKeys(page)).some((k) => k.startsWith('quarantine-'))).toBe(true);
  // What the tab saved over it is its own database: a reload opens it, with the slate logged.
  await page.reload();
  await waitForHistory(page);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await totalLogged(page)).toBeGreaterThan(0);
});

test('with IndexedDB unavailable the app runs in memory and says so', async ({ page }) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
    };
  });
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('Storage is unavailable');
  await expect(page.getByTestId('game-card').first()).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('storage-mode')).toContainText('Not saved');
});

test('a full disk refuses the write with a clear message and loses nothing stored', async ({ page }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if ((window as unknown as { failPuts?: boolean }).failPuts) throw new DOMException('Quota exceeded', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await openApp(page);
  await page.evaluate(() => ((window as unknown as { failPuts: boolean }).failPuts = true));
  expect(await logSlate(page)).toMatch(/Not logged: .*out of storage space/);
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByText(/No logged predictions/)).toBeVisible();
  await page.evaluate(() => ((window as unknown as { failPuts: boolean }).failPuts = false));
  await page.reload();
  await expect(page.getByText(/No logged predictions/)).toBeVisible();
  await page.getByRole('link', { name: "Today's Games" }).click();
  await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
  expect(await logSlate(page)).toMatch(/Logged \d+ new/);
  expect(await totalLogged(page)).toBeGreaterThan(0);
});
