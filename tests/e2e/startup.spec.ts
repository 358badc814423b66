import { expect, test, type Page, type Worker } from '@playwright/test';
import { MORNING, openApp, waitForHistory } from './support';

test.beforeEach(async ({ page }) => {
  await page.clock.install({ time: MORNING });
});

/** The start-up slate kept for the stored database's current state (written once the UI is idle). */
const startupViewMatchesHead = (page: Page) =>
  page.evaluate(async () => {
    const get = (dbName: string, key: string) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').get(key);
          req.onsuccess = () => (open.result.close(), resolve(req.result));
          req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
      });
    const cached = (await get('nba-daily-startup', 'slate')) as { generation?: number } | undefined;
    return cached?.generation !== undefined && cached.generation === (await get('nba-daily', 'database-generation'));
  });

/** Holds back the sql.js WASM (the database cannot open) until the returned function is called. */
async function holdSqlite(page: Page): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return async () => release();
}

// The WASM must be requested from the network to be held back: no service worker serves it from its cache.
test.use({ serviceWorkers: 'block' });

test('a warm start shows the last slate before SQLite has even loaded, exactly as the open database then gives it', async ({ page }) => {
  await openApp(page);
  await expect.poll(() => startupViewMatchesHead(page), { timeout: 15_000 }).toBe(true);
  const cards = page.getByTestId('game-card');
  const before = await cards.allTextContents();

  const release = await holdSqlite(page);
  await page.reload();
  await expect(cards.first()).toBeVisible();
  expect(await cards.allTextContents()).toEqual(before);
  // Logging needs the database: a click waits for it and then stores the slate on screen.
  await page.getByRole('button', { name: 'Log predictions' }).click();
  await release();
  await expect(page.locator('.log-message')).toHaveText(/Logged \d+ new/);
  expect(await cards.allTextContents()).toEqual(before);
});

test("a warm start's databases are opened by the page's first script, not the entry script, and used by the app", async ({ page }) => {
  await openApp(page);
  await expect.poll(() => startupViewMatchesHead(page), { timeout: 15_000 }).toBe(true);
  // Every IndexedDB open of the next page, with the script that made it (the fake clock hides performance marks).
  await page.addInitScript(() => {
    const opens: { name: string; stack: string }[] = [];
    (window as unknown as { __opens: typeof opens }).__opens = opens;
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
      opens.push({ name, stack: new Error().stack ?? '' });
      return version === undefined ? open.call(this, name) : open.call(this, name, version);
    };
  });
  const release = await holdSqlite(page);
  await page.reload();
  await expect(page.getByTestId('game-card').first()).toBeVisible();
  // The start-up slate is on screen and the stored database's read has begun (it runs while the WASM loads, held
  // back here); sync, which keeps its own state in the same database, starts only once SQLite has opened it.
  const opens = await page.evaluate(() => (window as unknown as { __opens: { name: string; stack: string }[] }).__opens);
  const entry = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[src*="/assets/index-"]')!.src);
  for (const name of ['nba-daily', 'nba-daily-startup']) {
    const of = opens.filter((o) => o.name === name);
    // Opened once so far: the app took the first script's connection instead of opening its own.
    expect(of, name).toHaveLength(1);
    expect(of[0].stack, name).not.toContain(entry);
  }
  await release();
  await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
});

test('a start-up slate kept for another stored state is not shown', async ({ page }) => {
  await openApp(page);
  await expect.poll(() => startupViewMatchesHead(page), { timeout: 15_000 }).toBe(true);
  // As when another tab wrote after it was kept: labelled with an older generation than the stored one.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('nba-daily-startup');
        open.onsuccess = () => {
          const store = open.result.transaction('kv', 'readwrite').objectStore('kv');
          const req = store.get('slate');
          req.onsuccess = () => {
            store.put({ ...req.result, generation: req.result.generation - 1, view: { ...req.result.view, generation: req.result.generation - 1 } }, 'slate');
            store.transaction.oncomplete = () => (open.result.close(), resolve());
          };
        };
        open.onerror = () => reject(open.error);
      }),
  );
  const release = await holdSqlite(page);
  await page.reload();
  await expect(page.getByText('Opening your database…')).toBeVisible();
  await expect(page.getByTestId('game-card')).toHaveCount(0);
  await release();
  await expect(page.getByTestId('game-card').first()).toBeVisible();
});

test('a first visit shows tonight\'s games before SQLite has loaded, games only and provisional, and the database then gives the same slate', async ({ page }) => {
  // The cards as they are when the progress bar first counts a stored day (today, written first).
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (!(Number(document.querySelector('progress')?.getAttribute('value')) >= 1)) return;
      (window as unknown as { cardsOnceTodayStored: string[] }).cardsOnceTodayStored = [...document.querySelectorAll('[data-testid="game-card"]')].map((c) => c.textContent ?? '');
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['value'] });
  });
  const release = await holdSqlite(page);
  await page.goto('/');
  const cards = page.getByTestId('game-card');
  // The WASM is held back: the database cannot open, yet tonight's games (from the fetched day) are on screen.
  await expect(cards.first()).toBeVisible({ timeout: 30_000 });
  await expect(cards.first()).toContainText('Projections appear once the game history they need has loaded.');
  await expect(cards.locator('tbody a')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Log predictions' })).toBeDisabled();
  await expect(page.locator('progress')).toHaveAttribute('value', '0');
  const before = await cards.allTextContents();
  await release();
  // Today stored, the history still loading: the database's own provisional slate, the same cards.
  await waitForHistory(page);
  expect(await page.evaluate(() => (window as unknown as { cardsOnceTodayStored?: string[] }).cardsOnceTodayStored)).toEqual(before);
  await expect(cards.first()).not.toContainText('Projections appear once');
  expect(await cards.locator('tbody a').count()).toBeGreaterThan(0);
});

