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

/** One drawn row of the slate table, by its place in the whole list (aria-rowindex; the header row is 1). */
interface TableRow { index: number; href: string; name: string; cells: string[] }

/**
 * Every row of the windowed slate table, in order: scrolls its box from top to bottom and reads the rows
 * drawn at each step. Fails unless every place 2..aria-rowcount was seen, so no player can hide between
 * windows.
 */
async function allTableRows(page: Page): Promise<TableRow[]> {
  const rowCount = Number(await page.getByTestId('slate-table').getAttribute('aria-rowcount'));
  const seen = await page.getByRole('region', { name: 'Players on the slate' }).evaluate(async (box) => {
    const rows = new Map<number, { index: number; href: string; name: string; cells: string[] }>();
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const read = () => {
      for (const tr of box.querySelectorAll<HTMLElement>('tr[data-testid=slate-row]')) {
        const a = tr.querySelector('th a')!;
        const index = Number(tr.getAttribute('aria-rowindex'));
        rows.set(index, { index, href: a.getAttribute('href')!, name: a.textContent!.trim(), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()) });
      }
    };
    box.scrollTop = 0;
    await frame();
    for (;;) {
      read();
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
      box.scrollTop += box.clientHeight / 2;
      // The window follows a scroll within a frame or two (the scroll event, then a measure).
      await frame();
      await frame();
    }
    read();
    box.scrollTop = 0;
    return [...rows.values()];
  });
  const rows = seen.sort((a, b) => a.index - b.index);
  expect(rows.map((r) => r.index)).toEqual(Array.from({ length: rowCount - 1 }, (_, i) => i + 2));
  return rows;
}

/** Every projected player on the cards (each card expanded), by player link: the slate as the cards show it. */
async function cardPlayers(page: Page): Promise<{ hrefs: string[]; byTeam: Map<string, number> }> {
  const more = page.getByRole('button', { name: 'Show all players' });
  const cards = await page.getByTestId('game-card').count();
  // Each click turns one button into "Show top scorers only"; every card with more than four a side has one.
  while ((await more.count()) > 0) await more.first().click();
  await expect(page.getByRole('button', { name: 'Show top scorers only' })).toHaveCount(cards);
  const sides = await page.getByTestId('game-card').locator('.scorers table').evaluateAll((tables) =>
    tables.map((t) => ({
      team: t.querySelector('caption')!.textContent!.trim().split(' ')[0],
      hrefs: [...t.querySelectorAll('tbody tr:not([data-testid=out-row]) th a')].map((a) => a.getAttribute('href')!),
    })),
  );
  return { hrefs: sides.flatMap((s) => s.hrefs), byTeam: new Map(sides.map((s) => [s.team, s.hrefs.length])) };
}

const column = (rows: TableRow[], i: number) => rows.map((r) => Number(r.cells[i]));

