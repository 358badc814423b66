// Light or dark, as the system says: charts draw on a canvas, so they need the colours in script too.
const LIGHT = { text: '#3d4759', grid: '#d9dee8', series1: '#1d428a', series2: '#c8102e', reference: '#6b7587' };
const DARK = { text: '#d5dcea', grid: '#2f4270', series1: '#8fb3ff', series2: '#ff8a8a', reference: '#a9b4c8' };

class Theme {
  dark = $state(typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches);
  constructor() {
    if (typeof matchMedia !== 'undefined') matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => (this.dark = e.matches));
  }
  get palette() {
    return this.dark ? DARK : LIGHT;
  }
}

export const theme = new Theme();
