// Real NBA schedules and box scores, fetched through the NBA Daily worker (`GET /v1/nba/day/:date`), which
// talks to the NBA's feeds, trims and normalises them. Every response is validated before it is used.
import { z } from 'zod';
import { previousSeason, seasonOf } from '../../domain/dates';
import { TEAMS } from '../../domain/teams';
import type { IsoDate } from '../../domain/types';
import type { DataSource, DayData, DayReports } from '../types';
import { DayWire, InjuriesWire, OddsWire } from './wire';

export class LiveSourceError extends Error {
  override name = 'LiveSourceError';
}

export interface LiveSourceConfig {
  workerUrl: string;
  token: string;
}

export const LIVE_SOURCE_ID = 'nba';

export function createLiveSource(config: () => LiveSourceConfig | null, fetchImpl: typeof fetch = (...a) => fetch(...a)): DataSource {
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
    async reports(date: IsoDate): Promise<DayReports> {
      const c = config();
      if (!c) return { availability: [], market: [], errors: ['no worker connected'] };
      const base = c.workerUrl.endsWith('/') ? c.workerUrl : `${c.workerUrl}/`;
      const get = async <S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> => {
        const response = await fetchImpl(new URL(path, base), { headers: { Authorization: `Bearer ${c.token}` }, cache: 'no-store' });
        if (!response.ok) throw new LiveSourceError(`${path}: ${response.status}`);
        const parsed = schema.safeParse(await response.json().catch(() => null));
        if (!parsed.success || (parsed.data as { date: string }).date !== date) throw new LiveSourceError(`${path}: unexpected shape`);
        return parsed.data;
      };
      const [injuries, odds] = await Promise.allSettled([get(`v1/nba/injuries/${date}`, InjuriesWire), get(`v1/nba/odds/${date}`, OddsWire)]);
      const errors = [injuries, odds].flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
      return {
        availability: injuries.status === 'fulfilled' ? injuries.value.players : [],
        market: odds.status === 'fulfilled' ? odds.value.games : [],
        errors,
      };
    },
    // The season so far plus the previous one (the engine's prior), from each regular season's opening month.
    historyStart: (today) => `${previousSeason(seasonOf(today)).slice(0, 4)}-10-01`,
  };
}
