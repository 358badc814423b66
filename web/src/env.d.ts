/// <reference types="vite/client" />
/// <reference types="svelte" />

declare const __APP_VERSION__: string;
declare const __BUILD_TIME__: string;

declare module 'virtual:nba-daily/empty-database' {
  /** A new database at the current schema: the SQLite file, gzipped, base64 (vite.config.ts). */
  const gzippedBase64: string;
  export default gzippedBase64;
}
