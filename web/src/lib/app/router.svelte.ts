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

class Router {
  route = $state<Route>(typeof location === 'undefined' ? parseHash('') : parseHash(location.hash));
  /** Each view's last parameters: leaving History and coming back keeps its filters and page. */
  private last = $state<Partial<Record<ViewName, Record<string, string>>>>({});

  /** Re-reads the URL (after Back/Forward or a typed link). */
  sync(): void {
    this.set(parseHash(location.hash));
  }

  /** The main navigation's link to a view, with the parameters it had when last left. */
  tabHref(view: ViewName): string {
    return hrefFor(view, this.last[view] ?? {});
  }

  private set(route: Route): void {
    this.route = route;
    if (route.view !== 'player') this.last[route.view] = route.params;
  }

  /**
   * Changes this view's parameters. `replace` for every keystroke in a search box (one history entry
   * per search, not per letter); a new entry for pages and picked filters, so Back undoes them.
   */
  setParams(params: Record<string, string | number | undefined | null>, options: { replace?: boolean } = {}): void {
    const { view, id } = this.route;
    const next = hrefFor(view, params, id ?? undefined);
    if (next === location.hash) return;
    if (options.replace) history.replaceState(history.state, '', next);
    else history.pushState(history.state, '', next);
    this.set(parseHash(next));
  }
}

export const router = new Router();
