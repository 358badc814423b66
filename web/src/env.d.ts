/// <reference types="vite/client" />
/// <reference types="svelte" />

declare const __APP_VERSION__: string;
declare const __BUILD_TIME__: string;
