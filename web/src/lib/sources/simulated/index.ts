// The simulated league as a DataSource: a perpetual, seeded league with games every day.
import { addDays, seasonOf, seasonStart } from '../../domain/dates';
import { TEAMS } from '../../domain/teams';
import type { Game, IsoDate, PlayerGameLog } from '../../domain/types';
import type { DataSource, DayData } from '../types';
import { GAME_DURATION_MS, SimulatedLeague } from './league';

export { SimulatedLeague } from './league';

/** The app's league. */
export const SIMULATED_SEED = 'nba-daily';

/** How far back the app backfills: enough games for season averages and recent form. */
export const HISTORY_DAYS = 60;

/**
 * `pause`, if given, gives the thread back while a day's schedule is built (SimulatedLeague.buildScheduleInSteps): the
 * app's UI thread passes one, so that a first visit late in a season does not build months of schedule in one task.
 */
export function createSimulatedSource(seed = SIMULATED_SEED, pause?: () => Promise<void>): DataSource {
  const league = new SimulatedLeague(seed);
  return {
    id: 'simulated',
    label: 'Simulated league',
    simulated: true,
    teams: async () => TEAMS.map((t) => ({ ...t })),
    day: async (date, now) => {
      if (pause) await league.buildScheduleInSteps(date, pause);
      return simulatedDay(league, date, now);
    },
    historyStart: (today) => {
      const start = seasonStart(seasonOf(today));
      const window = addDays(today, -HISTORY_DAYS);
      return window > start ? window : start;
    },
  };
}

/** The day as it stands at `now`: scheduled before tip-off, live for 2h30 (partial score), then final. */
export function simulatedDay(league: SimulatedLeague, date: IsoDate, now: Date): DayData {
  const t = now.getTime();
  const logs: PlayerGameLog[] = [];
  const games = league.schedule(date).map((g): Game => {
    const elapsed = t - Date.parse(g.tipoff);
    if (elapsed < 0) return g;
    const box = league.boxScore(g);
    if (elapsed >= GAME_DURATION_MS) {
      logs.push(...box.logs);
      return { ...g, status: 'final', homeScore: box.homeScore, awayScore: box.awayScore };
    }
    const fraction = elapsed / GAME_DURATION_MS;
    return {
      ...g,
      status: 'live',
      homeScore: Math.floor(box.homeScore * fraction),
      awayScore: Math.floor(box.awayScore * fraction),
    };
  });
  const teamIds = games.flatMap((g) => [g.homeTeamId, g.awayTeamId]);
  return { date, games, players: league.players(date, teamIds), logs };
}