test('the player table lists the whole slate, sorts by any column, searches and filters', async ({ page }) => {
  await openApp(page);
  const cards = await cardPlayers(page);
  expect(cards.hrefs.length).toBeGreaterThan(100); // every projected player, not four per team
  await page.getByRole('button', { name: 'Player table' }).click();
  await expect(page).toHaveURL(/show=table/);
  const table = page.getByTestId('slate-table');
  const rows = page.getByTestId('slate-row');
  const total = cards.hrefs.length;

  // Every player on the cards is in the table, once (aria-rowcount counts the header row too) ...
  await expect(table).toHaveAttribute('aria-rowcount', String(total + 1));
  await expect(page.getByTestId('slate-count')).toHaveText(`Showing ${total} of ${total} players`);
  // ... though only a window of rows is drawn at a time.
  expect(await rows.count()).toBeLessThan(total);
  const all = await allTableRows(page);
  expect(all.map((r) => r.href).sort()).toEqual([...cards.hrefs].sort());

  // Default: projection, highest first, over the whole list. Proj is the 3rd data cell (after team and opponent).
  const proj = column(all, 2);
  expect(proj).toEqual([...proj].sort((a, b) => b - a));
  // Sort buttons work from the keyboard.
  await page.getByRole('button', { name: 'Proj' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('columnheader', { name: 'Proj' })).toHaveAttribute('aria-sort', 'ascending');
  const asc = column(await allTableRows(page), 2);
  expect(asc).toEqual([...asc].sort((a, b) => a - b));
  await page.getByRole('button', { name: 'Min' }).click();
  await expect(page.getByRole('columnheader', { name: 'Min' })).toHaveAttribute('aria-sort', 'descending');
  const minutes = column(await allTableRows(page), 5);
  expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
  await page.getByRole('button', { name: 'Player', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Player', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  const names = (await allTableRows(page)).map((r) => r.name);
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' })));

  // Search finds any player, the last of the list as well as the first.
  const last = names.at(-1)!;
  await page.getByLabel('Search player').fill(last);
  await expect(rows.first()).toContainText(last);
  expect(await rows.count()).toBeLessThan(total);
  await expect(page.getByTestId('slate-count')).toHaveText(new RegExp(`^Showing \\d+ of ${total} players$`));
  await page.getByLabel('Search player').fill('');
  await expect(table).toHaveAttribute('aria-rowcount', String(total + 1));

  // A team filter keeps exactly that team's players (as many as its cards show).
  const team = (await rows.first().locator('td').first().textContent())!;
  await page.getByLabel('Team').selectOption(team);
  await expect(table).toHaveAttribute('aria-rowcount', String(cards.byTeam.get(team)! + 1));
  expect(new Set((await allTableRows(page)).map((r) => r.cells[0]))).toEqual(new Set([team]));
  await page.getByLabel('Team').selectOption('');
  await page.getByLabel('Game', { exact: true }).selectOption({ index: 1 });
  expect(new Set((await allTableRows(page)).map((r) => r.cells[0])).size).toBe(2);
});

test('the player table keeps a focused row while its box scrolls away, so Tab goes on from it', async ({ page }) => {
  await openApp(page, '/#/today?show=table');
  const box = page.getByRole('region', { name: 'Players on the slate' });
  const link = page.getByTestId('slate-row').nth(1).getByRole('link');
  const name = (await link.textContent())!;
  await link.focus();
  await box.evaluate((e) => (e.scrollTop = e.scrollHeight));
  await expect(page.getByTestId('slate-row').last()).toHaveAttribute('aria-rowindex', await page.getByTestId('slate-table').getAttribute('aria-rowcount') as string);
  // The focused row is still in the DOM, still focused, in its place (row 3: the header is 1).
  await expect(page.locator(':focus')).toHaveText(name);
  await expect(page.locator('tr:has(:focus)')).toHaveAttribute('aria-rowindex', '3');
  await page.keyboard.press('Tab');
  await expect(page.locator('tr:has(:focus)')).toHaveAttribute('aria-rowindex', '4');
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
  // The switch has landed focus on <main> (and the page at its top) before the user scrolls down.
  await expect(page.locator('main')).toBeFocused();
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

test('switching views focuses <main> once the new view is in it, so a screen reader starts on its heading', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __focusedWith: string[] }).__focusedWith = seen;
    document.querySelector('main')!.addEventListener('focus', (e) => seen.push((e.target as HTMLElement).querySelector('h1')?.textContent?.trim() ?? '(empty)'));
  });
  const views = ['History', 'Settings', "Today's Games", 'History'];
  for (const [i, name] of views.entries()) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.locator('main')).toBeFocused();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __focusedWith: string[] }).__focusedWith.length)).toBe(i + 1);
  }
  expect(await page.evaluate(() => (window as unknown as { __focusedWith: string[] }).__focusedWith)).toEqual(views);
});

test.describe('a view loaded on demand', () => {
  // No service worker: the chunk comes from the network, as on a first visit before the worker installs.
  test.use({ serviceWorkers: 'block' });

  test('whose chunk fails to load says so in <main>, and "Try again" loads it', async ({ page }) => {
    let failing = true;
    await page.route(/SettingsView-[^/]*\.js$/, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await openApp(page);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const alert = page.locator('main [role=alert]');
    await expect(alert).toContainText('could not be loaded');
    await expect(page.locator('main')).toBeFocused();
    failing = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.locator('main h1')).toHaveText('Settings');
    // Nothing about the failed chunk is left unhandled.
    expect(errors).toEqual([]);
  });

  test('a browser that refuses the service worker leaves no unhandled error, and Settings says offline use is off', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await openApp(page);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await expect(page.getByTestId('offline-status')).toContainText('not available');
    expect(errors).toEqual([]);
  });

  test('that arrives after the user moved on takes neither focus nor scroll from the view now shown', async ({ page }) => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let served = false;
    await page.route(/HistoryView-[^/]*\.js$/, async (route) => {
      await released;
      await route.continue();
      served = true;
    });
    await openApp(page);
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await expect(page.locator('main p[role=status]')).toHaveText('Loading…');
    await page.getByRole('link', { name: "Today's Games" }).click();
    await expect(page.getByTestId('game-card').first()).toBeVisible();
    // The switch back to Today's Games has focused <main> (its own move, a frame after the view is in).
    await expect(page.locator('main')).toBeFocused();
    const logButton = page.getByRole('button', { name: /Log predictions/ });
    await logButton.focus();
    const scrolled = await page.evaluate(() => window.scrollY);
    release();
    // The chunk is served, then run, then the focus would move in the frame after: a few frames later nothing has.
    await expect.poll(() => served).toBe(true);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
    await expect(logButton).toBeFocused();
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  });
});
