import './zod-config';
// Read by scripts/bench-app.mjs: when the entry module starts running (after its imports were parsed and run).
performance.mark('nba-daily:main');
import { mount } from 'svelte';
import App from './App.svelte';
import { yieldToUi } from './lib/db/yield';
import { warmFormats } from './lib/ui/format';
import './app.css';

// The first render in a task of its own, after the one that ran the entry chunk's modules; the slate's time
// formatter in another (ui/format.ts: once the worker the first script started has loaded the locale's data).
void yieldToUi()
  .then(() => mount(App, { target: document.getElementById('app')! }))
  .then(yieldToUi)
  .then(warmFormats);
