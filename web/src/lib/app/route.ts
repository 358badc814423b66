// Hash routes with their parameters, so every view's state (date, filters, page, range, player) lives in
// the URL: Back works, and a copied link opens the same screen. `#/history?team=BOS&page=3`.
export const VIEWS = ['today', 'history', 'accuracy', 'settings', 'player'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  /** The path segment after the view (a player id). */
  id: string | null;
  params: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [path, query = ''] = body.split('?', 2);
  const [first, ...rest] = path.split('/');
  const view = (VIEWS as readonly string[]).includes(first) ? (first as ViewName) : 'today';
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) if (v !== '') params[k] = v;
  const id = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { view: view === 'player' && !id ? 'today' : view, id, params };
}

export function hrefFor(view: ViewName, params: Record<string, string | number | undefined | null> = {}, id?: string): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const q = query.toString();
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}${q ? `?${q}` : ''}`;
}

export const playerHref = (playerId: string) => hrefFor('player', {}, playerId);

