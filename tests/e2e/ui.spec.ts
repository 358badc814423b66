// The views a daily user explores: the slate-wide table, results on cards, the date in the URL and its
// limits, player pages, History and Accuracy state in the URL, plus the keyboard and layout findings
// of the accessibility review (skip link, tab switching, focus on the import buttons, tap targets, CLS).
import { expect, test, type Page } from '@playwright/test';
import { MORNING, logSlate, openApp } from './support';

test.beforeEach(async ({ page }) => {
  await page.clock.install({ time: MORNING });
});

/** Logs today's slate and moves to the next morning, when every logged game is final. */
async function logAndFinish(page: Page) {
  await openApp(page);
  await logSlate(page);
  await page.clock.fastForward('20:00:00');
  await page.getByRole('link', { name: 'Accuracy' }).click();
  await expect(page.getByTestId('accuracy-count')).not.toHaveText('0', { timeout: 30_000 });
}

const numbers = async (page: Page, column: number) =>
  (await page.getByTestId('slate-row').locator(`td:nth-of-type(${column})`).allTextContents()).map(Number);

test('the player table lists the whole slate, sorts by any column, searches and filters', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Player table' }).click();
  await expect(page).toHaveURL(/show=table/);
  const rows = page.getByTestId('slate-row');
  const total = await rows.count();
  expect(total).toBeGreaterThan(100); // every projected player, not four per team

  // Default: projection, highest first. Proj is the 3rd data cell (after team and opponent).
  const proj = await numbers(page, 3);
  expect(proj).toEqual([...proj].sort((a, b) => b - a));
  await page.getByRole('button', { name: 'Proj' }).click();
  await expect(page.getByRole('columnheader', { name: 'Proj' })).toHaveAttribute('aria-sort', 'ascending');
  const asc = await numbers(page, 3);
  expect(asc).toEqual([...asc].sort((a, b) => a - b));
  await page.getByRole('button', { name: 'Min' }).click();
  const minutes = await numbers(page, 6);
  expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
  await page.getByRole('button', { name: 'Player', exact: true }).click();
  const names = await rows.locator('th').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' })));

  const first = names[0];
  await page.getByLabel('Search player').fill(first.slice(0, 6));
  await expect(rows.first()).toContainText(first);
  expect(await rows.count()).toBeLessThan(total);
  await page.getByLabel('Search player').fill('');
  const team = (await rows.first().locator('td').first().textContent())!;
  await page.getByLabel('Team').selectOption(team);
  expect(new Set(await rows.locator('td:nth-of-type(1)').allTextContents())).toEqual(new Set([team]));
  await page.getByLabel('Team').selectOption('');
  await page.getByLabel('Game', { exact: true }).selectOption({ index: 1 });
  expect(new Set(await rows.locator('td:nth-of-type(1)').allTextContents()).size).toBe(2);
});

test('cards show final scores, each player\'s actual with a mark, and whether the pick was right', async ({ page }) => {
  await logAndFinish(page);
  await page.getByRole('link', { name: "Today's Games" }).click();
  await page.getByRole('button', { name: 'Previous day' }).click();
  const card = page.getByTestId('game-card').first();
  await expect(card).toContainText('Final');
  await expect(card.getByTestId('pick-result')).toHaveText(/✓ right|✗ wrong/);
  await expect(card.getByRole('table').first()).toContainText(/inside range|outside range|DNP/);
  await expect(card.getByRole('columnheader', { name: 'Actual' }).first()).toBeVisible();
  await expect(card).toContainText(/\d+ of \d+ players inside their floor–ceiling range/);
});

