// Renders web/public/favicon.svg into the PNG icons the manifest and iOS ask for, with headless Chromium.
// Run once after changing the SVG: `node scripts/make-icons.mjs` (the PNGs are committed).
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync(new URL('../web/public/favicon.svg', import.meta.url), 'utf8');
const targets = [
  { file: 'pwa-64x64.png', size: 64, padding: 0 },
  { file: 'pwa-192x192.png', size: 192, padding: 0 },
  { file: 'pwa-512x512.png', size: 512, padding: 0 },
  { file: 'apple-touch-icon-180x180.png', size: 180, padding: 0 },
  // Maskable icons keep their content inside the central 80% safe zone.
  { file: 'maskable-icon-512x512.png', size: 512, padding: 0.1 },
];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const { file, size, padding } of targets) {
  await page.setViewportSize({ width: size, height: size });
  const inset = Math.round(size * padding);
  await page.setContent(
    `<body style="margin:0;background:#1d428a;width:${size}px;height:${size}px;display:grid;place-items:center">
       <div style="width:${size - 2 * inset}px;height:${size - 2 * inset}px">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div></body>`,
  );
  await page.screenshot({ path: new URL(`../web/public/${file}`, import.meta.url).pathname, omitBackground: false });
}
await browser.close();
console.log(`wrote ${targets.length} icons`);
