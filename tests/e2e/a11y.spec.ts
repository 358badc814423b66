// Accessibility of every view, measured with axe-core in a real browser: phone and desktop sizes,
// light and dark themes. Serious and critical violations fail the test; the counts per view are
// printed (and attached) for the record.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { MORNING, logSlate, openApp } from './support';

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } } as const;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function scan(page: Page, view: string) {
  // Expanded details, so the tables behind the charts are checked too. Some build their table only once
  // opened (on their toggle event): wait for those events, then a frame.
  await page.evaluate(async () => {
    const closed = [...document.querySelectorAll('details')].filter((d) => !d.open);
    await Promise.all(closed.map((d) => new Promise((resolve) => (d.addEventListener('toggle', resolve, { once: true }), (d.open = true)))));
    await new Promise((resolve) => requestAnimationFrame(resolve));
  });
  // Every section here holds a table: an open one without is a table that axe would not see.
  await expect(page.locator('details[open]:not(:has(table))')).toHaveCount(0);
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return {
    view,
    serious: bad.reduce((n, v) => n + v.nodes.length, 0),
    all: result.violations.reduce((n, v) => n + v.nodes.length, 0),
    details: bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`),
  };
}

const SCHEMES = ['light', 'dark'] as const;

/** Scans the view on screen in each theme (the system's setting, switched in place: the same page, both themes). */
async function scanThemes(page: Page, view: string) {
  const results = [];
  const backgrounds = new Set<string>();
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
    backgrounds.add(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor));
    results.push(await scan(page, `${view} (${scheme})`));
  }
  // The page's own colours changed with the setting: each scan saw a theme of its own.
  expect(backgrounds.size).toBe(SCHEMES.length);
  return results;
}

for (const [size, viewport] of Object.entries(SIZES)) {
  test(`axe: every view has no serious or critical violation, light and dark (${size})`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await page.setViewportSize(viewport);
    await page.clock.install({ time: MORNING });
    await openApp(page);
    await logSlate(page);
    // The next morning every logged game is final: cards, History and Accuracy show results.
    await page.clock.fastForward('20:00:00');
    await page.getByRole('link', { name: 'Accuracy' }).click();
    await expect(page.getByTestId('accuracy-count')).not.toHaveText('0', { timeout: 30_000 });

    const results = [];
    results.push(...(await scanThemes(page, 'Accuracy')));
    await page.goto('/#/today?date=2026-11-28');
    await expect(page.getByTestId('game-card').first()).toContainText('Final');
    results.push(...(await scanThemes(page, "Today's Games (cards, final)")));
    await page.getByRole('button', { name: 'Player table' }).click();
    await expect(page.getByTestId('slate-row').first()).toBeVisible();
    results.push(...(await scanThemes(page, "Today's Games (player table)")));
    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByTestId('prediction-row').first()).toBeVisible();
    results.push(...(await scanThemes(page, 'History')));
    await page.getByTestId('prediction-row').first().getByRole('link').click();
    await expect(page.getByTestId('player-mae')).toBeVisible();
    results.push(...(await scanThemes(page, 'Player')));
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    results.push(...(await scanThemes(page, 'Settings')));

    const summary = results.map((r) => `${r.view}: ${r.serious} serious/critical, ${r.all} in all`).join('\n');
    console.log(`[axe ${size}]\n${summary}`);
    await testInfo.attach(`axe-${size}.json`, { body: JSON.stringify(results, null, 2), contentType: 'application/json' });
    expect(results.flatMap((r) => r.details.map((d) => `${r.view}: ${d}`))).toEqual([]);

    // The scan itself can fail: a planted low-contrast line (fixed colours) is caught, in either theme.
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'planted low-contrast text';
      p.style.cssText = 'color:#777;background:#888';
      document.querySelector('main')?.append(p);
    });
    for (const planted of await scanThemes(page, 'planted')) expect(planted.details.join(), planted.view).toContain('color-contrast');
  });
}
