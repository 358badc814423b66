// NBA data: NBA CDN first, ESPN as the fallback (see docs/API.md, "NBA data").
import { Espn } from './espn';
import { NbaCdn, scheduleLookup } from './nba-cdn';
import { NbaData } from './upstream';

export const nbaData = new NbaData([new NbaCdn(), new Espn()], scheduleLookup);
export { cacheSeconds, UpstreamFailure } from './upstream';
export type { NbaConfig } from './upstream';
