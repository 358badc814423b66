import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { MORNING, logSlate, openApp, totalLogged } from './support';

const MORNING_DATE = '2026-11-28';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { LOCAL_RGW } from '../../scripts/rgw/local-rgw';
import { createS3Client } from '../../presign-worker/src/store/s3';
import { E2E_BUCKET } from './bucket';

// Routing needs the page's own requests, which an active service worker could otherwise hide.
test.use({ serviceWorkers: 'block' });

let nextToken = 0;
let lastNamespace = '';
/** A connect link for a namespace no other test uses. */
function connectLink(): string {
  const tokens = JSON.parse(process.env.E2E_TOKENS ?? '[]') as string[];
  lastNamespace = (JSON.parse(process.env.E2E_NAMESPACES ?? '[]') as string[])[nextToken];
  const token = tokens[nextToken++];
  if (!token) throw new Error('out of e2e tokens');
  return `/#connect=${Buffer.from(JSON.stringify({ workerUrl: process.env.E2E_WORKER_URL, token })).toString('base64url')}`;
}

async function newDevice(browser: Browser, link: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install({ time: MORNING });
  await openApp(page, link);
  await expect(page.getByTestId('sync-badge')).toHaveText('Synced', { timeout: 30_000 });
  return page;
}

async function generation(page: Page): Promise<number> {
  await page.getByRole('link', { name: 'Settings' }).click();
  const status = page.getByTestId('sync-status');
  await expect(status).toContainText('Synced');
  return Number(/Version on the server\s*(\d+)/.exec((await status.textContent()) ?? '')?.[1]);
}

test('two devices log different predictions offline, then sync: both end with the union', async ({ browser }) => {
  const link = connectLink();
  const a = await newDevice(browser, link);
  const b = await newDevice(browser, link);
  // Service workers are blocked here: History's chunk (loaded on demand) is fetched while online, as the service
  // worker's precache holds it in the app.
  for (const page of [a, b]) {
    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.locator('main h1')).toHaveText('History');
    await page.getByRole('link', { name: "Today's Games" }).click();
    await expect(page.getByTestId('game-card').first()).toBeVisible();
  }

  await a.context().setOffline(true);
  await b.context().setOffline(true);
  await expect(a.getByTestId('sync-badge')).toHaveText(/Synced|Sync waits/);
  expect(await logSlate(a)).toMatch(/Logged \d+ new/);
  await b.getByRole('button', { name: 'Next day' }).click();
  await expect(b.getByRole('button', { name: 'Log predictions' })).toBeEnabled();
  expect(await logSlate(b)).toMatch(/Logged \d+ new/);
  const onlyA = await totalLogged(a);
  const onlyB = await totalLogged(b);

  await a.context().setOffline(false);
  await expect(a.getByTestId('sync-badge')).toHaveText('Synced', { timeout: 30_000 });
  await b.context().setOffline(false);
  await expect(b.getByTestId('sync-badge')).toHaveText('Synced', { timeout: 30_000 });
  await expect.poll(() => totalLogged(b), { timeout: 30_000 }).toBe(onlyA + onlyB);

  // Device A picks up B's predictions on its five-minute timer (fake clock, no real wait).
  await a.clock.fastForward('05:01');
  await expect.poll(() => totalLogged(a), { timeout: 30_000 }).toBe(onlyA + onlyB);
});

test('a logged slate is uploaded once after a short pause, and the app syncs on load', async ({ browser }) => {
  const page = await newDevice(browser, connectLink());
  const before = await generation(page);
  const commits: string[] = [];
  page.on('request', (r) => r.url().endsWith('/v1/sync/commit') && commits.push(r.url()));
  await page.getByRole('link', { name: "Today's Games" }).click();
  await logSlate(page);
  await page.clock.fastForward(5_000);
  await expect.poll(() => generation(page), { timeout: 30_000 }).toBe(before + 1);
  expect(commits).toHaveLength(1);

  const begins: string[] = [];
  page.on('request', (r) => r.url().endsWith('/v1/sync/begin') && begins.push(r.url()));
  await page.reload();
  await expect(page.getByTestId('sync-badge')).toHaveText('Synced', { timeout: 30_000 });
  expect(begins.length).toBeGreaterThanOrEqual(1);
  expect(await generation(page)).toBe(before + 1); // nothing new: no upload
});

