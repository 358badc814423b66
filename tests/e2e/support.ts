// Shared steps for the end-to-end tests: a fixed clock, waiting for the app, reading IndexedDB.
import { expect, type Page } from '@playwright/test';

/** 10:00 in New York on a game day: every game of the simulated slate is still ahead. */
export const MORNING = new Date('2026-11-28T15:00:00Z');

export async function openApp(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('game-card').first()).toBeVisible({ timeout: 30_000 });
  await waitForHistory(page);
}

/** The first visit streams two months of history in; logging waits for it. */
export async function waitForHistory(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled({ timeout: 30_000 });
}

export async function logSlate(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Log predictions' }).click();
  const message = page.locator('.log-message');
  await expect(message).toHaveText(/Logged|Already logged|Not logged/);
  return (await message.textContent()) ?? '';
}

export async function totalLogged(page: Page): Promise<number> {
  await page.getByRole('link', { name: 'History' }).click();
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toBeVisible();
  const text = (await pager.textContent()) ?? '';
  return Number(/(\d+) predictions/.exec(text)?.[1] ?? NaN);
}

export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
  }, undefined, { timeout: 30_000 });
}

/** Writes a raw value into the app's IndexedDB key-value store (to plant bad data). */
export async function putIdb(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    ([k, v]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('nba-daily');
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put(v, k as string);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    [key, value] as const,
  );
}

export async function idbKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('nba-daily');
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').getAllKeys();
          req.onsuccess = () => (open.result.close(), resolve(req.result.map(String)));
          req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}