test('the date is in the URL, follows the clock when not picked, and far-ahead logging is refused with a reason', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('.date-line')).toContainText('Saturday, November 28');
  await page.getByRole('button', { name: 'Next day' }).click();
  await expect(page).toHaveURL(/date=2026-11-29/);
  await page.reload();
  await expect(page.getByLabel('Date')).toHaveValue('2026-11-29');
  await page.goBack();
  await expect(page.getByLabel('Date')).toHaveValue('2026-11-28');

  await page.goto('/#/today?date=2026-12-05');
  await expect(page.getByTestId('game-card').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Log predictions' })).toBeDisabled();
  await expect(page.getByTestId('log-status')).toContainText('Logging opens 3 days before the games (on 2026-12-02)');

  // Left open past midnight without a picked date, the page moves to the new day by itself.
  await page.goto('/#/today');
  await expect(page.getByLabel('Date')).toHaveValue('2026-11-28');
  await page.clock.fastForward('15:00:00'); // 10:00 → 01:00 the next day
  await expect(page.getByLabel('Date')).toHaveValue('2026-11-29', { timeout: 30_000 });
});

test('player pages: reachable from every list, deep-linkable, with his own accuracy', async ({ page }) => {
  await logAndFinish(page);
  await page.getByRole('link', { name: 'History' }).click();
  const row = page.getByTestId('prediction-row').first();
  const name = (await row.getByRole('link').textContent())!;
  await row.getByRole('link').click();
  await expect(page).toHaveURL(/#\/player\//);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('player-scored')).not.toHaveText('0');
  await expect(page.getByTestId('player-mae')).toHaveText(/^\d+\.\d\d$/);
  await expect(page.getByTestId('player-hit-rate')).toHaveText(/%$/);
  await expect(page.getByRole('img', { name: /projected and actual points/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Game log' })).toBeVisible();
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name, { timeout: 30_000 });

  await page.goto('/#/today?date=2026-11-28');
  await page.getByTestId('game-card').first().getByRole('row').nth(1).getByRole('link').click();
  await expect(page).toHaveURL(/#\/player\//);
  await page.goto('/#/accuracy');
  await page.getByText(/By player/).click();
  await page.getByRole('link', { name: name, exact: true }).first().isVisible();
  await page.locator('details').filter({ hasText: 'By player' }).getByRole('link').first().click();
  await expect(page).toHaveURL(/#\/player\//);
  await expect(page.getByTestId('player-mae')).toBeVisible();
  await page.goto('/#/player/no-such-player');
  await expect(page.getByRole('heading', { name: 'Player not found' })).toBeVisible({ timeout: 30_000 });
});

test('History: sort, filters and page live in the URL; Back undoes them; page jumps', async ({ page }) => {
  await logAndFinish(page);
  await page.getByRole('link', { name: 'History' }).click();
  const rows = page.getByTestId('prediction-row');
  await page.getByRole('button', { name: 'Actual' }).click();
  await expect(page).toHaveURL(/sort=actual/);
  await expect(page.getByRole('columnheader', { name: 'Actual' })).toHaveAttribute('aria-sort', 'descending');
  const actual = (await rows.locator('td:nth-of-type(5)').allTextContents()).map((t) => parseInt(t, 10)).filter((n) => !Number.isNaN(n));
  expect(actual.length).toBeGreaterThan(5);
  expect(actual).toEqual([...actual].sort((a, b) => b - a));

  await page.getByLabel('Result').selectOption('hit');
  await expect(page).toHaveURL(/result=hit/);
  await expect(rows.first()).toContainText('inside range');
  await expect(page.getByTestId('prediction-row').filter({ hasText: 'outside range' })).toHaveCount(0);
  await page.getByLabel('Result').selectOption('');
  await page.getByLabel('Confidence').selectOption('high');
  await expect(rows.first()).toBeVisible();
  await page.getByLabel('Confidence').selectOption('');

  const pager = page.getByRole('navigation', { name: 'Pages' });
  await page.getByLabel('Go to page').fill('3');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(pager).toContainText('Page 3 of');
  await expect(page).toHaveURL(/page=3/);
  await page.reload();
  await expect(pager).toContainText('Page 3 of', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Last page' }).click();
  const last = /Page (\d+) of (\d+)/.exec((await pager.textContent())!)!;
  expect(last[1]).toBe(last[2]);
  await page.goBack();
  await expect(pager).toContainText('Page 3 of');

  // Leaving the tab and coming back keeps the state.
  await page.getByRole('link', { name: 'Accuracy' }).click();
  await page.getByRole('link', { name: 'History' }).click();
  await expect(pager).toContainText('Page 3 of');
  await expect(page).toHaveURL(/sort=actual/);
});

test('History on a phone shows Actual and Error without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logAndFinish(page);
  await page.getByRole('link', { name: 'History' }).click();
  const row = page.getByTestId('prediction-row').first();
  for (const label of ['Actual', 'Error']) {
    const cell = row.locator(`td[data-label="${label}"]`);
    await expect(cell).toBeInViewport();
    const box = (await cell.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('Accuracy: a time range in the URL, rolling MAE, DNPs said plainly, populated confidence bands with counts', async ({ page }) => {
  await logAndFinish(page);
  await expect(page.getByTestId('accuracy-dnp')).toHaveText(/(\d+ predictions? (was|were) left out because the player did not play)|No prediction was left out/);
  await expect(page.getByRole('img', { name: /rolling 7-day/ })).toBeVisible();
  const bands = page.getByTestId('confidence-bands').locator('tbody tr');
  await expect(bands).toHaveCount(3);
  const counts = (await bands.locator('td:nth-of-type(1)').allTextContents()).map(Number);
  // Every band holds predictions, the high band too (it was always empty before calibration).
  expect(counts.every((c) => c > 0)).toBe(true);
  await page.getByRole('button', { name: '7 days' }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('accuracy-count')).not.toHaveText('0');
  await page.getByRole('button', { name: 'Custom' }).click();
  await page.getByLabel('From').fill('2026-12-10');
  await expect(page.getByText('No results in this range')).toBeVisible();
  await page.reload();
  await expect(page.getByText('No results in this range')).toBeVisible({ timeout: 30_000 });
});

test('keyboard: Skip to content stays on the view, switching tabs keeps the header in view, import buttons show focus', async ({ page }) => {
  await openApp(page);
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByRole('link', { name: 'Skip to content' }).focus();
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeInViewport(); // visible once focused
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'History', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('main')).toBeFocused();

  await page.getByRole('link', { name: "Today's Games" }).click();
  await page.mouse.wheel(0, 2000);
  await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(100);
  await page.getByRole('link', { name: 'Accuracy' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Accuracy' })).toBeVisible();
  await expect(page.locator('header.top')).toBeInViewport();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeInViewport();

  await page.getByRole('link', { name: 'History' }).click();
  await page.locator('input[type=file]').focus();
  const outline = await page.locator('label.button', { hasText: 'Import CSV' }).evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
});

test('tap targets: primary controls at least 44 px, every control at least 24 px', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page);
  for (const path of ['/#/today', '/#/today?show=table', '/#/history', '/#/accuracy', '/#/settings']) {
    await page.goto(path);
    await expect(page.locator('main h1')).toBeVisible({ timeout: 30_000 });
    const small = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>('button, a[href], select, input:not([type=file]), summary, label.button')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
        if (el.classList.contains('skip')) continue; // off-screen until focused
        const primary = el.matches('button.primary, .tabs a, .log-bar button, .date-nav button');
        const min = primary ? 44 : 24;
        if (r.height < min - 0.5 || r.width < 24 - 0.5) out.push(`${el.tagName} "${el.textContent?.trim().slice(0, 30)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
      }
      return out;
    });
    expect(small, path).toEqual([]);
  }
});

test('first load shifts the layout by less than 0.1 (CLS)', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { cls: number }).cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (e.hadRecentInput) continue;
        (window as unknown as { cls: number }).cls += e.value;
        // Which elements moved, for the failure message.
        const sources = (e as unknown as { sources?: { node?: Node }[] }).sources ?? [];
        console.log(`layout-shift ${e.value.toFixed(3)} at ${e.startTime.toFixed(0)} ms: ${sources.map((s) => (s.node as Element)?.className || s.node?.nodeName).join(', ')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  page.on('console', (m) => m.text().startsWith('layout-shift') && console.log(m.text()));
  await openApp(page);
  const cls = await page.evaluate(() => (window as unknown as { cls: number }).cls);
  console.log(`[cls] first load: ${cls.toFixed(3)}`);
  expect(cls).toBeLessThan(0.1);
});