test('S3 down and a cut upload show the error, keep local data, and the next sync recovers', async ({ browser }) => {
  const page = await newDevice(browser, connectLink());
  const before = await generation(page);
  await page.getByRole('link', { name: "Today's Games" }).click();

  // The network cuts every upload to S3 mid-flight.
  await page.route(`${LOCAL_RGW.endpoint}/**`, (route) => (route.request().method() === 'PUT' ? route.abort('connectionreset') : route.continue()));
  await logSlate(page);
  await page.clock.fastForward(5_000);
  await expect(page.getByTestId('sync-badge')).toHaveText('Sync error', { timeout: 30_000 });
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('sync-status')).toContainText(/upload to storage failed/);
  await expect(page.getByTestId('sync-status')).toContainText('Changes not yet syncedyes');
  const logged = await totalLogged(page);
  expect(logged).toBeGreaterThan(0);

  // S3 entirely down: downloads fail too.
  await page.unroute(`${LOCAL_RGW.endpoint}/**`);
  await page.route(`${LOCAL_RGW.endpoint}/**`, (route) => route.abort('connectionrefused'));
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('Error');

  // Back up: the next sync (here the user's "Sync now") uploads everything.
  await page.unroute(`${LOCAL_RGW.endpoint}/**`);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('Synced', { timeout: 30_000 });
  expect(await generation(page)).toBe(before + 1);
  await expect(page.getByTestId('sync-status')).toContainText('Changes not yet syncednone');
  expect(await totalLogged(page)).toBe(logged);
});

test('backups: back up now, list, and restore by merging', async ({ browser }) => {
  const page = await newDevice(browser, connectLink());
  await logSlate(page);
  const logged = await totalLogged(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText(/Backed up version \d+ \(taken /)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Restore (merge)' }).first()).toBeVisible();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Restore (merge)' }).first().click();
  await expect(page.getByText(/Restored .*: 0 predictions added/)).toBeVisible({ timeout: 30_000 });
  expect(await totalLogged(page)).toBe(logged);
});

test('the built app contains no storage credential', async () => {
  const dist = fileURLToPath(new URL('../../dist', import.meta.url));
  const files = (await readdir(dist, { recursive: true })).filter((f) => /\.(js|html|json|webmanifest)$/.test(f));
  expect(files.length).toBeGreaterThan(3);
  for (const file of files) {
    const text = await readFile(`${dist}/${file}`, 'utf8');
    expect(text, file).not.toContain(LOCAL_RGW.secretAccessKey);
    expect(text, file).not.toContain(LOCAL_RGW.accessKeyId);
    expect(text, file).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(text, file).not.toMatch(/S3_SECRET_ACCESS_KEY|aws_secret_access_key/i);
  }
});

test('replacing with a backup removes later predictions, after confirmation', async ({ browser }) => {
  const page = await newDevice(browser, connectLink());
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Back up now' }).click(); // a backup with no predictions
  await expect(page.getByText(/Backed up version \d+ \(taken /)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: "Today's Games" }).click();
  await logSlate(page);
  expect(await totalLogged(page)).toBeGreaterThan(0);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Show backups' }).click();
  page.once('dialog', (d) => d.dismiss()); // a cancelled confirmation changes nothing
  await page.getByRole('button', { name: 'Replace…' }).first().click();
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByTestId('prediction-row').first()).toBeVisible();

  await page.getByRole('link', { name: 'Settings' }).click();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Replace…' }).first().click();
  await expect(page.getByText(/Replaced with .*: 0 predictions restored, \d+ removed/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByText(/No logged predictions/)).toBeVisible();
});

test('a finished day leaves a human-readable CSV copy in the bucket', async ({ browser }) => {
  const page = await newDevice(browser, connectLink());
  await logSlate(page);
  const logged = await totalLogged(page);
  await page.clock.fastForward('20:00:00'); // every game of the day is final and scored
  await page.getByRole('link', { name: 'Accuracy' }).click();
  await expect(page.getByTestId('accuracy-count')).not.toHaveText('0', { timeout: 30_000 });
  await page.clock.fastForward(5_000); // the change syncs after its short pause
  const s3 = createS3Client(LOCAL_RGW);
  const key = `nba-daily/${lastNamespace}/csv/${MORNING_DATE}.csv`;
  const read = async () => {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: E2E_BUCKET, Key: key }));
      return (await object.Body!.transformToString()).trim().split('\r\n').length - 1;
    } catch {
      return -1;
    }
  };
  await expect.poll(read, { timeout: 30_000 }).toBe(logged);
  s3.destroy();
});

test('Sync now reports its outcome; Disconnect asks first; a #connect= link works in an open tab', async ({ browser }) => {
  const page = await newDevice(browser, connectLink());
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByText(/^Synced at /)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('sync-next')).toHaveText(/^at /); // the periodic sync is scheduled
  await expect(page.getByTestId('sync-pending')).toHaveText('none');

  page.once('dialog', (d) => d.dismiss());
  await page.getByRole('button', { name: 'Disconnect…' }).click();
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeVisible(); // still connected
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Disconnect…' }).click();
  await expect(page.getByText('Disconnected: this device no longer syncs.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Connect' })).toBeVisible();
  await expect(page.getByTestId('sync-badge')).toHaveCount(0);

  // The same tab, no reload: pasting a connect link connects it again and clears the address bar.
  await page.evaluate((hash) => (location.hash = hash), connectLink().slice(1));
  await expect(page.getByTestId('sync-badge')).toHaveText('Synced', { timeout: 30_000 });
  expect(page.url()).not.toContain('connect=');
});
