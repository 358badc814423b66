import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
 * The page's first script (web/src/early.ts, an entry of its own: a few KB) goes in the head, before the entry
 * chunk: a warm start's IndexedDB opens and reads then run while the entry is fetched, parsed and run.
 */
const EARLY_ENTRY = 'early';
function earlyScript(): Plugin {
  return {
    name: 'nba-daily:early-script',
    transformIndexHtml(_html, ctx) {
      // The dev server serves the source module itself.
      const early = ctx.bundle ? Object.values(ctx.bundle).find((c) => c.type === 'chunk' && c.isEntry && c.name === EARLY_ENTRY)?.fileName : 'src/early.ts';
      if (!early) throw new Error('the early entry is missing from the bundle');
      return [{ tag: 'script', attrs: { type: 'module', crossorigin: '', src: `/${early}` }, injectTo: 'head-prepend' }];
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
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { index: fileURLToPath(new URL('./web/index.html', import.meta.url)), [EARLY_ENTRY]: fileURLToPath(new URL('./web/src/early.ts', import.meta.url)) } },
  },
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
    earlyScript(),
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
