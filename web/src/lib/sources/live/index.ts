// Real NBA schedules and box scores, fetched through the NBA Daily worker (`GET /v1/nba/day/:date`), which
// talks to the NBA's feeds, trims and normalises them. Every response is validated before it is used.
import { z } from 'zod';
import { previousSeason, seasonOf } from '../../domain/dates';
import { TEAMS } from '../../domain/teams';
import type { IsoDate } from '../../domain/types';
import type { DataSource, DayData, DayReports } from '../types';
import { idbReportCache, type KeptReports, type ReportCache } from './report-cache';
import { DayWire, InjuriesWire, OddsWire } from './wire';

export class LiveSourceError extends Error {
  override name = 'LiveSourceError';
}

export interface LiveSourceConfig {
  workerUrl: string;
  token: string;
}

export const LIVE_SOURCE_ID = 'nba';

/** The kept copy as the day's reports (every part marked kept), or null when nothing is kept. */
function keptAsReports(kept: KeptReports, errors: string[]): DayReports | null {
  if (!kept.injuries && !kept.odds) return null;
  return {
    availability: kept.injuries?.answer.players ?? [],
    market: kept.odds?.answer.games ?? [],
    errors,
    asOf: {
      availability: kept.injuries ? { fetchedAt: kept.injuries.fetchedAt, kept: true } : null,
      market: kept.odds ? { fetchedAt: kept.odds.fetchedAt, kept: true } : null,
    },
  };
}

export function createLiveSource(
  config: () => LiveSourceConfig | null,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
  cache: ReportCache = idbReportCache(),
  now: () => number = Date.now,
): DataSource {
  return {
    id: LIVE_SOURCE_ID,
    label: 'Live NBA',
    simulated: false,
    teams: async () => TEAMS.map((t) => ({ ...t })),
    async day(date: IsoDate): Promise<DayData> {
      const c = config();
      if (!c) throw new LiveSourceError('Live NBA data needs the NBA Daily worker: connect it under Settings → Cloud sync.');
      const url = new URL(`v1/nba/day/${date}`, c.workerUrl.endsWith('/') ? c.workerUrl : `${c.workerUrl}/`);
      let response: Response;
      for (let attempt = 0; ; attempt++) {
        try {
          // The app keeps what it fetched in SQLite; a browser-cached copy would only hide a game going final.
          response = await fetchImpl(url, { headers: { Authorization: `Bearer ${c.token}` }, cache: 'no-store' });
        } catch (error) {
          throw new LiveSourceError(`Live data could not be fetched (${(error as Error).message}).`);
        }
        // A long backfill can outrun the worker's rate limit: wait as told, a few times, then give up
        // (the backfill resumes from the first missing day on the next refresh).
        if (response.status !== 429 || attempt >= 3) break;
        const wait = Math.min(30, Math.max(1, Number(response.headers.get('Retry-After')) || 5));
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      }
      const json: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const reason = (json as { reason?: unknown; error?: unknown } | null)?.reason ?? (json as { error?: unknown } | null)?.error;
        throw new LiveSourceError(`Live data for ${date} is unavailable (${response.status}${typeof reason === 'string' ? `: ${reason}` : ''}).`);
      }
      const parsed = DayWire.safeParse(json);
      if (!parsed.success || parsed.data.date !== date) throw new LiveSourceError(`Live data for ${date} came back in an unexpected shape; nothing was stored.`);
      return parsed.data;
    },
    async keptReports(date: IsoDate): Promise<DayReports | null> {
      return keptAsReports(await cache.load(date), []);
    },
    async reports(date: IsoDate): Promise<DayReports> {
      const c = config();
      if (!c) return keptAsReports(await cache.load(date), ['no worker connected']) ?? { availability: [], market: [], errors: ['no worker connected'] };
      const base = c.workerUrl.endsWith('/') ? c.workerUrl : `${c.workerUrl}/`;
      const get = async <S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> => {
        const response = await fetchImpl(new URL(path, base), { headers: { Authorization: `Bearer ${c.token}` }, cache: 'no-store' });
        if (!response.ok) throw new LiveSourceError(`${path}: ${response.status}`);
        const parsed = schema.safeParse(await response.json().catch(() => null));
        if (!parsed.success || (parsed.data as { date: string }).date !== date) throw new LiveSourceError(`${path}: unexpected shape`);
        return parsed.data;
      };
      const fetchedAt = now();
      const [injuries, odds] = await Promise.allSettled([get(`v1/nba/injuries/${date}`, InjuriesWire), get(`v1/nba/odds/${date}`, OddsWire)]);
      const errors = [injuries, odds].flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
      // Kept for the next offline start; a failure to keep it costs only that.
      if (injuries.status === 'fulfilled') await cache.save('injuries', injuries.value, fetchedAt).catch(() => undefined);
      if (odds.status === 'fulfilled') await cache.save('odds', odds.value, fetchedAt).catch(() => undefined);
      // A part that did not come: the copy kept from the last time it did, said to be that.
      const kept = injuries.status === 'rejected' || odds.status === 'rejected' ? await cache.load(date) : { injuries: null, odds: null };
      const fresh = { fetchedAt, kept: false };
      return {
        availability: injuries.status === 'fulfilled' ? injuries.value.players : (kept.injuries?.answer.players ?? []),
        market: odds.status === 'fulfilled' ? odds.value.games : (kept.odds?.answer.games ?? []),
        errors,
        asOf: {
          availability: injuries.status === 'fulfilled' ? fresh : kept.injuries ? { fetchedAt: kept.injuries.fetchedAt, kept: true } : null,
          market: odds.status === 'fulfilled' ? fresh : kept.odds ? { fetchedAt: kept.odds.fetchedAt, kept: true } : null,
        },
      };
    },
    // The season so far plus the previous one (the engine's prior), from each regular season's opening month.
    historyStart: (today) => `${previousSeason(seasonOf(today)).slice(0, 4)}-10-01`,
  };
}