test('a first visit shows tonight\'s games before the history is stored, labelled provisional, then the full slate that a reload keeps', async ({ page }) => {
  // When the first card enters the page: how many of the backfill's days were stored (its progress bar).
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="game-card"]')) return;
      const bar = document.querySelector('progress');
      (window as unknown as { firstCard: unknown }).firstCard = { done: bar ? Number(bar.getAttribute('value')) : null, total: bar ? Number(bar.getAttribute('max')) : null };
      observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  const cards = page.getByTestId('game-card');
  await expect(cards.first()).toBeVisible({ timeout: 30_000 });
  // The first slate did not wait for the history: at most one day (today) was in.
  const firstCard = await page.evaluate(() => (window as unknown as { firstCard: { done: number | null; total: number | null } }).firstCard);
  expect(firstCard.total).toBeGreaterThanOrEqual(30);
  expect(firstCard.done).toBeLessThanOrEqual(1);
  // Shown as provisional: the games, no projections, nothing to log yet.
  await expect(cards.first()).toContainText('Projections appear once the game history they need has loaded.');
  await expect(cards.locator('tbody a')).toHaveCount(0);
  const titles = await page.locator('[data-testid="game-card"] h2').allTextContents();
  await waitForHistory(page);
  // Replaced by the full slate: the same games, now projected.
  await expect(cards.first()).not.toContainText('Projections appear once');
  expect(await cards.locator('tbody a').count()).toBeGreaterThan(0);
  expect(await page.locator('[data-testid="game-card"] h2').allTextContents()).toEqual(titles);
  await expect.poll(() => startupViewMatchesHead(page), { timeout: 15_000 }).toBe(true);
  const full = await cards.allTextContents();
  // What a warm start shows is that slate, unchanged.
  await page.reload();
  await expect(cards.first()).toBeVisible();
  expect(await cards.allTextContents()).toEqual(full);
});

test('a person on live data never sees the simulated league named while the app starts', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('nba-daily:source', 'nba');
    const seen: string[] = [];
    (window as unknown as { __simSeen: string[] }).__simSeen = seen;
    new MutationObserver(() => {
      if (document.querySelector('.pill.sim')) seen.push(document.querySelector('.pill.sim')!.textContent ?? '');
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto('/');
  await expect(page.getByTestId('source-status')).toContainText('Live NBA');
  expect(await page.evaluate(() => (window as unknown as { __simSeen: string[] }).__simSeen)).toEqual([]);
});

/** The workers the page starts that run SQLite's warm-up (sqlite-browser.ts warmUpSqlite). */
function warmUpWorkers(page: Page): Worker[] {
  const started: Worker[] = [];
  page.on('worker', (worker) => {
    if (/\/sqlite-warm-up\.worker-[\w-]+\.js$/.test(worker.url())) started.push(worker);
  });
  return started;
}

test("a first visit's SQL runs once in a worker of its own, which then ends; a warm start starts none; the app opens all the same when that worker cannot load", async ({ page, browser }) => {
  const workers = warmUpWorkers(page);
  await page.goto('/');
  await expect.poll(() => workers.length).toBe(1);
  const ended = workers[0].waitForEvent('close');
  await waitForHistory(page);
  await ended;
  // A warm start compiles nothing ahead.
  await page.reload();
  await waitForHistory(page);
  expect(workers).toHaveLength(1);

  const context = await browser.newContext({ serviceWorkers: 'block' });
  const other = await context.newPage();
  await other.clock.install({ time: MORNING });
  await other.route('**/sqlite-warm-up.worker-*.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await openApp(other);
  expect(await other.getByTestId('game-card').locator('tbody a').count()).toBeGreaterThan(0);
  await context.close();
});

test.describe('with the service worker', () => {
  test.use({ serviceWorkers: 'allow' });

  test("a first visit loads the time formatter's locale data in a worker of its own; a visit the service worker controls starts none", async ({ page }) => {
    const started: Worker[] = [];
    page.on('worker', (worker) => {
      if (/\/format-warm-up\.worker-[\w-]+\.js$/.test(worker.url())) started.push(worker);
    });
    await openApp(page);
    await expect.poll(() => started.length).toBe(1);
    // The slate's tip-off times are written by the page's own formatter all the same.
    await expect(page.getByTestId('game-card').first().locator('.status')).toHaveText(/\d{1,2}[:.]\d{2}/);
    await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active);
    await page.reload();
    await expect(page.getByTestId('game-card').first()).toBeVisible();
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    expect(started).toHaveLength(1);
  });
});
