import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { headersFile, securityHeaders } from './scripts/csp';
import { buildEmptyDatabase } from './web/src/lib/db/empty-database';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Starts the sql.js WASM download with the HTML, not after the entry script has run: the streaming compile then
 * finds it in flight (or done). `crossorigin` matches the credentials mode of sql.js's fetch, so the preload is used.
 */
function preloadSqliteWasm(): Plugin {
  return {
    name: 'nba-daily:preload-sqlite-wasm',
    transformIndexHtml(_html, ctx) {
      const wasm = Object.keys(ctx.bundle ?? {}).find((file) => /sql-wasm.*\.wasm$/.test(file));
      if (!wasm) return [];
      return [{ tag: 'link', attrs: { rel: 'preload', href: `/${wasm}`, as: 'fetch', type: 'application/wasm', crossorigin: '' }, injectTo: 'head' }];
    },
  };
}

/**
 * `virtual:nba-daily/empty-database`: a new database at the current schema (the migrations run here, once per
 * build, see web/src/lib/db/empty-database.ts), gzipped and base64-encoded: about 7 KB of the entry chunk instead
 * of a first visit running every migration in the browser.
 */
function emptyDatabase(): Plugin {
  const id = 'virtual:nba-daily/empty-database';
  return {
    name: 'nba-daily:empty-database',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    async load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      const bytes = buildEmptyDatabase(await initSqlJs());
      return `export default ${JSON.stringify(gzipSync(bytes, { level: 9 }).toString('base64'))};`;
    },
  };
}

export default defineConfig({
  root: 'web',
  publicDir: 'public',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  // `vite preview` (npm start, e2e) serves the same policy as the deployed `_headers` file
  preview: { headers: securityHeaders() },
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __BUILD_TIME__: JSON.stringify(new Date().toISOString().slice(0, 16).replace('T', ' ')),
  },
  plugins: [
    svelte(),
    {
      name: 'security-headers-file',
      apply: 'build',
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
      },
    },
    preloadSqliteWasm(),
    emptyDatabase(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'apple-touch-icon-180x180.png'],
      manifest: {
        // A stable identity: the installed app stays the same app if start_url ever changes.
        id: '/',
        name: 'NBA Daily',
        short_name: 'NBA Daily',
        description: 'Daily NBA player and game projections, logged and scored against real results.',
        theme_color: '#1d428a',
        background_color: '#0f1b33',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'pwa-64x64.png', sizes: '64x64', type: 'image/png' },
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
          { src: 'maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Made by scripts/screenshots.mjs; shown in the richer install dialog.
        screenshots: [
          { src: 'screenshots/today-phone.png', sizes: '390x844', type: 'image/png', form_factor: 'narrow', label: "Today's Games on a phone" },
          { src: 'screenshots/today-desktop.png', sizes: '1366x900', type: 'image/png', form_factor: 'wide', label: "Today's Games on a desktop" },
        ],
      },
      workbox: {
        // The WASM is not in the default glob: without it the app cannot open offline.
        globPatterns: ['**/*.{js,css,html,wasm,png,svg,webmanifest}'],
        // Manifest screenshots are for the install dialog, not for offline use.
        globIgnores: ['screenshots/**'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // The first install takes control at once so a first visit is already usable offline;
        // later versions still wait for the person to press "Update" (no skipWaiting here).
        clientsClaim: true,
      },
    }),
  ],
});
