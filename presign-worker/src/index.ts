// workerd entry (wrangler dev / wrangler deploy): the Hono app is the fetch handler.
import { app } from './app';

export default { fetch: app.fetch };
