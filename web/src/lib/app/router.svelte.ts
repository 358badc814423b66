// The current route as reactive state; parsing and links are in route.ts (pure, tested in Node).
import { hrefFor, parseHash, type Route, type ViewName } from './route';

export { hrefFor, parseHash, playerHref, VIEWS } from './route';
export type { Route, ViewName } from './route';

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
