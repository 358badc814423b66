import './zod-config';
// Read by scripts/bench-app.mjs: when the entry module starts running (after its imports were parsed and run).
performance.mark('nba-daily:main');
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });
