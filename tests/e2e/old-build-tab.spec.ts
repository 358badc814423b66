// Two tabs across a deploy: one still runs the previous build (stop 13, commit 7f7e5fe: every journal entry one gzip
// value under ['journal', …]), the other the build under test. The previous build is built from its archived
// sources (tests/previous-builds.ts) into .tmp/ (its dependencies are this checkout's, a superset) and served by the
// same server, which then switches to this build's dist, as a redeploy does. Service workers are blocked so the second tab really gets the new build.
// What must hold: the old tab never sets the journal aside, the new tab's writes stay in the live database, and the
// old tab's own write is refused (it cannot read what the new build stored) rather than overwriting anything.
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { idbKeys, logSlate, MORNING, openApp, totalLogged } from './support';
import { startSwitchableServer } from './switchable-server';
import { extractPreviousBuild, PREVIOUS_BUILDS, repoRoot as root } from '../previous-builds';

const PREVIOUS_BUILD = PREVIOUS_BUILDS['stop 13'];
const NEW_DIST = join(root, 'dist');
const OLD_TREE = join(root, '.tmp', 'old-app', PREVIOUS_BUILD);
const OLD_DIST = join(OLD_TREE, 'dist-e2e');

/** Builds the previous build's web app once (about 6 s), from the commit's own files. */
function buildPrevious(): void {
  if (existsSync(join(OLD_DIST, 'index.html'))) return;
  extractPreviousBuild(PREVIOUS_BUILD, 'old-app', 'vite.config.ts');
  if (!existsSync(join(OLD_TREE, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(OLD_TREE, 'node_modules'));
  execFileSync('npx', ['vite', 'build', '--outDir', OLD_DIST, '--logLevel', 'error'], { cwd: OLD_TREE, stdio: 'inherit' });
}

test.beforeAll(() => {
  test.setTimeout(120_000);
  buildPrevious();
});

/** The entry script the page runs: tells the two builds apart. */
const entryScript = (page: import('@playwright/test').Page) => page.evaluate(() => document.querySelector<HTMLScriptElement>('script[type="module"]')?.src ?? '');

test("a tab of the previous build open while this build writes: nothing is set aside, and the new tab's writes stay", async ({ browser }) => {
  test.setTimeout(120_000);
  const server = await startSwitchableServer(OLD_DIST);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.clock.install({ time: MORNING });
  try {
    const old = await context.newPage();
    await openApp(old, server.url);
    expect(await logSlate(old)).toMatch(/Logged \d+ new/);
    const loggedByOld = await totalLogged(old);

    // The app is redeployed; a second tab opens the new build on the same data.
    server.setRoot(NEW_DIST);
    const tab = await context.newPage();
    await openApp(tab, `${server.url}#/today`);
    expect(await entryScript(tab)).not.toBe(await entryScript(old));
    await tab.getByRole('button', { name: 'Next day' }).click();
    await expect(tab.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
    expect(await logSlate(tab)).toMatch(/Logged \d+ new/);
    const loggedByBoth = await totalLogged(tab);
    expect(loggedByBoth).toBeGreaterThan(loggedByOld);

    // The old tab logs tomorrow too, on top of what it has (it cannot see the new tab's rows): refused, with the
    // reason; nothing is overwritten.
    await old.getByRole('link', { name: "Today's Games" }).click();
    await old.getByRole('button', { name: 'Next day' }).click();
    await expect(old.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
    expect(await logSlate(old)).toMatch(/Not logged: .*changed since this tab read it/);

    expect((await idbKeys(tab)).filter((k) => k.startsWith('quarantine-'))).toEqual([]);
    // A fresh tab of the new build finds everything both tabs reported saved.
    const fresh = await context.newPage();
    await openApp(fresh, server.url);
    expect(await totalLogged(fresh)).toBe(loggedByBoth);
    // And the new tab goes on writing.
    await tab.getByRole('link', { name: "Today's Games" }).click();
    await tab.getByRole('button', { name: 'Next day' }).click();
    await expect(tab.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
    expect(await logSlate(tab)).toMatch(/Logged \d+ new/);
    expect(await totalLogged(fresh)).toBeGreaterThan(loggedByBoth);
  } finally {
    await context.close();
    await server.close();
  }
});
