// The app under its Content-Security-Policy (scripts/csp.ts; `vite preview` serves it as npm start does): it opens
// (WASM SQLite), installs its service worker and syncs with the worker and S3 without a single violation, while
// an injected inline handler or eval() is refused.
import { expect, test } from '@playwright/test';
import { contentSecurityPolicy } from '../../scripts/csp';
import { MORNING, logSlate, openApp, waitForServiceWorker } from './support';

test('the app works under its CSP and an injected script does not run', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.clock.install({ time: MORNING });
  // the last minted token: sync.spec.ts takes them from the first one on, and leaves this one
  const tokens = JSON.parse(process.env.E2E_TOKENS ?? '[]') as string[];
  const link = `/#connect=${Buffer.from(JSON.stringify({ workerUrl: process.env.E2E_WORKER_URL, token: tokens[tokens.length - 1] })).toString('base64url')}`;

  const response = await page.request.get('/');
  expect(response.headers()['content-security-policy']).toBe(contentSecurityPolicy());
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  await openApp(page, link);
  await waitForServiceWorker(page);
  await expect(page.getByTestId('sync-badge')).toHaveText('Synced', { timeout: 30_000 });
  expect(await logSlate(page)).toMatch(/Logged \d+ new/);
  await page.clock.fastForward(5_000); // the change syncs (a PUT to S3) after its short pause
  await expect(page.getByTestId('sync-badge')).toHaveText('Synced', { timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);

  // an injection (markup that reaches the DOM): neither an inline script element nor an inline handler runs.
  // (page.evaluate itself is exempt from CSP, so the injection goes through the DOM as an attacker's would.)
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__pwned = 1';
    document.body.append(script);
    document.body.insertAdjacentHTML('beforeend', '<img src="/missing.png" onerror="window.__pwned = 2">');
  });
  const refused = () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.filter((v) => v.startsWith('script-src')));
  await expect.poll(async () => (await refused()).length).toBe(2);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0)).toBe(0);
});
